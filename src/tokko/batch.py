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

import pickle
import re
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from tokko.audit import ContractRow, ItemIds
from tokko.calculation import compute_row
from tokko.errors import FieldError
from tokko.explanation import problem_message
from tokko.fastrows import FastRows, FastTally
from tokko.io.inputs import read_agreements
from tokko.io.output import (
    ENCODINGS,
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    CsvSheet,
    SheetWriter,
    XlsxSheet,
    csv_part,
    csv_sheet,
    result_cells,
    summary_cells,
    workbook,
)
from tokko.io.parts import Part, share
from tokko.io.table import Record, Table, open_table
from tokko.parallel import Deferred, DeferringIds, map_parts, workers
from tokko.prefilter import Found, HashIn, Scan, gather, merge, scan
from tokko.reading import AgreementFields, Problem
from tokko.ruleset import RuleSet, load_rules
from tokko.tally import Tally

#: progress(phase, rows done, rows in all or None while still counting)
Progress = Callable[[str, int, int | None], None]
_PROGRESS_EVERY = 5000
#: With ``jobs=None``, CSV inputs smaller than this (in all) are read by this process alone:
#: starting the workers would cost more than it saves.
_SPLIT_BYTES = 8 << 20
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
    jobs: int | None = None,
) -> BatchReport:
    """Compute every row of ``inputs``; write results, summary and errors (SPEC §5, §6).

    Every input is opened and its header checked before anything is written: a file that
    cannot be read raises :class:`~tokko.errors.InputFileError` and no output appears.
    With ``output_format="xlsx"`` one workbook at ``out`` holds the three sheets.
    ``jobs`` is how many processes read CSV inputs (None: one per core, for large inputs; the
    output is the same whatever it is).
    """
    ruleset = rules if rules is not None else load_rules()
    # The encoding is checked on each file's first megabyte here, and on the rest by pass 1,
    # which reads every byte anyway; a file that turns out not to decode is checked whole.
    tables = [open_table(p, unit=unit, sheet=sheet, whole=False) for p in inputs]
    book: list[AgreementFields] = []
    agreement_problems: list[tuple[str, int, Problem]] = []
    if agreements is not None:
        book, agreement_problems = read_agreements(agreements, sheet=None)
    by_id = {a.agreement_id: a for a in book}
    report = BatchReport(files=[t.name for t in tables], agreement_errors=len(agreement_problems))

    def tick(phase: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(phase, done, total)

    processes = workers(jobs) if output_format == "csv" else 1
    with ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tokko-")))
        try:
            groups, firsts, found = _first_passes(tables, processes, jobs is None, ruleset, unit,
                                                  logs / "1", tick)
        except UnicodeDecodeError:
            tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
            groups, firsts, found = _first_passes(tables, processes, jobs is None, ruleset, unit,
                                                  logs / "2", tick)
        total = found.rows
        tick("scan", total, total)
        results, summary_sheet, errors_sheet = _open_outputs(
            stack, out, summary, errors, output_format, encoding)
        errors_sheet.writerow(list(ERROR_COLUMNS))
        for file, number, problem in agreement_problems:
            errors_sheet.writerow([file, number, f"agreements.{problem.column}", problem.code,
                                   problem_message(problem)])
        compute = _Compute(ruleset, by_id, unit, found, tables)
        if len(groups) > 1:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix=".tokko-", dir=out.resolve().parent)))
            compute.run_groups(groups, firsts, results, errors_sheet, report,
                               _PartFiles(folder, encoding),
                               lambda done: tick("compute", done, total))
        else:
            compute.run(groups[0], firsts[0], results, errors_sheet, report,
                        lambda done: tick("compute", done, total))
        tick("compute", report.rows, total)
        summary_sheet.writerow(list(SUMMARY_COLUMNS))
        tallies, names = compute.summary()
        for key in sorted(tallies, key=_summary_order):
            summary_sheet.writerow(summary_cells(key, names[key], tallies[key]))
        report.entities = len(tallies)
    return report


def _first_passes(
    tables: Sequence[Table], processes: int, auto: bool, rules: RuleSet, unit: int, logs: Path,
    tick: Callable[[str, int, int | None], None],
) -> tuple[list[list[Part]], list[list[int]], Found]:
    """Passes 1 and 2: the groups of parts, the number of each part's first row, the findings."""
    logs.mkdir()
    groups = _plan(tables, processes, auto=auto)
    if len(groups) > 1:
        found, firsts = _scan_groups(tables, groups, rules, unit, logs,
                                     lambda n: tick("scan", n, None))
        return groups, firsts, found
    found = scan(tables, rules, unit, lambda n: tick("scan", n, None), _PROGRESS_EVERY, logs)
    return [[Part(i) for i in range(len(tables))]], [[2] * len(tables)], found


def _plan(tables: Sequence[Table], processes: int, *, auto: bool) -> list[list[Part]]:
    """The tables shared out among ``processes``: one run of parts each (one run in all when
    there is nothing to share out)."""
    whole = [[Part(i) for i in range(len(tables))]]
    if processes < 2:
        return whole
    if auto and sum(t.path.stat().st_size for t in tables if t.kind == "csv") < _SPLIT_BYTES:
        return whole
    return share([(t.path, t.kind == "csv") for t in tables], processes)


def _scan_groups(tables: Sequence[Table], groups: Sequence[Sequence[Part]], rules: RuleSet,
                 unit: int, folder: Path, tick: Callable[[int], None],
                 ) -> tuple[Found, list[list[int]]]:
    """Passes 1 and 2 with a process for each group of parts; the merged findings and the
    number of each part's first row."""

    def first_pass(index: int, done: Callable[[int], None]) -> Scan:
        found = Scan(folder, f"scan{index}")
        for part in groups[index]:
            found.feed(tables[part.table], part, rules, unit, done, _PROGRESS_EVERY)
        found.close()
        return found

    scans = map_parts(first_pass, len(groups), tick)
    merged, wanted = merge(scans)
    if wanted:
        def second_pass(index: int, done: Callable[[int], None]) -> list[ContractRow]:
            return gather(tables, groups[index], wanted, rules, unit)

        for facts in map_parts(second_pass, len(groups), lambda n: None):
            for row in facts:
                merged.ledger.add(row)
    firsts: list[list[int]] = []
    counted: dict[int, int] = {}
    for group, found in zip(groups, scans, strict=True):
        numbers = []
        for part, records in zip(group, found.records, strict=True):
            numbers.append(2 + counted.get(part.table, 0))
            counted[part.table] = counted.get(part.table, 0) + records
        firsts.append(numbers)
    return merged, firsts


class _PartFiles:
    """Where each part's results and errors are written, in the output's encoding."""

    def __init__(self, folder: Path, encoding: str) -> None:
        self.folder = folder
        self.encoding = ENCODINGS.get(encoding.lower(), encoding)

    def results(self, index: int) -> Path:
        return self.folder / f"results-{index}.csv"

    def errors(self, index: int) -> Path:
        return self.folder / f"errors-{index}.csv"

    def deferred(self, index: int) -> Path:
        return self.folder / f"deferred-{index}.pickle"


class _Deferral(NamedTuple):
    """A row a part left to the parent, and where its lines go in the part's files."""

    table: int
    number: int
    cells: list[Any]
    text: str | None
    results_at: int
    errors_at: int


class _PartDone(NamedTuple):
    """What a worker sends back once its part is computed and written."""

    rows: int
    error_rows: int
    tallies: dict[tuple[str, str], Tally]  # rules left out: the parent reads them by key
    names: dict[tuple[str, str], str]
    seen: set[Any]  # the item keys that may repeat that the part used
    deferred: int  # rows deferred, in the part's file of deferrals (_PartFiles.deferred)


class _Table(NamedTuple):
    """How the rows of one input table are computed and written."""

    table: Table
    fast: FastRows
    layout: list[int] | None
    direct: bool  # a common row is written as its own text and its results


class _Compute:
    """Pass 3: every row computed, in order, written out and added up."""

    def __init__(self, rules: RuleSet, agreements: dict[str, AgreementFields], unit: int,
                 found: Found, tables: Sequence[Table]) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._candidates = found.candidates
        self._ids = ItemIds(HashIn(found.candidates))
        self._ledger = found.ledger
        self._tables = tables
        self._columns = _output_columns(tables)
        self._tallies: dict[tuple[str, str], Tally] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._fast: list[FastRows] = []
        self._how: dict[int, _Table] = {}
        #: where a worker writes the rows it defers (pickled _Deferral records, in order)
        self._deferrals: IO[bytes] | None = None
        self._deferred = 0

    def _table(self, index: int, results: SheetWriter) -> _Table:
        how = self._how.get(index)
        if how is None:
            table = self._tables[index]
            fast = FastRows(table.index, len(table.headers), self._rules, self._agreements,
                            self._unit, self._ids, self._ledger, self._candidates)
            self._fast.append(fast)
            layout = _layout(table, self._columns)
            direct = layout is None and table.kind == "csv" and isinstance(results, CsvSheet)
            how = self._how[index] = _Table(table, fast, layout, direct)
        return how

    def run(self, parts: Sequence[Part], firsts: Sequence[int], results: SheetWriter,
            errors: SheetWriter, report: BatchReport, tick: Callable[[int], None],
            *, header: bool = True) -> None:
        """Compute the rows of ``parts`` in order, writing them to ``results`` and ``errors``.

        A row a :class:`~tokko.parallel.DeferringIds` defers is not written: it goes to the
        file of deferrals, with where its lines belong.
        """
        if header:
            results.writerow([*(name for name, _ in self._columns), *RESULT_COLUMNS])
        rows = report.rows
        for part, first in zip(parts, firsts, strict=True):
            how = self._table(part.table, results)
            # The loop runs once per row: what it calls is bound here, and a common row with no
            # cell to neutralise is its own text and its results, kept in `lines` and written
            # with the next other row or every _PROGRESS_EVERY rows.
            compute, formula, direct = how.fast.compute, _FORMULA_CELL.search, how.direct
            lines: list[str] = []
            keep = lines.append
            for number, cells, text in how.table.numbered(part, first):
                rows += 1
                if rows % _PROGRESS_EVERY == 0:
                    results.write_lines(lines)
                    lines.clear()
                    tick(rows)
                try:
                    computed = compute(cells)
                    if (computed is not None and direct and text is not None
                            and formula("," + text) is None):
                        keep(f"{text},{computed}")
                        continue
                    if lines:
                        results.write_lines(lines)
                        lines.clear()
                    self._write(how, number, cells, text, computed, results, errors, report)
                except Deferred:
                    results.write_lines(lines)
                    lines.clear()
                    self._defer(_Deferral(part.table, number, cells, text, _position(results),
                                          _position(errors)))
            results.write_lines(lines)
        report.rows = rows

    def _defer(self, row: _Deferral) -> None:
        """Keep a deferred row for the parent, on disk: a part may defer many (a file given
        twice defers every row of its second copy)."""
        assert self._deferrals is not None, "only a part after the first defers"
        pickle.dump(row, self._deferrals, pickle.HIGHEST_PROTOCOL)
        self._deferred += 1

    def _write(self, how: _Table, number: int, cells: list[Any], text: str | None,
               computed: str | None, results: SheetWriter, errors: SheetWriter,
               report: BatchReport) -> None:
        """Write a row that is not simply its own text and its results."""
        if computed is None:
            self._general(how.table, Record(number, cells, text), how.layout, len(self._columns),
                          results, errors, report)
        elif how.direct and text is not None and _FORMULA_CELL.search("," + text) is None:
            results.write_lines([f"{text},{computed}"])
        else:
            results.writerow([*_own_cells(cells, how.layout, len(self._columns)),
                              *computed.split(",")])

    def run_groups(self, groups: Sequence[Sequence[Part]], firsts: Sequence[Sequence[int]],
                   results: SheetWriter, errors: SheetWriter, report: BatchReport,
                   files: _PartFiles, tick: Callable[[int], None]) -> None:
        """Compute each group of parts in its own process, then join the groups' files in
        order, computing here the rows they deferred."""
        results.writerow([*(name for name, _ in self._columns), *RESULT_COLUMNS])

        def task(index: int, done: Callable[[int], None]) -> _PartDone:
            may_repeat = HashIn(self._candidates)
            ids = ItemIds(may_repeat) if index == 0 else DeferringIds(may_repeat)
            self._ids = ids
            mine = BatchReport()
            with csv_part(files.results(index), files.encoding) as own_results, \
                    csv_part(files.errors(index), files.encoding) as own_errors, \
                    files.deferred(index).open("wb") as self._deferrals:
                self.run(groups[index], firsts[index], own_results, own_errors, mine, done,
                         header=False)
            tallies, names = self.summary()
            for tally in tallies.values():
                tally.rules = None  # a RuleVersion is not sent through a pipe
            return _PartDone(mine.rows, mine.error_rows, tallies, names, ids.seen,
                             self._deferred)

        finished = map_parts(task, len(groups), tick)
        for index, done in enumerate(finished):
            with files.results(index).open("rb") as own_results, \
                    files.errors(index).open("rb") as own_errors, \
                    files.deferred(index).open("rb") as deferrals:
                for _ in range(done.deferred):
                    row: _Deferral = pickle.load(deferrals)
                    _join(results, own_results, row.results_at)
                    _join(errors, own_errors, row.errors_at)
                    how = self._table(row.table, results)
                    computed = how.fast.compute(row.cells)
                    self._write(how, row.number, row.cells, row.text, computed, results, errors,
                                report)
                _join(results, own_results, None)
                _join(errors, own_errors, None)
            self._ids.seen.update(done.seen)
            report.rows += done.rows
            report.error_rows += done.error_rows
            for key, tally in done.tallies.items():
                # The year's rules, as one process sets them (for error rows alone, 0 rounds to 0).
                tally.rules = _rules_of(key, self._rules)
                self._tallies.setdefault(key, Tally()).absorb(tally)
                self._names[key] = self._names.get(key) or done.names.get(key, "")

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


def _position(sheet: SheetWriter) -> int:
    """How many bytes a part's sheet holds so far (0 for a sheet nobody asked for)."""
    return sheet.position() if isinstance(sheet, CsvSheet) else 0


def _join(sheet: SheetWriter, source: IO[bytes], upto: int | None) -> None:
    """Copy a part's sheet into the output, up to byte ``upto`` (None: to its end)."""
    if isinstance(sheet, CsvSheet):
        sheet.copy(source, None if upto is None else upto - source.tell())


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
