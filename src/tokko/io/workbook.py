"""The results workbook for people (SPEC §6): typed, labelled, formatted — one writer for
``tokko calc --format xlsx`` and ``tokko batch --format xlsx``.

The CSV files are for programs (canonical English names, plain numbers); this workbook is for a
finance officer who opens it in Excel:

- **typed cells** — yen amounts are numbers formatted ``#,##0`` (an amount with a fraction of a
  yen, a measure of 499.5, keeps every digit: its format shows exactly the decimals it has, never
  rounding it), rates ``0.0#``, fiscal years plain numbers, dates dates; codes and ids are text
  (``011002`` keeps its zero), and an input cell that was text stays text — no number is guessed
  out of it;
- **words** — the catalog's column labels, sheet names and status words in the language asked
  for (Japanese by default); reasons and warnings in words, with their codes in the column beside
  them for filtering;
- **for reading** — the header row frozen, an auto-filter, column widths that fit the first rows
  (a full-width character counts 2), rows with warnings filled yellow and error rows red, a
  summary with a grand-total row, and an info sheet with the rule versions and their SHA-256, the
  tokko version and the time the workbook was made.

The writer streams (openpyxl's write-only mode): it holds the first :data:`MEASURED_ROWS` rows of
a sheet to size its columns, then writes each row as it comes, so a batch never holds its rows.
The workbook appears only whole (:func:`tokko.io.writers.workbook`).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from copy import copy
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from tokko._version import __version__
from tokko.engine.steps import Outcome
from tokko.io.results import SUMMARY_COLUMNS
from tokko.io.writers import Outputs, workbook, xlsx_quoted, xlsx_text
from tokko.messages import Lang, has, t
from tokko.model.money import ZERO
from tokko.model.problem import Problem, column_label
from tokko.model.result import Counts, RulesRef, Totals

#: Number formats.
YEN = "#,##0"
RATE = "0.0#"
COUNT = "#,##0"
YEAR = "0"
DATE = "yyyy-mm-dd"
MOMENT = "yyyy-mm-dd hh:mm:ss"
#: Fills (RGB) of the header, of a row with warnings, of an error row, of the total row.
HEADER_FILL = "DDEBF7"
WARNING_FILL = "FFF2CC"
ERROR_FILL = "F8D7DA"
TOTAL_FILL = "E7E6E6"
#: How many rows of a sheet are held to size its columns before the rows stream.
MEASURED_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Excel shows 15 significant digits: a fraction with more is written as text, never rounded.
_EXCEL_DIGITS = 15

#: What an input column holds, by field: ids and codes are text, amounts yen, years years.
_ID_FIELDS = frozenset({"entity_code", "item_id", "agreement_id", "contract_id"})
_YEN_FIELDS = frozenset({"amount", "specific_revenue", "contract_total"})
_YEAR_FIELDS = frozenset({"fiscal_year", "introduced_in"})
_INDEX_FIELDS = frozenset({"fiscal_strength_index"})

#: The label of each summary column (SPEC §6's summary, in the same order).
SUMMARY_LABELS = {
    "entity_code": "column.entity_code",
    "entity_name": "xlsx.column.entity_name",
    "fiscal_year": "column.fiscal_year",
    "rules_version": "xlsx.column.rules_version",
    "items": "xlsx.column.items",
    "eligible_items": "xlsx.column.eligible_items",
    "excluded_items": "xlsx.column.excluded_items",
    "error_items": "xlsx.column.error_items",
    "warning_items": "xlsx.column.warning_items",
    "amount": "total_amount",
    "specific_revenue": "total_revenue",
    "net": "total_net",
    "excluded": "total_excluded",
    "measure_by_rate": "measure_by_rate",
    "fiscal_strength_index": "column.fiscal_strength_index",
    "fiscal_strength_multiplier": "fiscal_strength_multiplier",
    "measure_exact": "measure_exact",
    "measure": "measure_rounded",
    "warnings": "column.warnings",
}
_COUNTS = ("items", "eligible_items", "excluded_items", "error_items", "warning_items")
_AMOUNTS = (
    "amount",
    "specific_revenue",
    "net",
    "excluded",
    "measure_by_rate",
    "measure_exact",
    "measure",
)


# ── cells ───────────────────────────────────────────────────────────────────────────────────


def display_width(text: str) -> int:
    """How many columns ``text`` takes on a screen: a full-width (or wide) character counts 2;
    the longest line of a text with line breaks."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.splitlines() or [""]
        ),
        default=0,
    )


class Cell(NamedTuple):
    """A cell to write: its value and, when it needs one, its number format."""

    value: object
    number_format: str | None = None


class Quoted(str):
    """A text that starts like a formula, written with Excel's quote prefix: shown as typed,
    never computed (nothing is added to the text)."""

    __slots__ = ()


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number(value: int | float | Decimal, base: str, least: int = 0) -> Cell:
    """A number as a typed cell whose format shows every decimal it has: ``base`` (``#,##0``,
    ``0``) for a whole number, else ``base`` with as many decimals as the value holds (at least
    ``least``) — nothing is rounded away on the screen. A fraction with more digits than Excel
    holds (15) is written as text, exactly."""
    if isinstance(value, bool):
        return Cell(value)
    if not math.isfinite(value):
        return Cell(str(value))
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    places = _decimals(exact)
    if places and len(exact.normalize().as_tuple().digits) > _EXCEL_DIGITS:
        return Cell(format(exact.normalize(), "f"))
    fmt = f"{base}.{'0' * max(places, least)}" if places or least else base
    return Cell(exact.normalize() if places else int(exact), fmt)


def rate(value: Decimal) -> Cell:
    """A rate: ``0.0#`` (0.3, 0.25); more decimals only when the rate has them."""
    exact = Decimal(value)
    places = _decimals(exact)
    if places > 2:
        return number(exact, "0")
    return Cell(exact.normalize() if places else int(exact), RATE)


def _text(value: str) -> Cell:
    if not value:
        return Cell(None)
    text, quote = xlsx_quoted(value)
    return Cell(Quoted(text) if quote else text)


def input_cell(name: str, value: object) -> Cell:
    """An input cell as it came, typed for people: text stays text (a code keeps its zero),
    a number is a number formatted for its field, a date a date; an id that came as a number
    is written as text."""
    if value is None:
        return Cell(None)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return Cell(value)
    if isinstance(value, int | float | Decimal):
        if name in _ID_FIELDS:
            whole = isinstance(value, int) or (math.isfinite(value) and value == int(value))
            return _text(str(int(value)) if whole else str(value))
        if name in _YEN_FIELDS:
            return number(value, YEN)
        if name in _YEAR_FIELDS:
            return number(value, YEAR)
        if name in _INDEX_FIELDS:
            return number(value, "0", 2)
        return Cell(value)
    if isinstance(value, dt.datetime):
        return Cell(value, MOMENT)
    if isinstance(value, dt.date):
        return Cell(value, DATE)
    return _text(str(value))


def yen(value: Decimal | None) -> Cell:
    return Cell(None) if value is None else number(value, YEN)


def shown_text(cell: Cell) -> str:
    """About what a spreadsheet shows of a cell (for the column widths)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00:00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if isinstance(value, bool):
        return "FALSE"
    if isinstance(value, int | Decimal) and (cell.number_format or "").startswith("#,##0"):
        return f"{value:,}"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return str(value)


# ── one sheet ───────────────────────────────────────────────────────────────────────────────


class _Sheet:
    """One sheet of the workbook: a header, then rows; the first rows are held to size the
    columns, then everything streams."""

    def __init__(
        self, sheet: Any, header: Sequence[str], *, freeze: str = "A2", autofilter: bool = True
    ) -> None:
        self.sheet = sheet
        self.header = list(header)
        self.widths = [display_width(h) + 3 for h in header]  # + the filter's button
        self.freeze = freeze
        self.autofilter = autofilter
        self.held: list[tuple[Sequence[Cell], str | None, bool]] = []
        self.rows = 0
        self.streaming = False
        self._styles: dict[tuple[str | None, str | None, bool, bool], Any] = {}

    def add(self, cells: Sequence[Cell], fill: str | None = None, bold: bool = False) -> None:
        """One row, filled (a colour) and bold as asked."""
        self.rows += 1
        if self.streaming:
            self._write(cells, fill, bold)
            return
        for i, cell in enumerate(cells):
            width = display_width(shown_text(cell)) + 2
            if i < len(self.widths):
                self.widths[i] = max(self.widths[i], width)
            else:
                self.widths.append(width)
        self.held.append((cells, fill, bold))
        if len(self.held) >= MEASURED_ROWS:
            self.start()

    def start(self) -> None:
        """Size the columns, write the header and the rows held; the rest streams."""
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet = self.sheet
        for i, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(
                max(width, MIN_WIDTH), MAX_WIDTH
            )
        if self.freeze:
            sheet.freeze_panes = self.freeze
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_title_rows = "1:1"
        sheet.oddHeader.center.text = "&A"
        sheet.oddFooter.right.text = "&P / &N"
        if self.header:
            from openpyxl.cell import WriteOnlyCell

            font = Font(bold=True)
            fill = PatternFill("solid", fgColor=HEADER_FILL)
            border = Border(bottom=Side(style="thin"))
            align = Alignment(vertical="center", wrap_text=True)
            heading = []
            for text in self.header:
                cell = WriteOnlyCell(sheet, xlsx_text(text))
                cell.font, cell.fill, cell.border, cell.alignment = font, fill, border, align
                heading.append(cell)
            sheet.append(heading)
        self.streaming = True
        for cells, colour, bold in self.held:
            self._write(cells, colour, bold)
        self.held = []

    def _style(self, fmt: str | None, fill: str | None, bold: bool, quote: bool = False) -> Any:
        """A cell to copy the style from: (format, fill, bold, quote prefix) built once."""
        key = (fmt, fill, bold, quote)
        found = self._styles.get(key)
        if found is None:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Font, PatternFill

            found = WriteOnlyCell(self.sheet)
            if fmt:
                found.number_format = fmt
            if fill:
                found.fill = PatternFill("solid", fgColor=fill)
            if bold:
                found.font = Font(bold=True)
            if quote:
                found.quotePrefix = True
            self._styles[key] = found
        return found

    def _write(self, cells: Sequence[Cell], fill: str | None, bold: bool) -> None:
        from openpyxl.cell import WriteOnlyCell

        row: list[Any] = []
        plain = fill is None and not bold
        for cell in cells:
            quote = isinstance(cell.value, Quoted)
            if plain and cell.number_format is None and not quote:
                row.append(cell.value)
                continue
            styled = WriteOnlyCell(self.sheet, cell.value)
            if quote:
                styled.data_type = "s"  # text, never a formula, however it starts
            styled._style = copy(self._style(cell.number_format, fill, bold, quote)._style)
            row.append(styled)
        self.sheet.append(row)

    def close(self) -> None:
        """Write what is still held; the auto-filter over the header and every row."""
        if not self.streaming:
            self.start()
        if self.autofilter and self.header:
            from openpyxl.utils import get_column_letter

            last = get_column_letter(max(len(self.header), 1))
            self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


# ── the workbook ────────────────────────────────────────────────────────────────────────────


def _label(id: str, lang: Lang) -> str:
    """A catalog label as a column heading (English capitalised)."""
    text = t(id, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


def _input_label(name: str, lang: Lang) -> str:
    """An input column's heading: the field's label, or the header as it stood."""
    return _label(f"column.{name}", lang) if has(f"column.{name}") else name


def _words(codes: Iterable[str], lang: Lang) -> str:
    separator = "、" if lang == "ja" else "; "
    return separator.join(t(f"code.{c}", lang) if has(f"code.{c}") else str(c) for c in codes)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class ResultsWorkbook:
    """The results workbook: use it as a context manager; it is saved, whole, when the block
    ends without an error (and discarded, leaving any previous file, when it does not).

    ``columns`` are the input columns as the results name them (a field's canonical name, or a
    header that names none); :meth:`row` writes one input row with its outcome, :meth:`error`
    one problem, :meth:`summary` one government and fiscal year, :meth:`info` what the info
    sheet lists besides the time and tokko's version.
    """

    def __init__(
        self,
        path: Path,
        lang: Lang,
        columns: Sequence[str] | None = None,
        *,
        into: Outputs | None = None,
    ) -> None:
        self.path = Path(path)
        self._into = into
        self.lang = lang
        self._columns = list(columns) if columns is not None else None
        self._stack: ExitStack | None = None
        self._results: _Sheet | None = None
        self._lines: list[list[Cell]] = []
        self._line_fills: list[str | None] = []
        self._sums: dict[str, Any] = dict.fromkeys((*_COUNTS, *_AMOUNTS), 0)
        self._rules: dict[tuple[str, str, str], RulesRef] = {}
        self._files: list[str] = []

    # the context: open, then save whole or discard

    def __enter__(self) -> ResultsWorkbook:
        lang = self.lang
        with ExitStack() as stack:
            self._book = stack.enter_context(workbook(self.path, into=self._into))
            # The sheets in their order; the results' header waits for its columns.
            self._results_sheet = self._book.create_sheet(t("xlsx.sheet.results", lang))
            self._summary = _Sheet(
                self._book.create_sheet(t("xlsx.sheet.summary", lang)),
                [_label(SUMMARY_LABELS[c], lang) for c in SUMMARY_COLUMNS]
                + [_label("xlsx.column.warning_codes", lang)],
                freeze="C2",
            )
            self._errors = _Sheet(
                self._book.create_sheet(t("xlsx.sheet.errors", lang)),
                [_label(i, lang) for i in ("file", "row", "column", "code", "message")],
            )
            self._info = self._book.create_sheet(t("xlsx.sheet.info", lang))
            if self._columns is not None:
                self.header(self._columns)
            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        stack = self._stack
        assert stack is not None
        self._stack = None
        if kind is None:
            try:
                self._finish()
            except BaseException:
                if not stack.__exit__(*sys.exc_info()):
                    raise
                return False
        return bool(stack.__exit__(kind, value, traceback))

    # what is written

    def header(self, columns: Sequence[str]) -> None:
        """The input columns (canonical names, or the headers that name no field)."""
        lang = self.lang
        self._columns = list(columns)
        labels = [_input_label(name, lang) for name in self._columns]
        labels += [
            _label(i, lang)
            for i in (
                "column.status",
                "column.net",
                "column.rate",
                "column.measure",
                "column.reasons",
                "xlsx.column.reason_codes",
                "column.warnings",
                "xlsx.column.warning_codes",
            )
        ]
        self._results = _Sheet(self._results_sheet, labels)

    def row(self, cells: Sequence[object], outcome: Outcome) -> None:
        """One input row (its cells in the order of the columns) and what became of it."""
        if self._results is None:
            raise RuntimeError("ResultsWorkbook.header() first")
        lang = self.lang
        columns = self._columns or []
        shown = [
            input_cell(name, cells[i] if i < len(cells) else None) for i, name in enumerate(columns)
        ]
        if outcome.status == "error":
            reasons = ("。" if lang == "ja" else "; ").join(
                _unique(p.message(lang) for p in outcome.problems)
            )
            codes = ";".join(_unique(str(p.code) for p in outcome.problems))
            fill: str | None = ERROR_FILL
        else:
            reason = [str(outcome.reason)] if outcome.reason else []
            reasons, codes = _words(reason, lang), ";".join(reason)
            fill = WARNING_FILL if outcome.warnings else None
        warnings = [str(w) for w in outcome.warnings]
        shown += [
            Cell(t(f"status.{outcome.status}", lang)),
            yen(outcome.net),
            Cell(None) if outcome.rate is None else rate(outcome.rate),
            yen(outcome.measure),
            _text(reasons),
            _text(codes),
            _text(_words(warnings, lang)),
            _text(";".join(warnings)),
        ]
        self._results.add(shown, fill)

    def error(self, problem: Problem) -> None:
        """One problem: file, row, column (its label), code and message."""
        self._errors.add(
            [
                _text(problem.file or ""),
                Cell(problem.row, YEAR) if problem.row is not None else Cell(None),
                _text(column_label(problem.column, self.lang)),
                _text(str(problem.code)),
                _text(problem.message(self.lang)),
            ]
        )

    def summary(
        self,
        code: str,
        name: str,
        year: int | None,
        version: str | None,
        counts: Counts,
        totals: Totals,
        warnings: Sequence[str] = (),
    ) -> None:
        """One government and fiscal year: counts, totals and the declaration's warnings."""
        values: dict[str, Cell] = {
            "entity_code": _text(code),
            "entity_name": _text(name),
            "fiscal_year": Cell(None) if year is None else Cell(year, YEAR),
            "rules_version": _text(version or ""),
            "items": Cell(counts.items, COUNT),
            "eligible_items": Cell(counts.eligible, COUNT),
            "excluded_items": Cell(counts.excluded, COUNT),
            "error_items": Cell(counts.error, COUNT),
            "warning_items": Cell(counts.warning, COUNT),
            "fiscal_strength_index": Cell(None)
            if totals.fiscal_strength_index is None
            else number(totals.fiscal_strength_index, "0", 2),
            "fiscal_strength_multiplier": Cell(None)
            if totals.fiscal_strength_multiplier is None
            else number(totals.fiscal_strength_multiplier, "0", 1),
            "warnings": _text(_words(warnings, self.lang)),
        }
        for field in _AMOUNTS:
            values[field] = yen(getattr(totals, field))
            self._sums[field] = self._sums[field] + getattr(totals, field)
        for field, count in zip(
            _COUNTS,
            (counts.items, counts.eligible, counts.excluded, counts.error, counts.warning),
            strict=True,
        ):
            self._sums[field] += count
        self._lines.append(
            [*(values[c] for c in SUMMARY_COLUMNS), _text(";".join(str(w) for w in warnings))]
        )
        self._line_fills.append(ERROR_FILL if counts.error else None)

    def info(self, *, rules: Iterable[RulesRef] = (), files: Iterable[str] = ()) -> None:
        """Rule versions used and input files, for the info sheet (each listed once)."""
        for ref in rules:
            self._rules.setdefault((ref.measure, ref.version, ref.sha256), ref)
        for file in files:
            if file not in self._files:
                self._files.append(file)

    # the end

    def _finish(self) -> None:
        if self._results is None:
            self.header([])
        assert self._results is not None
        self._results.close()
        for line, fill in zip(self._lines, self._line_fills, strict=True):
            self._summary.add(line, fill)
        if self._lines:
            self._summary.add(self._total(), TOTAL_FILL, bold=True)
        self._summary.close()
        self._errors.close()
        self._write_info()

    def _total(self) -> list[Cell]:
        sums = self._sums
        values: dict[str, Cell] = {c: Cell(None) for c in SUMMARY_COLUMNS}
        values["entity_code"] = Cell(t("xlsx.total", self.lang))
        for field in _COUNTS:
            values[field] = Cell(sums[field], COUNT)
        for field in _AMOUNTS:
            values[field] = yen(Decimal(sums[field]) if sums[field] else ZERO)
        return [*(values[c] for c in SUMMARY_COLUMNS), Cell(None)]

    def _write_info(self) -> None:
        lang = self.lang
        sheet = _Sheet(self._info, [], freeze="", autofilter=False)
        sheet.add([Cell(t("xlsx.info.title", lang))], bold=True)
        sheet.add([])
        sheet.add([Cell(t("xlsx.info.tokko_version", lang)), Cell(__version__)])
        sheet.add(
            [
                Cell(t("xlsx.info.created", lang)),
                Cell(dt.datetime.now().replace(microsecond=0), MOMENT),
            ]
        )
        for i, file in enumerate(self._files):
            sheet.add([Cell(t("xlsx.info.inputs", lang) if i == 0 else None), _text(file)])
        sheet.add([Cell(t("xlsx.info.units", lang)), Cell(t("xlsx.info.units_text", lang))])
        sheet.add([])
        sheet.add([Cell(t("xlsx.info.rules", lang))], bold=True)
        sheet.add(
            [Cell(t(i, lang)) for i in ("measure_id", "version", "path", "sha256")], bold=True
        )
        for ref in self._rules.values():
            sheet.add([_text(ref.measure), _text(ref.version), _text(ref.path), _text(ref.sha256)])
        sheet.add([])
        sheet.add([Cell(t("xlsx.info.legend", lang))], bold=True)
        sheet.add(
            [Cell(_label("column.warnings", lang)), Cell(t("xlsx.info.warning_rows", lang))],
            WARNING_FILL,
        )
        sheet.add(
            [Cell(_label("status.error", lang)), Cell(t("xlsx.info.error_rows", lang))], ERROR_FILL
        )
        # The SHA-256 and the long texts need not widen the first column.
        sheet.widths = [
            max(
                display_width(t(i, lang)) + 2
                for i in (
                    "xlsx.info.tokko_version",
                    "xlsx.info.created",
                    "xlsx.info.inputs",
                    "xlsx.info.units",
                    "measure_id",
                    "xlsx.info.legend",
                )
            ),
            *sheet.widths[1:],
        ]
        sheet.close()
