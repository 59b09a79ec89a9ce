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

import csv
import io
import pickle
import re
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from tokko import onepass
from tokko.audit import ContractLedger, ItemIds, ItemKey
from tokko.calculation import compute_row
from tokko.errors import FieldError
from tokko.explanation import problem_message
from tokko.fastrows import FastRows, FastTally
from tokko.io.csvrecords import records
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
from tokko.onepass import (
    BlockIndex,
    Collected,
    Guessed,
    LoggingIds,
    PairLog,
    Settled,
    Watch,
    collect,
    settle,
)
from tokko.parallel import Deferred, map_parts, workers
from tokko.prefilter import HashIn, scan
from tokko.reading import AgreementFields, Problem
from tokko.ruleset import RuleSet, load_rules
from tokko.tally import Tally

#: progress(phase, rows done, rows in all or None while still counting)
Progress = Callable[[str, int, int | None], None]
_PROGRESS_EVERY = 5000
#: With ``jobs=None``, CSV inputs smaller than this (in all) are read by this process alone:
#: starting the workers would cost more than it saves (on 2 cores they break even at about
#: 10,000 rows, 1.2 MB, and save 15 ms at 20,000).
_SPLIT_BYTES = 2 << 20
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
    eligible, excluded_items, deducted, net, excluded, measure, net_by_rate = fast
    tally.items += eligible + excluded_items
    tally.eligible += eligible
    tally.excluded_items += excluded_items
    tally.amount += deducted + net + excluded
    tally.specific_revenue += deducted
    tally.net += net
    tally.excluded += excluded
    tally.measure_exact += measure
    for rate, rate_net in net_by_rate.items():
        tally.measure_exact += rate * rate_net


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
    # The encoding is checked on each file's first megabyte here, and on the rest by the first
    # pass, which reads every byte anyway; a file that turns out not to decode is checked whole.
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
    groups = _plan(tables, processes, auto=jobs is None)
    with ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tokko-")))
        if len(groups) > 1:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix=".tokko-", dir=out.resolve().parent)))
            batch = _Parts(ruleset, by_id, unit, groups, _PartFiles(folder, encoding))
            try:
                batch.guess(tables, logs / "1", tick)
            except UnicodeDecodeError:
                tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
                batch.guess(tables, logs / "2", tick)
            batch.settle()
        else:
            try:
                found = scan(tables, ruleset, unit, lambda n: tick("scan", n, None),
                             _PROGRESS_EVERY, _folder(logs / "1"))
            except UnicodeDecodeError:
                tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
                found = scan(tables, ruleset, unit, lambda n: tick("scan", n, None),
                             _PROGRESS_EVERY, _folder(logs / "2"))
            tick("scan", found.rows, found.rows)
        results, summary_sheet, errors_sheet = _open_outputs(
            stack, out, summary, errors, output_format, encoding)
        errors_sheet.writerow(list(ERROR_COLUMNS))
        for file, number, problem in agreement_problems:
            errors_sheet.writerow([file, number, f"agreements.{problem.column}", problem.code,
                                   problem_message(problem)])
        if len(groups) > 1:
            compute = batch.join(results, errors_sheet, report)
        else:
            total = found.rows
            compute = _Compute(ruleset, by_id, unit, tables, ItemIds(HashIn(found.candidates)),
                               found.ledger, found.candidates)
            compute.run(groups[0], [2] * len(tables), results, errors_sheet, report,
                        lambda done: tick("compute", done, total))
        tick("compute", report.rows, report.rows)
        summary_sheet.writerow(list(SUMMARY_COLUMNS))
        tallies, names = compute.summary()
        for key in sorted(tallies, key=_summary_order):
            summary_sheet.writerow(summary_cells(key, names[key], tallies[key]))
        report.entities = len(tallies)
    return report


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _plan(tables: Sequence[Table], processes: int, *, auto: bool) -> list[list[Part]]:
    """The tables shared out among ``processes``: one run of parts each (one run in all when
    there is nothing to share out)."""
    whole = [[Part(i) for i in range(len(tables))]]
    if processes < 2:
        return whole
    if auto and sum(t.path.stat().st_size for t in tables if t.kind == "csv") < _SPLIT_BYTES:
        return whole
    return share([(t.path, t.kind == "csv") for t in tables], processes)


def _estimate(tables: Sequence[Table]) -> int | None:
    """About how many rows the tables hold, from the length of their first lines (None when
    a table is a spreadsheet): for the progress bar's time left while the rows are counted."""
    rows = 0
    for table in tables:
        if table.kind != "csv":
            return None
        size = table.path.stat().st_size
        with table.path.open("rb") as stream:
            head = stream.read(1 << 16)
        rows += size * max(head.count(b"\n"), 1) // max(len(head), 1)
    return rows


class _PartFiles:
    """Where each group of parts writes its results, errors, deferred rows and block index;
    ``again`` names those written again with its dirty rows computed again."""

    def __init__(self, folder: Path, encoding: str) -> None:
        self.folder = folder
        self.encoding = ENCODINGS.get(encoding.lower(), encoding)

    def results(self, index: int, again: bool = False) -> Path:
        return self.folder / f"results-{index}{'-again' if again else ''}.csv"

    def errors(self, index: int, again: bool = False) -> Path:
        return self.folder / f"errors-{index}{'-again' if again else ''}.pickle"

    def deferred(self, index: int, again: bool = False) -> Path:
        return self.folder / f"deferred-{index}{'-again' if again else ''}.pickle"

    def blocks(self, index: int) -> Path:
        return self.folder / f"blocks-{index}.bin"

    def dirty(self, index: int) -> Path:
        return self.folder / f"dirty-{index}.pickle"


class _GroupRow(NamedTuple):
    """A row of a group of parts, kept to be computed later."""

    part: int  # the part of its group it is in (its number is counted from that part's start)
    ordinal: int  # its place among the group's rows, from 0
    table: int
    number: int
    cells: list[Any]
    text: str | None


class _Deferral(NamedTuple):
    """A row a group left to the parent, and where its lines go in the group's files."""

    row: _GroupRow
    results_at: int
    errors_at: int


class _Guess(NamedTuple):
    """What a worker sends back once its group is computed on the single pass."""

    rows: int
    error_rows: int
    tallies: dict[tuple[str, str], Tally]  # rules left out: the parent reads them by key
    names: dict[tuple[str, str], str]
    deferred: int  # rows deferred, in the group's file of deferrals
    records: list[int]  # records read per part (blank ones included)
    logs: Guessed


class _Again(NamedTuple):
    """What a worker sends back once the dirty rows of its group are computed again."""

    error_rows: int  # the dirty rows' error rows now, less those of the guess
    tallies: dict[tuple[str, str], Tally]  # the dirty rows now
    guessed: dict[tuple[str, str], Tally]  # the same rows as guessed: to take away
    names: dict[tuple[str, str], str]
    deferred: int


class _Parts:
    """A batch whose input is cut into groups of parts, one process each (:mod:`tokko.onepass`).

    :meth:`guess` computes every group at once as if no key repeated; :meth:`settle` merges
    what the groups logged and computes their dirty rows again; :meth:`join` writes the
    groups' files out in order, with the rows they deferred computed here.
    """

    def __init__(self, rules: RuleSet, agreements: dict[str, AgreementFields], unit: int,
                 groups: list[list[Part]], files: _PartFiles) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._groups = groups
        self._files = files
        self._tables: Sequence[Table] = []
        self._guesses: list[_Guess] = []
        self._again: dict[int, _Again] = {}
        self._settled: Settled | None = None
        self._tick: Callable[[str, int, int | None], None] = lambda phase, done, total: None

    def guess(self, tables: Sequence[Table], logs: Path,
              tick: Callable[[str, int, int | None], None]) -> None:
        """The single pass: every group computed in a process of its own."""
        self._tables, self._tick = tables, tick
        _folder(logs)
        rules, unit, files = self._rules, self._unit, self._files
        estimate = _estimate(tables)

        def task(index: int, done: Callable[[int], None]) -> _Guess:
            items, singles = PairLog(logs, f"items{index}"), PairLog(logs, f"contracts{index}")
            ids, joint = LoggingIds(items), ContractLedger()
            compute = self._compute(
                ids, ContractLedger(), None,
                watch=lambda table: Watch(table, rules, unit, ids, singles, joint),
                blocks=BlockIndex(files.blocks(index)), logs=(items, singles))
            mine = BatchReport()
            records: list[int] = []
            with csv_part(files.results(index), files.encoding) as results, \
                    _Pickled.open(files.errors(index), ids) as errors, \
                    files.deferred(index).open("wb") as compute.deferrals:
                compute.run(self._groups[index], [2] * len(self._groups[index]), results,
                            errors, mine, done, header=False, records=records)
            items.close()
            singles.close()
            tallies, names = compute.summary()
            for tally in tallies.values():
                tally.rules = None  # a RuleVersion is not sent through a pipe
            return _Guess(mine.rows, mine.error_rows, tallies, names, compute.deferred, records,
                          Guessed(items, singles, joint))

        self._guesses = map_parts(task, len(self._groups), lambda done: tick(
            "compute", done, None if estimate is None else max(estimate, done)))

    def settle(self) -> None:
        """Merge the groups' logs, then, in the groups that have dirty rows: read those rows
        (gathering the contracts that repeat) and compute them again."""
        settled = self._settled = settle([g.logs for g in self._guesses])
        todo = [i for i, dirty in enumerate(settled.dirty) if dirty]
        if not todo:
            return
        tables, rules, unit, files = self._tables, self._rules, self._unit, self._files

        def read(index: int, done: Callable[[int], None]) -> Collected:
            group = todo[index]
            with files.dirty(group).open("wb") as out:
                return collect(tables, self._groups[group], settled.dirty[group], settled,
                               rules, unit,
                               lambda *row: pickle.dump(_GroupRow(*row), out,
                                                        pickle.HIGHEST_PROTOCOL))

        before: dict[int, set[ItemKey]] = {}  # the keys that may repeat the earlier groups took
        claimed: set[ItemKey] = set()
        for group, found in zip(todo, map_parts(read, len(todo), lambda done: None),
                                strict=True):
            for row in found.facts:
                settled.ledger.add(row)
            before[group] = set(claimed)
            claimed.update(found.claimed)

        def again(index: int, done: Callable[[int], None]) -> _Again:
            group = todo[index]
            candidates = settled.candidates
            ids = ItemIds(HashIn(candidates), before[group])
            real = self._compute(ids, settled.ledger, candidates)
            guessed = self._compute(ItemIds(set()), ContractLedger(), set(),
                                    watch=lambda table: Watch(table, rules, unit))
            now, guessed_report = BatchReport(), BatchReport()
            marker = _Row()
            with csv_part(files.results(group, True), files.encoding) as results, \
                    _Pickled.open(files.errors(group, True), marker) as errors, \
                    files.deferred(group, True).open("wb") as real.deferrals:
                real.again(self._guesses[group].rows, files, group, results, errors, marker,
                           now, guessed, guessed_report)
            tallies, names = real.summary()
            guessed_tallies, _ = guessed.summary()
            for tally in [*tallies.values(), *guessed_tallies.values()]:
                tally.rules = None
            return _Again(now.error_rows - guessed_report.error_rows, tallies, guessed_tallies,
                          names, real.deferred)

        self._again = dict(zip(todo, map_parts(again, len(todo), lambda done: None),
                               strict=True))

    def _compute(self, ids: ItemIds, ledger: ContractLedger, candidates: set[int] | None,
                 **options: Any) -> _Compute:
        return _Compute(self._rules, self._agreements, self._unit, self._tables, ids, ledger,
                        candidates, **options)

    def join(self, results: SheetWriter, errors: SheetWriter, report: BatchReport) -> _Compute:
        """Write every group's lines out in order, computing the rows they deferred; the
        :class:`_Compute` that holds the summary."""
        settled = self._settled
        assert settled is not None
        here = self._compute(ItemIds(HashIn(settled.candidates)), settled.ledger,
                             settled.candidates)
        results.writerow([*(name for name, _ in here.columns), *RESULT_COLUMNS])
        counted: dict[int, int] = {}  # records per table in the groups joined so far
        files = self._files
        for index, (group, guess) in enumerate(zip(self._groups, self._guesses, strict=True)):
            offsets = []  # the part's first row number, less the 2 it was counted from
            for part, read in zip(group, guess.records, strict=True):
                offsets.append(counted.get(part.table, 0))
                counted[part.table] = counted.get(part.table, 0) + read
            again = self._again.get(index)
            redone = again is not None
            with files.results(index, redone).open("rb") as own_results, \
                    files.errors(index, redone).open("rb") as own_errors, \
                    files.deferred(index, redone).open("rb") as deferrals:
                for _ in range(guess.deferred if again is None else again.deferred):
                    deferral: _Deferral = pickle.load(deferrals)
                    _join(results, own_results, deferral.results_at)
                    _Pickled.join(errors, own_errors, deferral.errors_at, offsets)
                    row = deferral.row
                    here.one(row._replace(number=row.number + offsets[row.part]), results,
                             errors, report)
                _join(results, own_results, None)
                _Pickled.join(errors, own_errors, None, offsets)
            report.rows += guess.rows
            report.error_rows += guess.error_rows
            here.absorb(guess.tallies, guess.names)
            if again is not None:
                report.error_rows += again.error_rows
                here.absorb(again.tallies, again.names)
                here.absorb(again.guessed, {}, -1)
        return here


class _Row:
    """Where the single pass would note a row's ordinal, on any other pass."""

    __slots__ = ("row",)

    def __init__(self) -> None:
        self.row = 0


class _Table(NamedTuple):
    """How the rows of one input table are computed and written."""

    table: Table
    fast: FastRows
    layout: list[int] | None
    direct: bool  # a common row is written as its own text and its results
    watch: Watch | None  # on the single pass: joint rows deferred, contracts logged


class _Compute:
    """Every row computed, in order, written out and added up.

    ``ids``, ``ledger`` and ``candidates`` (hashes of the item keys that may repeat; None: ask
    ``ids`` about every key) are what the rows are checked against. On the single pass of
    :class:`_Parts`, ``watch`` looks at each row first, ``blocks`` marks where each block of
    rows starts and ``logs`` are written out now and then.
    """

    def __init__(self, rules: RuleSet, agreements: dict[str, AgreementFields], unit: int,
                 tables: Sequence[Table], ids: ItemIds, ledger: ContractLedger,
                 candidates: set[int] | None, *, watch: Callable[[Table], Watch] | None = None,
                 blocks: BlockIndex | None = None, logs: Sequence[PairLog] = ()) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._candidates = candidates
        self.ids = ids
        self._ledger = ledger
        self._tables = tables
        self.columns = _output_columns(tables)
        self._tallies: dict[tuple[str, str], Tally] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._fast: list[FastRows] = []
        self._how: dict[int, _Table] = {}
        self._watch = watch
        self._blocks = blocks
        self._logs = logs
        #: where a worker writes the rows it defers (pickled _Deferral records, in order)
        self.deferrals: IO[bytes] | None = None
        self.deferred = 0

    def _table(self, index: int, results: SheetWriter) -> _Table:
        how = self._how.get(index)
        if how is None:
            table = self._tables[index]
            watch = self._watch(table) if self._watch is not None else None
            fast = FastRows(table.index, len(table.headers), self._rules, self._agreements,
                            self._unit, self.ids, self._ledger, self._candidates, watch)
            self._fast.append(fast)
            layout = _layout(table, self.columns)
            direct = layout is None and table.kind == "csv" and isinstance(results, CsvSheet)
            how = self._how[index] = _Table(table, fast, layout, direct, watch)
        return how

    def run(self, parts: Sequence[Part], firsts: Sequence[int], results: SheetWriter,
            errors: SheetWriter, report: BatchReport, tick: Callable[[int], None],
            *, header: bool = True, records: list[int] | None = None) -> None:
        """Compute the rows of ``parts`` in order, writing them to ``results`` and ``errors``.

        A row that is deferred is not written: it goes to the file of deferrals, with where
        its lines belong. ``records`` gets the number of records read in each part.
        """
        if header:
            results.writerow([*(name for name, _ in self.columns), *RESULT_COLUMNS])
        rows = report.rows
        stop = rows  # when the next progress report or block mark is due
        marker = self.ids if isinstance(self.ids, LoggingIds) else _Row()  # the row's ordinal
        for index, (part, first) in enumerate(zip(parts, firsts, strict=True)):
            how = self._table(part.table, results)
            _start_part(errors, index)
            # The loop runs once per row: what it calls is bound here, and a common row is its
            # own text and its results, kept in `lines` and written (cells that would run as
            # formulas neutralised) with the next other row or at the next report or mark.
            compute, direct, watch = how.fast.compute, how.direct, how.watch
            lines: list[str] = []
            keep = lines.append
            for number, cells, text in how.table.numbered(part, first, records):
                if rows >= stop:
                    _write_common(results, lines)
                    lines.clear()
                    stop = self._due(rows, results, errors, tick)
                marker.row = rows
                rows += 1
                try:
                    computed = compute(cells)
                    if computed is not None and direct and text is not None:
                        keep(f"{text},{computed}")
                        continue
                    if computed is None and watch is not None and watch(cells):
                        raise Deferred
                    if lines:
                        _write_common(results, lines)
                        lines.clear()
                    self._write(how, number, cells, text, computed, results, errors, report)
                except Deferred:
                    _write_common(results, lines)
                    lines.clear()
                    self.defer(_Deferral(
                        _GroupRow(index, rows - 1, part.table, number, cells, text),
                        _position(results), _position(errors)))
            _write_common(results, lines)
        if self._blocks is not None:
            self._blocks.mark(_position(results), _position(errors), self.deferred)
            self._blocks.close()
        report.rows = rows

    def _due(self, rows: int, results: SheetWriter, errors: SheetWriter,
             tick: Callable[[int], None]) -> int:
        """Report progress, or mark a block's start, as due after ``rows`` rows; when the next
        is due."""
        if rows and rows % _PROGRESS_EVERY == 0:
            for log in self._logs:
                log.spill()
            tick(rows)
        upcoming = (rows // _PROGRESS_EVERY + 1) * _PROGRESS_EVERY
        if self._blocks is None:
            return upcoming
        size = 1 << onepass.BLOCK_BITS
        if rows % size == 0:
            self._blocks.mark(_position(results), _position(errors), self.deferred)
        return min(upcoming, (rows // size + 1) * size)

    def one(self, row: _GroupRow, results: SheetWriter, errors: SheetWriter,
            report: BatchReport) -> None:
        """Compute and write one row (a deferred one, or a dirty one computed again)."""
        how = self._table(row.table, results)
        try:
            computed = how.fast.compute(row.cells)
            if computed is None and how.watch is not None and how.watch(row.cells):
                raise Deferred
            self._write(how, row.number, row.cells, row.text, computed, results, errors, report)
        except Deferred:
            if self.deferrals is None:
                return  # a joint row computed again as guessed: it was not counted then
            self.defer(_Deferral(row, _position(results), _position(errors)))

    def again(self, rows: int, files: _PartFiles, group: int, results: CsvSheet,
              errors: _Pickled, marker: _Row, report: BatchReport, guessed: _Compute,
              before: BatchReport) -> None:
        """Write a group's files again with its dirty rows (read by
        :func:`~tokko.onepass.collect`) computed anew.

        A block of rows with no dirty row is copied from the files of the single pass, lines
        and deferrals. A block with one is read back, and each of its other rows written as it
        was. ``guessed`` computes the dirty rows again as the single pass did, into ``before``,
        so that what they added up can be taken away. ``rows`` is how many the group has.
        """
        bits = onepass.BLOCK_BITS
        discard = _Discard()
        with files.results(group).open("rb") as old_results, \
                files.errors(group).open("rb") as old_errors, \
                files.deferred(group).open("rb") as old_deferrals, \
                files.dirty(group).open("rb") as dirty:
            old = _OldBlocks(old_results, old_errors, old_deferrals, BlockIndex.read(
                files.blocks(group)), files.encoding, self, results, errors)
            current = -1
            while True:
                try:
                    row: _GroupRow = pickle.load(dirty)
                except EOFError:
                    break
                block = row.ordinal >> bits
                if block != current:
                    if current >= 0:
                        old.finish(min((current + 1) << bits, rows))
                    old.copy(block)
                    old.read(block)
                    current = block
                old.keep(row.ordinal)
                errors.part, marker.row = row.part, row.ordinal
                if not old.drop(row.ordinal):  # computed on the guess: take it away
                    guessed.one(row, discard, discard, before)
                self.one(row, results, errors, report)
            if current >= 0:
                old.finish(min((current + 1) << bits, rows))
            old.copy(None)

    def defer(self, row: _Deferral) -> None:
        """Keep a deferred row for the parent, on disk: a part may defer many (a file given
        twice defers every row of its second copy)."""
        assert self.deferrals is not None, "only a worker defers"
        pickle.dump(row, self.deferrals, pickle.HIGHEST_PROTOCOL)
        self.deferred += 1

    def _write(self, how: _Table, number: int, cells: list[Any], text: str | None,
               computed: str | None, results: SheetWriter, errors: SheetWriter,
               report: BatchReport) -> None:
        """Write a row that is not simply its own text and its results."""
        if computed is None:
            self._general(how.table, Record(number, cells, text), how.layout, len(self.columns),
                          results, errors, report)
        elif how.direct and text is not None and _FORMULA_CELL.search("," + text) is None:
            results.write_lines([f"{text},{computed}"])
        else:
            results.writerow([*_own_cells(cells, how.layout, len(self.columns)),
                              *computed.split(",")])

    def _general(self, table: Table, record: Record, layout: list[int] | None, width: int,
                 results: SheetWriter, errors: SheetWriter, report: BatchReport) -> None:
        """A row the fast path would not vouch for, computed the general way."""
        done = compute_row(table.row(record), self._rules, self._agreements, self._unit,
                           self.ids, self._ledger)
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

    def absorb(self, tallies: dict[tuple[str, str], Tally], names: dict[tuple[str, str], str],
               sign: int = 1) -> None:
        """Add (``sign`` -1: take away) the tallies of rows counted in another process; each
        takes its year's rules by key (for error rows alone, 0 rounds to 0)."""
        for key, tally in tallies.items():
            tally.rules = _rules_of(key, self._rules)
            self._tallies.setdefault(key, Tally()).absorb(tally, sign)
            self._names[key] = self._names.get(key) or names.get(key, "")

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


class _Pickled:
    """A group's errors, kept as (part, ordinal, error row) records: the parent writes them
    out with each row's number counted from the start of its file, which a part after the first
    does not know (:meth:`join`); the ordinal tells whose errors they are when the group's
    dirty rows are computed again."""

    def __init__(self, file: IO[bytes], marker: _Row | LoggingIds) -> None:
        self._file = file
        self._marker = marker  # its ``row``: the ordinal of the row being computed
        self.part = 0  # the part of its group the rows written now are from

    @classmethod
    @contextmanager
    def open(cls, path: Path, marker: _Row | LoggingIds) -> Iterator[_Pickled]:
        with path.open("wb") as file:
            yield cls(file, marker)

    def writerow(self, row: Sequence[object]) -> None:
        self.dump((self.part, self._marker.row, list(row)))

    def dump(self, record: tuple[int, int, list[Any]]) -> None:
        """Write a record: (part, ordinal of the row, error row)."""
        pickle.dump(record, self._file, pickle.HIGHEST_PROTOCOL)

    def write_lines(self, lines: Sequence[str]) -> None:
        raise NotImplementedError("errors are written row by row")

    def position(self) -> int:
        return self._file.tell()

    def copy(self, source: IO[bytes], length: int) -> None:
        """Append ``length`` bytes of records of ``source`` (another file of this kind)."""
        self._file.write(source.read(length))

    @staticmethod
    def join(sheet: SheetWriter, source: IO[bytes], upto: int | None,
             offsets: Sequence[int]) -> None:
        """Write the records of ``source`` up to byte ``upto`` (None: all) to ``sheet``, each
        row's number moved on by its part's offset."""
        while upto is None or source.tell() < upto:
            try:
                part, _, row = pickle.load(source)
            except EOFError:
                break
            if offsets[part]:
                row[1] += offsets[part]
            sheet.writerow(row)


class _OldBlocks:
    """The files of a group's single pass, read back for :meth:`_Compute.again`: whole blocks
    copied, or one block read and its rows kept or dropped one at a time, in order."""

    def __init__(self, results: IO[bytes], errors: IO[bytes], deferrals: IO[bytes],
                 marks: tuple[array[int], array[int], array[int]], encoding: str,
                 compute: _Compute, new_results: CsvSheet, new_errors: _Pickled) -> None:
        self._results, self._errors, self._deferrals = results, errors, deferrals
        self._starts, self._error_starts, self._deferral_starts = marks
        self._encoding = encoding
        self._compute = compute
        self._new_results, self._new_errors = new_results, new_errors
        self._taken = 0  # deferrals read so far
        self._next = 0  # the ordinal of the next row of the block read
        self._lines: list[str] = []  # reversed: the next line last
        self._problems: list[tuple[int, int, list[Any]]] = []  # reversed
        self._deferred: list[_Deferral] = []  # reversed

    def _deferral(self) -> _Deferral:
        deferral: _Deferral = pickle.load(self._deferrals)
        self._taken += 1
        return deferral

    def copy(self, block: int | None) -> None:
        """Copy the lines and deferrals from where the last block read ended to the start
        of ``block`` (None: to the end)."""
        end = len(self._starts) - 1 if block is None else block
        results, errors = self._new_results, self._new_errors
        shift = results.position() - self._results.tell()
        error_shift = errors.position() - self._errors.tell()
        results.copy(self._results, self._starts[end] - self._results.tell())
        errors.copy(self._errors, self._error_starts[end] - self._errors.tell())
        while self._taken < self._deferral_starts[end]:
            deferral = self._deferral()
            self._compute.defer(deferral._replace(results_at=deferral.results_at + shift,
                                                 errors_at=deferral.errors_at + error_shift))

    def read(self, block: int) -> None:
        """Read ``block`` (the files are at its start)."""
        size = self._starts[block + 1] - self._starts[block]
        text = self._results.read(size).decode(self._encoding)
        self._lines = [line for line, _ in records(io.StringIO(text, newline=""))]
        self._lines.reverse()
        end = self._error_starts[block + 1]
        self._problems = []
        while self._errors.tell() < end:
            self._problems.append(pickle.load(self._errors))
        self._problems.reverse()
        self._deferred = [self._deferral()
                          for _ in range(self._deferral_starts[block + 1] - self._taken)]
        self._deferred.reverse()
        self._next = block << onepass.BLOCK_BITS

    def keep(self, upto: int) -> None:
        """Write the rows of the block read before ordinal ``upto`` as they were."""
        results, errors = self._new_results, self._new_errors
        for ordinal in range(self._next, upto):
            if self._deferred and self._deferred[-1].row.ordinal == ordinal:
                deferral = self._deferred.pop()
                self._compute.defer(deferral._replace(results_at=results.position(),
                                                     errors_at=errors.position()))
                continue
            results.write_lines([self._lines.pop()])
            while self._problems and self._problems[-1][1] == ordinal:
                errors.dump(self._problems.pop())
        self._next = max(self._next, upto)

    def finish(self, end: int) -> None:
        """Keep the rest of the block read, up to ordinal ``end``; check it is used up."""
        self.keep(end)
        if self._lines or self._problems or self._deferred:
            raise RuntimeError("a block read back does not match its rows")

    def drop(self, ordinal: int) -> bool:
        """Leave out the next row's lines (it is computed again); whether it was deferred."""
        self._next = ordinal + 1
        if self._deferred and self._deferred[-1].row.ordinal == ordinal:
            self._deferred.pop()
            return True
        self._lines.pop()
        while self._problems and self._problems[-1][1] == ordinal:
            self._problems.pop()
        return False


def _start_part(errors: SheetWriter, index: int) -> None:
    if isinstance(errors, _Pickled):
        errors.part = index


def _rules_of(key: tuple[str, str], rules: RuleSet) -> Any:
    try:
        return rules.for_year(int(key[1]))
    except (FieldError, ValueError):
        return None


def _position(sheet: SheetWriter) -> int:
    """How many bytes a part's sheet holds so far (0 for a sheet nobody asked for)."""
    return sheet.position() if isinstance(sheet, CsvSheet | _Pickled) else 0


def _join(sheet: SheetWriter, source: IO[bytes], upto: int | None) -> None:
    """Copy a part's sheet into the output, up to byte ``upto`` (None: to its end)."""
    if isinstance(sheet, CsvSheet):
        sheet.copy(source, None if upto is None else upto - source.tell())


def _write_common(results: SheetWriter, lines: list[str]) -> None:
    """Write common rows kept as their text and their six results cells joined; a row with an
    input cell that a spreadsheet would run as a formula is written cell by cell, neutralised."""
    if not lines:
        return
    # Searched all at once, joined by commas (faster than line by line); a match may be in a
    # results cell: each line is then checked alone.
    if _FORMULA_CELL.search("," + ",".join(lines)) is None:
        results.write_lines(lines)
        return
    for line in lines:
        text, *computed = line.rsplit(",", 6)
        if _FORMULA_CELL.search("," + text) is None:
            results.write_lines([line])
        else:
            cells = next(csv.reader(io.StringIO(text, newline="")))
            results.writerow([*cells, *computed])


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
