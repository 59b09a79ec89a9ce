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
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO

from tokko.errors import OutputFileError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp932": "cp932",
             "shift_jis": "cp932", "sjis": "cp932"}
#: Control characters an XLSX cell cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralize(value: str) -> str:
    """``"=1+1"`` → ``"'=1+1"``: a spreadsheet shows the text instead of computing it; NUL
    bytes removed."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return "'" + value if value.startswith(_FORMULA_START) else value


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


@contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (a unique name); rename it to ``path`` only on
    success. Any failure — an exception, Ctrl-C, SIGTERM turned into SystemExit — removes it."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial",
                                        dir=path.parent)
    except OSError as error:
        raise _output_error(path, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except OSError as error:
            raise _output_error(path, error) from None
    finally:
        with suppress(OSError):
            temporary.unlink()


def _output_error(path: Path, error: OSError) -> OutputFileError:
    if error.errno == errno.ENOSPC:
        return OutputFileError(str(path), "output.disk_full")
    return OutputFileError(str(path), "output.failed", reason=error.strerror or str(error))


#: A cell (after the separator below) that starts like a formula, or a NUL anywhere.
_RISKY = re.compile("(?:^|\x1f)[=+\\-@\t\r]|\x00")


class CsvSheet:
    """A CSV file: UTF-8 with BOM (Excel opens it) or CP932, cells neutralised, CRLF."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Sequence[object]) -> None:
        # One search over the row joined by a separator finds whether any cell needs
        # neutralising (the common row has none); a row of text and numbers is checked cell by
        # cell.
        try:
            risky = _RISKY.search("\x1f".join(row)) is not None  # type: ignore[arg-type]
        except TypeError:
            risky = True
        if risky:
            row = [neutralize(c) if isinstance(c, str) else c for c in row]
        self._writer.writerow(row)


@contextmanager
def csv_output(path: Path, encoding: str = "utf-8-sig") -> Iterator[CsvSheet]:
    """A CSV file written atomically to ``path``. A character the encoding cannot hold
    (CP932 has no 𠮷) is written as ``\\U00020bb7`` rather than stopping the run."""
    with atomic(path) as temporary, temporary.open(
        "w", encoding=ENCODINGS.get(encoding.lower(), encoding), newline="",
        errors="backslashreplace",
    ) as stream:
        try:
            yield CsvSheet(stream)
        except OSError as error:
            raise _output_error(path, error) from None


@contextmanager
def workbook(path: Path) -> Iterator[Any]:
    """A write-only openpyxl workbook saved atomically to ``path``."""
    import openpyxl  # only spreadsheet output pays for it

    book = openpyxl.Workbook(write_only=True)
    with atomic(path) as temporary:
        try:
            yield book
        except BaseException:
            _discard(book)
            raise
        try:
            book.save(temporary)
        except OSError as error:
            raise _output_error(path, error) from None


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
