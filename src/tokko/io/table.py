"""Tables of rows as offices keep them: CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX.

:func:`open_table` reads the header and maps each column to a field (English or Japanese
headers, aliases, any order). It refuses — before any output is written — a file that cannot be
read, lacks a required column or states a unit that contradicts ``--unit``; a column that is
none of the fields is reported (``UNKNOWN_COLUMN``, with the field it probably meant), never
silently dropped: its values are carried to the results as they stand. :meth:`Table.records`
then streams the data rows, holding one at a time.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from tokko.engine.calculate import unknown_column
from tokko.engine.prepare import Row
from tokko.errors import InputFileError
from tokko.io import csvfile, xlsx
from tokko.io.template import LOOKUP_HEADERS
from tokko.messages import Ref
from tokko.model.codes import ErrorCode
from tokko.model.declaration import AGREEMENT_FIELDS, ROW_FIELDS
from tokko.model.fields import Field, Unsaved, is_personal, match_header
from tokko.model.problem import Problem

#: Item columns a declaration table must have (SPEC §3: required fields).
REQUIRED_ITEM_COLUMNS = (
    "entity_code",
    "fiscal_year",
    "item_id",
    "description",
    "technology",
    "expense_kind",
    "amount",
)
REQUIRED_AGREEMENT_COLUMNS = ("agreement_id", "concluded_on", "parties")
AMOUNT_COLUMNS = frozenset({"amount", "specific_revenue", "contract_total"})
#: How many rows are searched for a header that is not on row 1, to say where it is.
_HEADER_SEARCH = 10


@dataclass
class Table:
    """An opened input table: where it is, how it is encoded, what each column means."""

    path: Path
    name: str
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    #: The field each column names (None: an unknown or personal column).
    fields: list[str | None]
    encoding: str | None = None
    sheet: str | None = None
    index: dict[str, int] = field(default_factory=dict)
    #: Problems of the file as a whole (UNKNOWN_COLUMN).
    problems: list[Problem] = field(default_factory=list)
    #: Other sheets of the workbook whose header is a declaration's too: not read (the first
    #: sheet is, unless ``--sheet`` says), which the command says so that no claim is lost.
    unread_sheets: list[str] = field(default_factory=list)
    #: A workbook's rows as its first full reading typed them, kept in an anonymous temporary
    #: file (gone when closed, or when the process ends however it ends): the batch reads its
    #: inputs twice, and the second reading takes them back instead of parsing the XML again.
    _spool: IO[bytes] | None = field(default=None, repr=False, compare=False)

    def columns(self) -> list[tuple[str, int]]:
        """The table's columns as the results name them (see
        :func:`~tokko.io.results.named_columns`)."""
        from tokko.io.results import named_columns

        return named_columns(self.headers, self.fields)

    def records(self) -> Iterator[tuple[int, list[Any]]]:
        """Every non-blank data row (number as a spreadsheet shows it, cells), in order."""
        rows: Iterator[tuple[int, list[Any]]]
        if self.kind == "csv":
            assert self.encoding is not None
            rows = csvfile.read_records(self.path, self.name, self.encoding)
        elif self._spool is not None:
            rows = _spooled(self._spool)
        else:
            rows = self._spooling(_xlsx_records(self.path, self.name, self.sheet))
        next(rows, None)  # the header
        return rows if self.kind == "csv" else self._typed(rows)

    def _typed(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        """The workbook's rows that hold something typed: a row whose only content is formulas
        without a saved result in columns that are no field (the template's helper column,
        the workbook filled by a program) is a blank row. An unsaved formula in a field's
        column keeps its row, which is then an error (its value is unknown)."""
        fields, width = self.fields, len(self.fields)
        for number, cells in rows:
            if any(isinstance(c, Unsaved) for c in cells) and all(
                c is None
                or c == ""
                or (isinstance(c, Unsaved) and (i >= width or fields[i] is None))
                for i, c in enumerate(cells)
            ):
                continue
            yield number, cells

    def close(self) -> None:
        """Let go of the kept rows (a table can still be read again: from the file)."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _spooling(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        """``rows`` as they come, kept in :attr:`_spool` once they have all been read."""
        spool = tempfile.TemporaryFile()  # noqa: SIM115 — kept open for the next reading
        complete = False
        try:
            for record in rows:
                pickle.dump(record, spool, pickle.HIGHEST_PROTOCOL)
                yield record
            complete = True
        finally:
            if complete:
                self._spool = spool
            else:
                spool.close()

    def row(self, number: int, cells: Sequence[Any]) -> Row:
        """A data row as canonical fields to values. A value beyond the last header makes the
        row an error: its columns may be shifted, and no amount is better than a wrong one."""
        width = len(cells)
        data = {name: cells[i] if i < width else None for name, i in self.index.items()}
        extra = len(self.headers)
        if width > extra and any(c not in (None, "") for c in cells[extra:]):
            at = extra + next(i for i, c in enumerate(cells[extra:]) if c not in (None, ""))
            return Row(
                data,
                self.name,
                number,
                (
                    Problem(
                        ErrorCode.UNKNOWN_COLUMN,
                        "file.value_without_header",
                        MappingProxyType({"column": at + 1, "width": extra}),
                        cells[at],
                        self.name,
                        number,
                        f"({at + 1})",
                    ),
                ),
                tuple(cells),
            )
        return Row(data, self.name, number, (), tuple(cells))


def _spooled(spool: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """The rows a first reading kept (only tokko's own pickles: never a file from outside)."""
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # our own temporary file, written above: nothing else
        except EOFError:
            return


def _xlsx_records(path: Path, name: str, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    with xlsx.open_workbook(path, name) as book:
        yield from book.rows(sheet)


def _kind(path: Path, name: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".json":
        raise InputFileError(name, "file.json_not_table")
    if suffix == ".xls":
        raise InputFileError(name, "file.xls")
    return "csv"


def _first_rows(
    path: Path, kind: str, name: str, sheet: str | None, encoding: str | None
) -> tuple[list[list[str]], list[str]]:
    """The first rows of the table (as text, for the header) and the sheets of a workbook."""
    found: list[list[str]] = []
    if kind == "csv":
        assert encoding is not None
        for number, cells in csvfile.read_records(path, name, encoding):
            while len(found) < number - 1:  # blank lines keep their place
                found.append([])
            found.append([str(c) for c in cells])
            if len(found) >= _HEADER_SEARCH:
                break
        return found, []
    with xlsx.open_workbook(path, name) as book:
        sheets = list(book.sheet_names)
        for number, values in book.rows(sheet):  # a sheet the workbook lacks: file.no_sheet
            while len(found) < number - 1:  # blank rows keep their place
                found.append([])
            found.append(["" if v is None else str(v) for v in values])
            if len(found) >= _HEADER_SEARCH:
                break
    return found, sheets


def open_table(
    path: str | Path,
    *,
    fields: tuple[Field, ...] = ROW_FIELDS,
    required: tuple[str, ...] = REQUIRED_ITEM_COLUMNS,
    unit: int = 1,
    sheet: str | None = None,
    name: str | None = None,
    ignored: Sequence[str] = (),
) -> Table:
    """Open a CSV or XLSX table and check its header; what cannot be read raises
    :class:`~tokko.errors.InputFileError`."""
    file = Path(path)
    shown = name or str(path)
    if not file.is_file():
        raise InputFileError(shown, "file.missing" if not file.exists() else "file.not_a_file")
    kind = _kind(file, shown)
    encoding = csvfile.detect_encoding(file, shown) if kind == "csv" else None
    rows, sheets = _first_rows(file, kind, shown, sheet, encoding)
    headers = list(rows[0]) if rows else []
    while headers and not headers[-1].strip():
        headers.pop()
    where = (
        Ref(
            "file.where_sheet",
            {"sheet": sheet or (sheets[0] if sheets else ""), "sheets": "、".join(sheets)},
        )
        if kind == "xlsx"
        else Ref("file.where_csv")
    )
    if not headers:
        raise InputFileError(shown, "file.no_header", where=where)
    read = [match_header(h, fields) for h in headers]
    index: dict[str, int] = {}
    problems: list[Problem] = []
    for position, header in enumerate(read):
        if header.field is None:
            if header.text.strip() and not is_personal(header.text, (*ignored, *LOOKUP_HEADERS)):
                problems.append(unknown_column(header.text, fields, shown))
            elif not header.text.strip():
                problems.append(unknown_column(f"({position + 1})", fields, shown))
            continue
        if header.field in index:
            raise InputFileError(
                shown,
                "file.duplicate_column",
                first=headers[index[header.field]],
                second=header.text,
                field=Ref(f"column.{header.field}"),
            )
        index[header.field] = position
        if header.unit is not None and header.field in AMOUNT_COLUMNS and header.unit != unit:
            raise InputFileError(
                shown,
                "file.unit_thousand" if header.unit == 1000 else "file.unit_yen",
                header=header.text,
            )
    missing = [f for f in required if f not in index]
    if missing:
        found_at = _header_elsewhere(rows, fields, required)
        raise InputFileError(
            shown,
            "file.missing_columns",
            columns=[
                Ref("file.column_name", {"label": Ref(f"column.{f}"), "name": f}) for f in missing
            ],
            where=where,
            hint=Ref("file.header_at", {"row": found_at}) if found_at else Ref("file.no_hint"),
        )
    unread = []
    if kind == "xlsx" and sheet is None and len(sheets) > 1:
        unread = _declaration_sheets(file, shown, sheets[1:], fields, required)
    return Table(
        file,
        shown,
        kind,
        headers,
        [h.field for h in read],
        encoding,
        sheet,
        index,
        problems,
        unread,
    )


def _declaration_sheets(
    path: Path, name: str, others: list[str], fields: tuple[Field, ...], required: tuple[str, ...]
) -> list[str]:
    """The sheets among ``others`` whose first row holds every required column."""
    found = []
    with xlsx.open_workbook(path, name) as book:
        for other in others:
            try:
                for _, values in book.rows(other):
                    named = {match_header(str(v), fields).field for v in values if v is not None}
                    if all(f in named for f in required):
                        found.append(other)
                    break
            except InputFileError:
                continue  # a chart sheet, a sheet without data: no declaration
    return found


def _header_elsewhere(
    rows: list[list[str]], fields: tuple[Field, ...], required: tuple[str, ...]
) -> int | None:
    """The row (2 to 10) that holds every required column, when row 1 does not."""
    for number, cells in enumerate(rows[1:], start=2):
        found = {match_header(c, fields).field for c in cells if c.strip()}
        if all(r in found for r in required):
            return number
    return None


def open_agreements(
    path: str | Path, *, sheet: str | None = None, name: str | None = None
) -> Table:
    """An agreements table (協定番号, 締結日, 構成団体)."""
    return open_table(
        path, fields=AGREEMENT_FIELDS, required=REQUIRED_AGREEMENT_COLUMNS, sheet=sheet, name=name
    )
