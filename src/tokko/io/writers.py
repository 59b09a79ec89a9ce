"""Writing files: CSV that Excel opens safely, XLSX workbooks, and files that appear only whole.

- Every CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a CR is prefixed with ``'`` so
  that a spreadsheet shows it as text instead of running it as a formula (SPEC §5); a NUL byte
  is never written.
- :func:`atomic` writes to a temporary file with a unique name beside the target and renames it
  into place only when the writing has finished: an interrupted run (Ctrl-C, SIGTERM, a full
  disk) leaves the previous file as it was and no half file that looks complete. An existing
  output keeps its permissions.
"""

from __future__ import annotations

import csv
import errno
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any, TextIO

from tokko.errors import OutputFileError, os_reason

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "cp932": "cp932",
    "shift_jis": "cp932",
    "sjis": "cp932",
}
#: Control characters an XLSX cell cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralize(value: str) -> str:
    """``"=1+1"`` → ``"'=1+1"``: a spreadsheet shows the text instead of computing it; NUL
    bytes removed."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return "'" + value if value.startswith(_FORMULA_START) else value


def xlsx_quoted(text: str) -> tuple[str, bool]:
    """A cell text an XLSX file can hold, unchanged but for NUL (removed) and control
    characters (written ``\\x0b``), and whether it starts like a formula: such a text is written
    as text with Excel's quote prefix (shown as typed, never computed), not with an apostrophe
    added to it."""
    text = text.replace("\x00", "") if "\x00" in text else text
    if _XLSX_ILLEGAL.search(text):
        text = _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text, text.startswith(_FORMULA_START)


def xlsx_text(text: str) -> str:
    """A cell text an XLSX file can hold: neutralised, a control character written ``\\x0b``."""
    text = neutralize(text)
    if not _XLSX_ILLEGAL.search(text):
        return text
    return _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Outputs:
    """The files one run writes, each under a unique temporary name beside it, renamed into
    place together once every one is complete: a run that fails anywhere — an exception,
    Ctrl-C, SIGTERM, a full disk — leaves every previous file as it was, and no half file."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def temporary(self, path: Path) -> Path:
        """A new temporary file beside ``path``, to be renamed to it on :meth:`commit`."""
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".partial", dir=path.parent
            )
        except OSError as error:
            raise output_error(path, error) from None
        os.close(handle)
        self._pending.append((Path(name), path))
        return Path(name)

    def commit(self) -> None:
        """Rename every file into place (an existing file keeps its permissions)."""
        for temporary, path in self._pending:
            try:
                mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
                os.chmod(temporary, mode)
                os.replace(temporary, path)
            except OSError as error:
                raise output_error(path, error) from None

    def discard(self) -> None:
        """Remove what is left of the temporary files."""
        for temporary, _ in self._pending:
            with suppress(OSError):
                temporary.unlink()


@contextmanager
def outputs() -> Iterator[Outputs]:
    """A group of outputs written together (see :class:`Outputs`)."""
    group = Outputs()
    try:
        yield group
        group.commit()
    finally:
        group.discard()


@contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (a unique name); rename it to ``path`` only on
    success. Any failure — an exception, Ctrl-C, SIGTERM turned into SystemExit — removes it."""
    with outputs() as group:
        yield group.temporary(path)


def output_error(path: Path, error: OSError) -> OutputFileError:
    """An output that could not be written, named as the user named it."""
    if error.errno == errno.ENOSPC:
        return OutputFileError(str(path), "output.disk_full")
    return OutputFileError(str(path), "output.failed", reason=os_reason(error))


#: A cell (after the separator below) that starts like a formula, or a NUL anywhere.
_RISKY = re.compile("\x1f[=+\\-@\t\r]|\x00")


class _Escaping:
    """A text stream whose characters its encoding cannot hold (CP932 has no 𠮷 and no emoji)
    are written as ``\\U00020bb7`` and counted (:attr:`escaped`), so that the command can say
    so instead of changing the text silently."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.escaped = 0

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)  # encodes the whole text first: all or nothing
        except UnicodeEncodeError as error:
            encoding = error.encoding
        kept = []
        for ch in text:
            try:
                ch.encode(encoding)
            except UnicodeEncodeError:
                self.escaped += 1
                kept.append(ch.encode("ascii", "backslashreplace").decode("ascii"))
            else:
                kept.append(ch)
        return self._stream.write("".join(kept))


class CsvSheet:
    """A CSV file: UTF-8 with BOM (Excel opens it) or CP932, cells neutralised, CRLF. A write
    that fails names the file the user asked for (``path``); :attr:`escaped` counts the
    characters the encoding could not hold, written as ``\\U…``."""

    def __init__(self, stream: TextIO, path: Path | None = None) -> None:
        # A stream that cannot fail to encode is written to directly (no Python call per row).
        lenient = getattr(stream, "errors", "strict") != "strict"
        self._escaping = None if lenient else _Escaping(stream)
        self._writer = csv.writer(self._escaping or stream, lineterminator="\r\n")
        self._path = path

    @property
    def escaped(self) -> int:
        return self._escaping.escaped if self._escaping is not None else 0

    def writerow(self, row: Sequence[object]) -> None:
        # One search over the row joined by a separator finds whether any cell needs
        # neutralising (the common row has none); only text is neutralised (a number is
        # written as one).
        try:
            joined = "\x1f".join(row)  # type: ignore[arg-type]
        except TypeError:
            joined = "\x1f".join(map(str, row))
        risky = _RISKY.search("\x1f" + joined) is not None
        if risky:
            row = [neutralize(c) if isinstance(c, str) else c for c in row]
        try:
            self._writer.writerow(row)
        except OSError as error:
            if self._path is None:
                raise
            raise output_error(self._path, error) from None


@contextmanager
def csv_output(
    path: Path, encoding: str = "utf-8-sig", *, into: Outputs | None = None
) -> Iterator[CsvSheet]:
    """A CSV file written to a temporary file and renamed to ``path`` — with the other files of
    ``into`` when given, else on its own. A character the encoding cannot hold (CP932 has no
    𠮷) is written as ``\\U00020bb7`` rather than stopping the run, and counted
    (:attr:`CsvSheet.escaped`)."""
    with nullcontext(into) if into is not None else outputs() as group:
        temporary = group.temporary(path)
        try:
            codec = ENCODINGS.get(encoding.lower(), encoding)
            # The BOM written by hand, then the C UTF-8 codec: Python's utf-8-sig encoder is
            # pure Python and cost a batch a tenth of its time, one call per row.
            # UTF-8 holds every character (a lone surrogate from a JSON escape aside, written
            # as an escape); another codec's misses are escaped and counted by CsvSheet.
            utf8 = codec in ("utf-8-sig", "utf-8")
            stream = temporary.open(
                "w",
                encoding="utf-8" if utf8 else codec,
                newline="",
                errors="backslashreplace" if utf8 else "strict",
            )
            if codec == "utf-8-sig":
                stream.write("\ufeff")
        except OSError as error:
            raise output_error(path, error) from None
        try:
            yield CsvSheet(stream, path)
        except BaseException:
            with suppress(OSError):
                stream.close()
            raise
        try:
            stream.close()  # flushes: a full disk may only show now
        except OSError as error:
            raise output_error(path, error) from None


@contextmanager
def workbook(path: Path, *, into: Outputs | None = None) -> Iterator[Any]:
    """A write-only openpyxl workbook saved to a temporary file and renamed to ``path`` — with
    the other files of ``into`` when given, else on its own."""
    import openpyxl  # only spreadsheet output pays for it

    book = openpyxl.Workbook(write_only=True)
    with nullcontext(into) if into is not None else outputs() as group:
        temporary = group.temporary(path)
        try:
            yield book
        except BaseException:
            _discard(book)
            raise
        try:
            book.save(temporary)
        except OSError as error:
            raise output_error(path, error) from None


def _discard(book: Any) -> None:
    """Close and delete the temporary files of a write-only workbook that will not be saved."""
    for sheet in book.worksheets:
        writer = getattr(sheet, "_writer", None)  # openpyxl keeps each sheet in a temp file
        if writer is None:
            continue
        with suppress(Exception):
            if getattr(sheet, "_rows", None) is not None:
                sheet._rows.close()
            writer.close()
        with suppress(OSError, ValueError, KeyError):
            writer.cleanup()


def write_text(path: Path | None, text: str, stdout: TextIO) -> None:
    """Text to a file (atomically) or to standard output."""
    if path is None:
        stdout.write(text)
        return
    with atomic(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
