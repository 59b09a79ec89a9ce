"""Batch review: many governments' rows from CSV/XLSX files, checked across files, in one process.

:func:`run_batch` reads its inputs twice: first the few columns the checks across rows need
(:func:`~tokko.batch.keys.scan`: item keys, contract ids and the rows of repeated contracts),
then every row once — read (step 1), checked against the other rows, computed by the engine
(steps 2–5), written out in input order and added to its government-year's totals (steps 6–8,
for the summary). Memory holds the totals per government-year and the keys that may repeat,
never the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from tokko.batch.keys import Keys, scan
from tokko.batch.rows import Rows
from tokko.engine.calculate import Indices
from tokko.engine.steps import Agreement, Outcome
from tokko.engine.totals import Adjustment, Tally, adjust, totals
from tokko.io.inputs import read_agreements_file, read_indices_file, template_agreements
from tokko.io.paths import check_outputs
from tokko.io.results import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    error_cells,
    layout,
    output_columns,
    own_cells,
    read_positions,
    result_cells,
    summary_cells,
    with_read,
)
from tokko.io.table import Table, open_table
from tokko.io.workbook import ResultsWorkbook
from tokko.io.writers import CsvSheet, Outputs, csv_output, outputs
from tokko.messages import Lang
from tokko.model.localgov import lookup
from tokko.model.problem import Problem
from tokko.rules.ruleset import RuleSet, RuleVersion, load_rules

#: progress(phase, rows done, rows in all or None while still counting)
Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 5000


class Sheet(Protocol):
    """Where rows go: a CSV file or one sheet of a workbook."""

    def writerow(self, row: Sequence[object]) -> None: ...


class _Nowhere:
    """A sheet nobody asked for."""

    def writerow(self, row: Sequence[object]) -> None:
        """Drop the row."""


@dataclass
class BatchReport:
    """What a batch run did."""

    rows: int = 0
    error_rows: int = 0
    warning_rows: int = 0
    #: How many rows carry each warning code.
    warnings: dict[str, int] = field(default_factory=dict)
    #: Problems of the agreements and indices files, and unknown columns.
    file_problems: int = 0
    entities: int = 0
    files: list[str] = field(default_factory=list)
    #: The rule versions the rows were computed with.
    rules: list[RuleVersion] = field(default_factory=list)
    #: Characters the CSV encoding (CP932) could not hold, written as ``\U…``.
    escaped: int = 0
    #: (file, sheet) of the inputs' other declaration sheets, not read.
    unread_sheets: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there were rows, every one computed, and every file read whole (exit 0)."""
        return self.rows > 0 and self.error_rows == 0 and self.file_problems == 0


class _Line:
    """The summary of one government and fiscal year, added up as its rows come."""

    __slots__ = ("entity", "rules", "tally")

    def __init__(self, entity: str) -> None:
        self.tally = Tally()
        self.rules: RuleVersion | None = None
        self.entity = entity


def run_batch(
    inputs: Sequence[str | Path],
    *,
    out: Path,
    summary: Path | None = None,
    errors: Path | None = None,
    agreements: Path | None = None,
    fiscal_strength: Path | None = None,
    rules: RuleSet | None = None,
    unit: int = 1,
    sheet: str | None = None,
    output_format: str = "csv",
    encoding: str = "utf-8-sig",
    lang: Lang = "ja",
    ignore_columns: Sequence[str] = (),
    progress: Progress | None = None,
    names: Mapping[Path, str] | None = None,
) -> BatchReport:
    """Compute every row of ``inputs``; write results, summary and errors (SPEC §5, §6).

    Outputs are checked against the inputs, and every input is opened and its header checked,
    before anything is written: an output that is an input is a
    :class:`~tokko.errors.UsageError`, a file that cannot be read an
    :class:`~tokko.errors.InputFileError`, and no output appears. With
    ``output_format="xlsx"`` one workbook at ``out`` holds the three sheets. ``names`` gives
    an input the name the outputs and messages show (an upload's own name rather than where
    it was stored).
    """
    paths = [Path(p) for p in inputs]
    check_outputs([*paths, agreements, fiscal_strength], [out, summary, errors])
    ruleset = (rules if rules is not None else load_rules()).only(None)
    shown = {Path(p): n for p, n in (names or {}).items()}
    tables = [
        open_table(p, unit=unit, sheet=sheet, ignored=ignore_columns, name=shown.get(p))
        for p in paths
    ]
    book: list[Agreement] = []
    problems: list[Problem] = [p for t in tables for p in t.problems]
    unread = [(t.name, s) for t in tables for s in t.unread_sheets]
    if agreements is not None:
        book, found = read_agreements_file(agreements, name=shown.get(Path(agreements)))
        problems += found
    for table in tables:  # a filled template carries its agreements on a sheet of its own
        more, found = template_agreements(table)
        book += more
        problems += found
    indices: dict[tuple[str, int], Decimal] = {}
    if fiscal_strength is not None:
        indices, found = read_indices_file(fiscal_strength, name=shown.get(Path(fiscal_strength)))
        problems += found
    report = BatchReport(
        files=[t.name for t in tables], file_problems=len(problems), unread_sheets=unread
    )

    def tick(phase: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(phase, done, total)

    keys = scan(tables, ruleset, unit, lambda n: tick("scan", n, None))
    tick("scan", keys.rows, keys.rows)
    with ExitStack() as stack:
        for table in tables:
            stack.callback(table.close)
        output = _open(stack, out, summary, errors, output_format, encoding, lang)
        for problem in problems:
            output.error(problem)
        known = Indices(indices)  # the index of each government-year, the first given
        lines = _compute(
            tables,
            ruleset,
            {a.agreement_id: a for a in book},
            unit,
            keys,
            known,
            output,
            report,
            lambda n: tick("compute", n, keys.rows),
        )
        tick("compute", report.rows, keys.rows)
        for (code, year), line in sorted(lines.items()):
            index = known.known.get((code, year))
            output.summary(
                code,
                line.entity,
                year,
                line.rules,
                line.tally,
                adjust(line.rules, lookup(code), index),
            )
        output.info(report.files)
        report.escaped = output.escaped()
        report.entities = len(lines)
        report.rules = list(
            {id(v): v for v in (line.rules for line in lines.values()) if v is not None}.values()
        )
    return report


def _compute(
    tables: Sequence[Table],
    rules: RuleSet,
    agreements: dict[str, Agreement],
    unit: int,
    keys: Keys,
    indices: Indices,
    output: Output,
    report: BatchReport,
    tick: Callable[[int], None],
) -> dict[tuple[str, int], _Line]:
    """The second pass: every row in order, computed, checked, written and added up."""
    named = [t.columns() for t in tables]
    columns = output_columns(named)
    width = len(columns)
    output.header([name for name, _ in columns])
    rows = Rows(rules, agreements, unit, keys, indices)
    lines: dict[tuple[str, int], _Line] = {}
    at = read_positions([name for name, _ in columns])
    for table, own in zip(tables, named, strict=True):
        where = layout(own, columns)
        for number, cells in table.records():
            done = rows.compute(table, number, cells)
            outcome = done.outcome
            carried = with_read(own_cells(cells, where, width), at, done.read, text=output.text)
            output.row(carried, outcome)
            for problem in outcome.problems:
                output.error(problem)
            _count(report, outcome)
            if done.entity is not None and done.fiscal_year is not None:
                key = (done.entity.code, done.fiscal_year)
                line = lines.get(key)
                if line is None:
                    line = lines[key] = _Line(done.entity.name)
                line.tally.add(outcome)
                if line.rules is None:
                    line.rules = done.rules
            if report.rows % PROGRESS_EVERY == 0:
                tick(report.rows)
    return lines


def _count(report: BatchReport, outcome: Outcome) -> None:
    report.rows += 1
    if outcome.status == "error":
        report.error_rows += 1
    if outcome.warnings:
        report.warning_rows += 1
        for code in outcome.warnings:
            report.warnings[code] = report.warnings.get(code, 0) + 1


class Output(Protocol):
    """Where a batch writes: three CSV files (SPEC §6, for programs) or one workbook (for
    people)."""

    def header(self, columns: Sequence[str]) -> None: ...
    def row(self, cells: Sequence[object], outcome: Outcome) -> None: ...
    def error(self, problem: Problem) -> None: ...
    def summary(
        self,
        code: str,
        name: str,
        year: int,
        rules: RuleVersion | None,
        tally: Tally,
        adjustment: Adjustment,
    ) -> None: ...
    def info(self, files: Sequence[str]) -> None: ...
    def escaped(self) -> int: ...

    #: Whether the cells are written as text (CSV) rather than typed (a workbook).
    text: bool


class _Files:
    """The results, summary and errors CSV files."""

    text = True

    def __init__(self, results: Sheet, summary: Sheet, errors: Sheet, lang: Lang) -> None:
        self._results, self._summary, self._errors, self._lang = results, summary, errors, lang
        errors.writerow(list(ERROR_COLUMNS))
        summary.writerow(list(SUMMARY_COLUMNS))

    def header(self, columns: Sequence[str]) -> None:
        self._results.writerow([*columns, *RESULT_COLUMNS])

    def row(self, cells: Sequence[object], outcome: Outcome) -> None:
        self._results.writerow([*cells, *result_cells(outcome)])

    def error(self, problem: Problem) -> None:
        self._errors.writerow(error_cells(problem, self._lang))

    def summary(
        self,
        code: str,
        name: str,
        year: int,
        rules: RuleVersion | None,
        tally: Tally,
        adjustment: Adjustment,
    ) -> None:
        self._summary.writerow(summary_cells(code, name, year, rules, tally, adjustment))

    def info(self, files: Sequence[str]) -> None:
        """CSV files carry no info block."""

    def escaped(self) -> int:
        sheets = (self._results, self._summary, self._errors)
        return sum(s.escaped for s in sheets if isinstance(s, CsvSheet))


class _Workbook:
    """The workbook for people (:class:`~tokko.io.workbook.ResultsWorkbook`)."""

    text = False

    def __init__(self, book: ResultsWorkbook) -> None:
        self._book = book
        self.header, self.row, self.error = book.header, book.row, book.error

    def summary(
        self,
        code: str,
        name: str,
        year: int,
        rules: RuleVersion | None,
        tally: Tally,
        adjustment: Adjustment,
    ) -> None:
        found, warnings = totals(tally, rules, adjustment)
        self._book.summary(
            code, name, year, rules.version if rules else None, tally.counts(), found, warnings
        )
        if rules is not None:
            self._book.info(rules=[rules.ref()])

    def info(self, files: Sequence[str]) -> None:
        self._book.info(files=files)

    def escaped(self) -> int:
        return 0  # a workbook holds every character


def _open(
    stack: ExitStack,
    out: Path,
    summary: Path | None,
    errors: Path | None,
    output_format: str,
    encoding: str,
    lang: Lang,
) -> Output:
    """The outputs of the run, written under temporary names and renamed into place together
    when the run has finished: a run that fails replaces none of the previous files."""
    group: Outputs = stack.enter_context(outputs())
    if output_format == "xlsx":
        return _Workbook(stack.enter_context(ResultsWorkbook(out, lang, into=group)))

    def sheet(path: Path | None) -> Sheet:
        if path is None:
            return _Nowhere()
        return stack.enter_context(csv_output(path, encoding, into=group))

    return _Files(sheet(out), sheet(summary), sheet(errors), lang)
