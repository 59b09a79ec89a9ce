"""Batch review: many governments' rows, streamed from CSV/XLSX files, checked across files.

A prefecture's review reads its input twice (three times in the rare case below), holding one
row at a time:

1. **scan** (:mod:`tokko.prefilter`) — which item ids and contracts may repeat, in fixed-size bit
   tables; the ledger of joint contracts; exactly, only for the contracts that may repeat, a
   second look at their rows.
2. **compute** — every row is computed (common rows by :class:`~tokko.fastrows.FastRows`, the
   rest by :func:`~tokko.calculation.compute_row`), checked against the ledger and written; the
   summary per government and year is added up as it goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokko.audit import ContractLedger, ItemIds
from tokko.calculation import compute_row
from tokko.errors import FieldError
from tokko.explanation import problem_message
from tokko.fastrows import FastRows, FastTally
from tokko.io.inputs import read_agreements
from tokko.io.output import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    CsvSheet,
    SheetWriter,
    XlsxSheet,
    csv_sheet,
    result_cells,
    summary_cells,
    workbook,
)
from tokko.io.table import Record, Table, open_table
from tokko.prefilter import HashIn, scan
from tokko.reading import AgreementFields, Problem
from tokko.ruleset import RuleSet, load_rules
from tokko.tally import Tally

#: progress(phase, rows done, rows in all or None while still counting)
Progress = Callable[[str, int, int | None], None]
_PROGRESS_EVERY = 5000
#: A cell that starts like a formula (``=`` ``+`` ``-`` ``@`` tab CR), quoted or not, in a CSV
#: record with a comma put before it: every cell then follows a comma. (The pattern starts with
#: a plain comma so that the regex engine skips from comma to comma.)
_FORMULA_CELL = re.compile(r',(?:[=+\-@\t\r]|"[=+\-@\t\r])')


@dataclass
class BatchReport:
    """What a batch run did."""

    rows: int = 0
    error_rows: int = 0
    agreement_errors: int = 0
    entities: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row and every agreement was read (exit code 0)."""
        return self.error_rows == 0 and self.agreement_errors == 0


def _named(table: Table) -> list[tuple[str, int]]:
    """Each column of a table as (name, how many columns of that name came before it)."""
    seen: dict[str, int] = {}
    named = []
    for header, canonical in zip(table.headers, table.fields, strict=True):
        name = canonical or header
        named.append((name, seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    return named


def _output_columns(tables: Sequence[Table]) -> list[tuple[str, int]]:
    """The input columns of all tables, in first-seen order (two 備考 columns stay two)."""
    columns: list[tuple[str, int]] = []
    for table in tables:
        columns.extend(c for c in _named(table) if c not in columns)
    return columns


def _layout(table: Table, columns: list[tuple[str, int]]) -> list[int] | None:
    """Where each output column is in this table (None: the same order as the output)."""
    own = _named(table)
    if own == columns:
        return None
    return [own.index(c) if c in own else -1 for c in columns]


def _summary_order(key: tuple[str, str]) -> tuple[int, str, str]:
    return (0 if key[0].isdigit() and len(key[0]) == 6 else 1, key[0], key[1])


def _merge(tally: Tally, fast: FastTally) -> None:
    eligible, excluded_items, deducted, net, excluded, measure = fast
    tally.items += eligible + excluded_items
    tally.eligible += eligible
    tally.excluded_items += excluded_items
    tally.amount += deducted + net + excluded
    tally.specific_revenue += deducted
    tally.net += net
    tally.excluded += excluded
    tally.measure_exact += measure


def run_batch(
    inputs: Sequence[str | Path],
    *,
    out: Path,
    summary: Path | None = None,
    errors: Path | None = None,
    agreements: Path | None = None,
    rules: RuleSet | None = None,
    unit: int = 1,
    sheet: str | None = None,
    output_format: str = "csv",
    encoding: str = "utf-8-sig",
    progress: Progress | None = None,
) -> BatchReport:
    """Compute every row of ``inputs``; write results, summary and errors (SPEC §5, §6).

    Every input is opened and its header checked before anything is written: a file that
    cannot be read raises :class:`~tokko.errors.InputFileError` and no output appears.
    With ``output_format="xlsx"`` one workbook at ``out`` holds the three sheets.
    """
    ruleset = rules if rules is not None else load_rules()
    tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
    book: list[AgreementFields] = []
    agreement_problems: list[tuple[str, int, Problem]] = []
    if agreements is not None:
        book, agreement_problems = read_agreements(agreements, sheet=None)
    by_id = {a.agreement_id: a for a in book}
    report = BatchReport(files=[t.name for t in tables], agreement_errors=len(agreement_problems))

    def tick(phase: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(phase, done, total)

    candidates, ledger, total = scan(tables, ruleset, unit, lambda n: tick("scan", n, None),
                                     _PROGRESS_EVERY)
    tick("scan", total, total)
    with ExitStack() as stack:
        results, summary_sheet, errors_sheet = _open_outputs(
            stack, out, summary, errors, output_format, encoding)
        errors_sheet.writerow(list(ERROR_COLUMNS))
        for file, number, problem in agreement_problems:
            errors_sheet.writerow([file, number, f"agreements.{problem.column}", problem.code,
                                   problem_message(problem)])
        compute = _Compute(ruleset, by_id, unit, ledger, candidates)
        compute.run(tables, results, errors_sheet, report, lambda done: tick("compute", done,
                                                                             total))
        tick("compute", report.rows, total)
        summary_sheet.writerow(list(SUMMARY_COLUMNS))
        tallies, names = compute.summary()
        for key in sorted(tallies, key=_summary_order):
            summary_sheet.writerow(summary_cells(key, names[key], tallies[key]))
        report.entities = len(tallies)
    return report


class _Compute:
    """Pass 3: every row computed, in order, written out and added up."""

    def __init__(self, rules: RuleSet, agreements: dict[str, AgreementFields], unit: int,
                 ledger: ContractLedger, candidates: set[int]) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._ids = ItemIds(HashIn(candidates))
        self._ledger = ledger
        self._candidates = candidates
        self._tallies: dict[tuple[str, str], Tally] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._fast: list[FastRows] = []

    def run(self, tables: Sequence[Table], results: SheetWriter, errors: SheetWriter,
            report: BatchReport, tick: Callable[[int], None]) -> None:
        columns = _output_columns(tables)
        results.writerow([*(name for name, _ in columns), *RESULT_COLUMNS])
        rows = 0
        for table in tables:
            fast = FastRows(table.index, len(table.headers), self._rules, self._agreements,
                            self._unit, self._ids, self._ledger, self._candidates)
            self._fast.append(fast)
            layout = _layout(table, columns)
            direct = layout is None and table.kind == "csv" and isinstance(results, CsvSheet)
            # The loop runs once per row: what it calls is bound here, and a common row with no
            # cell to neutralise is its own text and its results, kept in `lines` and written
            # with the next other row or every _PROGRESS_EVERY rows.
            compute, formula = fast.compute, _FORMULA_CELL.search
            lines: list[str] = []
            keep = lines.append
            for number, cells, text in table.numbered():
                rows += 1
                if rows % _PROGRESS_EVERY == 0:
                    results.write_lines(lines)
                    lines.clear()
                    tick(rows)
                computed = compute(cells)
                if (computed is not None and direct and text is not None
                        and formula("," + text) is None):
                    keep(f"{text},{computed}")
                    continue
                if lines:
                    results.write_lines(lines)
                    lines.clear()
                if computed is None:
                    self._general(table, Record(number, cells, text), layout, len(columns),
                                  results, errors, report)
                else:
                    results.writerow([*_own_cells(cells, layout, len(columns)),
                                      *computed.split(",")])
            results.write_lines(lines)
        report.rows = rows

    def _general(self, table: Table, record: Record, layout: list[int] | None, width: int,
                 results: SheetWriter, errors: SheetWriter, report: BatchReport) -> None:
        """A row the fast path would not vouch for, computed the general way."""
        done = compute_row(table.row(record), self._rules, self._agreements, self._unit,
                           self._ids, self._ledger)
        results.writerow([*_own_cells(record.cells, layout, width), *result_cells(done)])
        key = done.prepared.group
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = Tally()
        if not self._names.get(key) and done.prepared.entity is not None:
            self._names[key] = done.prepared.entity.name
        tally.add(done.outcome, done.prepared.rules)
        for problem in done.outcome.problems:
            errors.writerow([table.name, record.number, problem.column, problem.code,
                             problem_message(problem)])
        if done.outcome.status == "error":
            report.error_rows += 1

    def summary(self) -> tuple[dict[tuple[str, str], Tally], dict[tuple[str, str], str]]:
        """The tallies per (entity, year) of both paths, and the government names."""
        for fast in self._fast:
            for key, counts in fast.tallies.items():
                tally = self._tallies.setdefault(key, Tally())
                tally.rules = tally.rules or _rules_of(key, self._rules)
                self._names[key] = self._names.get(key) or fast.names[key]
                _merge(tally, counts)
        for key in self._tallies:
            self._names.setdefault(key, "")
        return self._tallies, self._names


def _rules_of(key: tuple[str, str], rules: RuleSet) -> Any:
    try:
        return rules.for_year(int(key[1]))
    except (FieldError, ValueError):
        return None


def _own_cells(cells: list[Any], layout: list[int] | None, width: int) -> list[Any]:
    if layout is None:
        return [cells[i] if i < len(cells) else "" for i in range(width)]
    return [cells[i] if 0 <= i < len(cells) else "" for i in layout]


def _open_outputs(
    stack: ExitStack, out: Path, summary: Path | None, errors: Path | None,
    output_format: str, encoding: str,
) -> tuple[SheetWriter, SheetWriter, SheetWriter]:
    if output_format == "xlsx":
        book = stack.enter_context(workbook(out))
        return (XlsxSheet(book.create_sheet("results")), XlsxSheet(book.create_sheet("summary")),
                XlsxSheet(book.create_sheet("errors")))
    results: SheetWriter = stack.enter_context(csv_sheet(out, encoding))
    summary_sheet: SheetWriter = (stack.enter_context(csv_sheet(summary, encoding))
                                  if summary is not None else _Discard())
    errors_sheet: SheetWriter = (stack.enter_context(csv_sheet(errors, encoding))
                                 if errors is not None else _Discard())
    return results, summary_sheet, errors_sheet


class _Discard:
    """A sheet nobody asked for."""

    def writerow(self, row: Sequence[object]) -> None:
        """Drop the row."""

    def write_lines(self, lines: Sequence[str]) -> None:
        """Drop the lines."""


__all__ = ["BatchReport", "Progress", "run_batch"]
