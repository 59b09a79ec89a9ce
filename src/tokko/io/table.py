"""Tables of rows as offices keep them: CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX.

:func:`open_table` reads the header, maps each column to a canonical field (English or Japanese
headers, any order, extra columns kept) and refuses — before any output is written — a file that
cannot be read, lacks a required column or states a unit that contradicts ``--unit``.
:meth:`Table.rows` then streams the records, holding one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple
from zipfile import BadZipFile

from tokko.columns import AMOUNT_COLUMNS, ITEM_COLUMNS, Column, label, read_header
from tokko.errors import InputFileError
from tokko.io.csvrecords import numbered, records
from tokko.io.encoding import detect_encoding
from tokko.io.parts import Part, open_part
from tokko.reading import Problem
from tokko.rows import Row

#: Item columns a declaration table must have (SPEC §3: required fields).
REQUIRED_ITEM_COLUMNS = ("entity_code", "fiscal_year", "item_id", "description", "technology",
                         "expense_kind", "amount")
REQUIRED_AGREEMENT_COLUMNS = ("agreement_id", "concluded_on", "parties")
Cell = str | int | float | dt.datetime | dt.date | None


class Record(NamedTuple):
    """One data row: its number as a spreadsheet shows it (header = 1), its cells and its text.

    ``text`` is the CSV record exactly as it stood in the file (None for a spreadsheet row).
    """

    number: int
    cells: list[Any]  # text for CSV; str, int, float, date or None for a spreadsheet
    text: str | None = None


@dataclass
class Table:
    """An opened input table: where it is, how it is encoded, what each column means."""

    path: Path
    name: str
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    fields: list[str | None]
    encoding: str | None = None
    sheet: str | None = None
    index: dict[str, int] = field(default_factory=dict)

    def row(self, record: Record) -> Row:
        """The record as a row of canonical fields; a value under no header is a problem."""
        cells = record.cells
        data = {name: (cells[i] if i < len(cells) else None) for name, i in self.index.items()}
        problems: tuple[Problem, ...] = ()
        width = len(self.headers)
        if len(cells) > width and any(c not in (None, "") for c in cells[width:]):
            problems = (Problem(
                f"列{width + 1}", "UNKNOWN_VALUE", cells[width],
                f"見出しのない列{width + 1}に値があります（見出し行の列数は{width}）",
                f"column {width + 1} has a value but no header (the header has {width} columns)",
            ),)
        return Row(data, self.name, record.number, problems)

    def rows(self) -> Iterator[Record]:
        """Every non-blank data row, in order; a blank row is skipped but still counted."""
        return map(Record._make, self._csv_rows()) if self.kind == "csv" else self._xlsx_rows()

    def numbered(self, part: Part | None = None, first: int = 2,
                 count: list[int] | None = None) -> Iterator[tuple[int, list[Any], str | None]]:
        """The rows of :meth:`rows` as plain ``(number, cells, text)`` tuples, cheaper to make
        (a batch reads every row twice); with ``part``, those of its bytes only, numbered from
        ``first``. ``count`` gets the number of records read, blank ones included, when the
        rows have all been read."""
        if self.kind != "csv":
            return self._xlsx_numbered(count)
        return self._csv_rows(part, first, count)

    def cells(self, part: Part | None = None) -> Iterator[list[Any]]:
        """The cells of every non-blank data row, in order (the same rows as :meth:`rows`);
        with ``part``, those of its bytes only."""
        return (cells for _, cells, _ in self.numbered(part))

    def _open(self, part: Part | None) -> tuple[IO[str], bool]:
        """The text of the table or of one part, and whether it starts with the header."""
        assert self.encoding is not None
        if part is None:
            return self.path.open(encoding=self.encoding, newline=""), True
        return open_part(self.path, self.encoding, part.start, part.end), part.start == 0

    def _csv_rows(self, part: Part | None = None, first: int = 2,
                  count: list[int] | None = None) -> Iterator[tuple[int, list[Any], str]]:
        stream, header = self._open(part)
        if header:
            next(records(stream), None)
        return numbered(stream, first, count=count, closing=stream)

    def _xlsx_numbered(self, count: list[int] | None) -> Iterator[tuple[int, list[Any], None]]:
        number = 1
        for number, cells, _ in self._xlsx_rows():
            yield number, cells, None
        if count is not None:
            count.append(number - 1)

    def _xlsx_rows(self) -> Iterator[Record]:
        workbook, sheet = _open_sheet(self.path, self.name, self.sheet)
        try:
            rows = sheet.iter_rows(values_only=True)
            next(rows, None)
            for number, values in enumerate(rows, start=2):
                cells = [_cell(v) for v in values]
                if any(c is not None and c != "" for c in cells):
                    yield Record(number, cells)
        finally:
            workbook.close()


def _cell(value: object) -> Cell:
    """A spreadsheet value as tokko reads it: whole floats become ints (Excel stores floats)."""
    if value is None or isinstance(value, str | int | dt.datetime | dt.date):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return str(value)


def _open_sheet(path: Path, name: str, sheet: str | None) -> tuple[Any, Any]:
    import openpyxl  # imported here: only spreadsheet work pays for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputFileError(name, f"Excel ファイル（.xlsx）として読めません: {exc}",
                             f"cannot be read as an Excel workbook (.xlsx): {exc}") from exc
    if sheet is None:
        return workbook, workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        names = ", ".join(workbook.sheetnames)
        workbook.close()
        raise InputFileError(name, f"シート「{sheet}」がありません（あるシート: {names}）",
                             f"no sheet named '{sheet}' (sheets: {names})")
    return workbook, workbook[sheet]


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".json":
        raise InputFileError(
            str(path),
            "表（CSV または XLSX）ではありません。JSON の申告は tokko calc で計算してください",
            "not a table (CSV or XLSX); compute a JSON declaration with tokko calc",
        )
    if suffix == ".xls":
        raise InputFileError(str(path), "古い Excel 形式（.xls）は読めません。.xlsx または CSV で保存してください",
                             "old Excel files (.xls) are not supported; save as .xlsx or CSV")
    return "csv"


def _header_cells(path: Path, kind: str, name: str, sheet: str | None,
                  encoding: str | None) -> list[str]:
    if kind == "csv":
        with path.open(encoding=encoding, newline="") as stream:
            first = next(records(stream), None)
        return [] if first is None else first[1]
    workbook, ws = _open_sheet(path, name, sheet)
    try:
        row = next(ws.iter_rows(values_only=True, max_row=1), ())
    finally:
        workbook.close()
    return ["" if v is None else str(v) for v in row]


def open_table(
    path: str | Path,
    *,
    columns: tuple[Column, ...] = ITEM_COLUMNS,
    required: tuple[str, ...] = REQUIRED_ITEM_COLUMNS,
    unit: int = 1,
    sheet: str | None = None,
    name: str | None = None,
    whole: bool = True,
) -> Table:
    """Open a CSV or XLSX table and check its header; problems raise InputFileError.

    ``whole=False`` checks the text encoding on the first megabyte only (see
    :func:`~tokko.io.encoding.detect_encoding`).
    """
    file = Path(path)
    shown = name or str(path)
    if not file.is_file():
        raise InputFileError(shown, "ファイルがありません", "no such file")
    kind = _kind(file)
    encoding = detect_encoding(file, shown, whole=whole) if kind == "csv" else None
    headers = _header_cells(file, kind, shown, sheet, encoding)
    while headers and not headers[-1].strip():
        headers.pop()
    if not headers:
        raise InputFileError(shown, "見出し行がありません（空のファイル）", "no header row (empty file)")
    read = [read_header(h, columns) for h in headers]
    fields = [h.field for h in read]
    index: dict[str, int] = {}
    for position, header in enumerate(read):
        if header.field is None:
            continue
        if header.field in index:
            first = headers[index[header.field]]
            raise InputFileError(
                shown,
                f"「{first}」と「{header.text}」が同じ項目（{label(header.field)}）を指しています",
                f"columns '{first}' and '{header.text}' both mean {header.field}",
            )
        index[header.field] = position
        if header.unit is not None and header.field in AMOUNT_COLUMNS and header.unit != unit:
            stated = "千円" if header.unit == 1000 else "円"
            option = "--unit thousand" if header.unit == 1000 else "--unit yen"
            raise InputFileError(
                shown,
                f"列「{header.text}」は{stated}単位ですが、指定された単位と異なります（{option} を指定してください）",
                f"column '{header.text}' is in {'thousands of yen' if header.unit == 1000 else 'yen'},"
                f" which contradicts the unit given; use {option}",
            )
    missing = [f for f in required if f not in index]
    if missing:
        names_ja = "、".join(f"{label(f)}（{f}）" for f in missing)
        raise InputFileError(
            shown,
            f"必須の列がありません: {names_ja}。見出し行に英語名または日本語名で入れてください",
            f"missing required column(s): {', '.join(missing)} (English or Japanese header)",
        )
    return Table(file, shown, kind, headers, fields, encoding, sheet, index)
