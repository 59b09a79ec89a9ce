"""Writing results: CSV that Excel opens safely, XLSX sheets, and files that appear only whole.

- Every CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a CR is prefixed with ``'``
  so that a spreadsheet shows it as text instead of running it as a formula (SPEC §5).
- :func:`atomic` writes to a temporary name beside the target and renames it when the writing
  has finished; an interrupted run leaves no half file that looks complete.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol, TextIO

from tokko.calculation import RowOutcome
from tokko.money import plain
from tokko.tally import Tally

#: Columns the results add after the input columns (SPEC §6).
RESULT_COLUMNS = ("status", "reasons", "warnings", "net", "rate", "measure")
SUMMARY_COLUMNS = ("entity_code", "entity_name", "fiscal_year", "items", "eligible_items",
                   "excluded_items", "error_items", "amount", "specific_revenue", "net",
                   "excluded", "measure_exact", "measure")
ERROR_COLUMNS = ("file", "row", "column", "code", "message")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_COPY_CHUNK = 1 << 20
ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp932": "cp932",
             "shift_jis": "cp932", "sjis": "cp932"}


def neutralize(value: str) -> str:
    """``"=1+1"`` → ``"'=1+1"``: a spreadsheet shows the text instead of computing it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _amount(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def result_cells(done: RowOutcome) -> list[str]:
    """The six result columns of one row (SPEC §6 batch results)."""
    outcome = done.outcome
    return [
        outcome.status,
        str(outcome.reason) if outcome.reason else "",
        ";".join(outcome.warnings),
        _amount(outcome.net),
        _amount(outcome.rate),
        _amount(outcome.measure),
    ]


def summary_cells(key: tuple[str, str], name: str, tally: Tally) -> list[object]:
    """One summary line: entity, year, counts and the exact and rounded totals."""
    return [key[0], name, key[1], tally.items, tally.eligible, tally.excluded_items,
            tally.error_items, plain(tally.amount), plain(tally.specific_revenue),
            plain(tally.net), plain(tally.excluded), plain(tally.measure_exact),
            plain(tally.measure)]


@contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` only on success."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


class SheetWriter(Protocol):
    """Where rows go: a CSV file or one sheet of a workbook."""

    def writerow(self, row: Sequence[object]) -> None: ...

    def write_lines(self, lines: Sequence[str]) -> None:
        """Write records already in CSV form (their cells known to be safe), in order."""


class CsvSheet:
    """A CSV file: UTF-8 with BOM (Excel opens it) or CP932, cells neutralised."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow(
            [neutralize(c) if isinstance(c, str) else c for c in row]
        )

    def write_lines(self, lines: Sequence[str]) -> None:
        """Write the lines, CRLF after each, in one go."""
        if lines:
            self._stream.write("\r\n".join(lines))
            self._stream.write("\r\n")

    def position(self) -> int:
        """How many bytes are written so far."""
        self._stream.flush()
        return self._stream.buffer.tell()

    def copy(self, source: IO[bytes], length: int | None) -> None:
        """Append ``length`` bytes of ``source`` (None: all that is left), already in this
        file's encoding and already safe (a part of this output written by another process)."""
        self._stream.flush()
        _copy(source, length, self._stream.buffer)


class PartSheet(CsvSheet):
    """The CSV sheet of one part of an output, which another sheet will copy: no byte order
    mark, and each write encoded here, so that :meth:`position` is a count, not a flush (a
    part's position is asked every few dozen rows)."""

    def __init__(self, file: IO[bytes], encoding: str) -> None:
        self._file = file
        self._encoding = encoding
        self._written = 0
        self._text = io.StringIO(newline="")
        self._writer = csv.writer(self._text, lineterminator="\r\n")

    def writerow(self, row: Sequence[object]) -> None:
        self._text.seek(0)
        self._text.truncate()
        super().writerow(row)
        self._put(self._text.getvalue())

    def write_lines(self, lines: Sequence[str]) -> None:
        if lines:
            self._put("\r\n".join(lines) + "\r\n")

    def _put(self, text: str) -> None:
        data = text.encode(self._encoding, "backslashreplace")
        self._file.write(data)
        self._written += len(data)

    def position(self) -> int:
        return self._written

    def copy(self, source: IO[bytes], length: int | None) -> None:
        self._written += _copy(source, length, self._file)


def _copy(source: IO[bytes], length: int | None, target: IO[bytes]) -> int:
    """Copy ``length`` bytes (None: all that is left) from ``source``; how many were copied."""
    copied = 0
    while length is None or copied < length:
        chunk = source.read(_COPY_CHUNK if length is None else min(_COPY_CHUNK, length - copied))
        if not chunk:
            break
        target.write(chunk)
        copied += len(chunk)
    return copied


class XlsxSheet:
    """One sheet of a write-only workbook; cells neutralised, amounts kept as exact numbers."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def writerow(self, row: Sequence[object]) -> None:
        self._sheet.append([_xlsx_text(neutralize(c)) if isinstance(c, str) else c for c in row])

    def write_lines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.writerow(next(csv.reader([line])))


#: Control characters an XLSX cell cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_text(text: str) -> str:
    """A cell text an XLSX file can hold: a control character is written as ``\\x0b``."""
    if not _XLSX_ILLEGAL.search(text):
        return text
    return _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@contextmanager
def csv_sheet(path: Path, encoding: str = "utf-8-sig") -> Iterator[CsvSheet]:
    """A CSV sheet written atomically to ``path``."""
    with atomic(path) as temporary, temporary.open(
        "w", encoding=ENCODINGS.get(encoding.lower(), encoding), newline="",
        errors="backslashreplace",
    ) as stream:
        yield CsvSheet(stream)


@contextmanager
def csv_part(path: Path, encoding: str) -> Iterator[PartSheet]:
    """A CSV sheet for one part of an output that another sheet will copy: written in place,
    with no byte order mark (the whole output has one, at its start)."""
    with path.open("wb") as file:
        yield PartSheet(file, "utf-8" if encoding == "utf-8-sig" else encoding)


@contextmanager
def workbook(path: Path) -> Iterator[Any]:
    """A write-only workbook saved atomically to ``path``; add sheets with ``create_sheet``."""
    import openpyxl  # only spreadsheet output pays for it

    book = openpyxl.Workbook(write_only=True)
    with atomic(path) as temporary:
        try:
            yield book
        except BaseException:
            _discard(book)
            raise
        book.save(temporary)


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
