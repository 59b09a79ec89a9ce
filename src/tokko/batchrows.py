"""The rows of a batch computed in order: written out, checked and added up.

:class:`Compute` runs every row of some parts of the input through
:class:`~tokko.fastrows.FastRows` (the common rows) or :func:`~tokko.calculation.compute_row`
(any other), writes the results and errors, and adds up the summary per government and year.
It works alone (one process, after :func:`~tokko.prefilter.scan`) or on one group of parts of
:mod:`tokko.batchparts`, where the rows it cannot compute yet are *deferred*
(:class:`Deferral`) and its errors go to a :class:`Pickled` file.
"""

from __future__ import annotations

import csv
import io
import pickle
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from tokko import onepass
from tokko.audit import ContractLedger, ItemIds
from tokko.calculation import compute_row
from tokko.errors import FieldError
from tokko.explanation import problem_message
from tokko.fastrows import FastRows, FastTally
from tokko.io.output import RESULT_COLUMNS, CsvSheet, SheetWriter, result_cells
from tokko.io.parts import Part
from tokko.io.table import Record, Table
from tokko.onepass import BlockIndex, LoggingIds, PairLog, Watch
from tokko.parallel import Deferred
from tokko.reading import AgreementFields
from tokko.ruleset import RuleSet
from tokko.tally import Tally

#: progress reports (and hash log spills) every so many rows
PROGRESS_EVERY = 5000
#: A cell that starts like a formula (``=`` ``+`` ``-`` ``@`` tab CR), quoted or not, in a CSV
#: record with a comma put before it: every cell then follows a comma. (The pattern starts with
#: a plain comma so that the regex engine skips from comma to comma.)
FORMULA_CELL = re.compile(r',(?:[=+\-@\t\r]|"[=+\-@\t\r])')


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


def output_columns(tables: Sequence[Table]) -> list[tuple[str, int]]:
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


class GroupRow(NamedTuple):
    """A row of a group of parts, kept to be computed later."""

    part: int  # the part of its group it is in (its number is counted from that part's start)
    ordinal: int  # its place among the group's rows, from 0
    table: int
    number: int
    cells: list[Any]
    text: str | None


class Deferral(NamedTuple):
    """A row a group left to the parent, and where its lines go in the group's files."""

    row: GroupRow
    results_at: int
    errors_at: int


class RowMarker:
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


class Compute:
    """Every row computed, in order, written out and added up.

    ``ids``, ``ledger`` and ``candidates`` (hashes of the item keys that may repeat; None: ask
    ``ids`` about every key) are what the rows are checked against. On the single pass of
    :class:`~tokko.batchparts.Parts`, ``watch`` looks at each row first, ``blocks`` marks where each block of
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
        self.columns = output_columns(tables)
        self._tallies: dict[tuple[str, str], Tally] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._fast: list[FastRows] = []
        self._how: dict[int, _Table] = {}
        self._watch = watch
        self._blocks = blocks
        self._logs = logs
        #: where a worker writes the rows it defers (pickled Deferral records, in order)
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
        marker = self.ids if isinstance(self.ids, LoggingIds) else RowMarker()  # the row's ordinal
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
                    write_common(results, lines)
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
                        write_common(results, lines)
                        lines.clear()
                    self._write(how, number, cells, text, computed, results, errors, report)
                except Deferred:
                    write_common(results, lines)
                    lines.clear()
                    self.defer(Deferral(
                        GroupRow(index, rows - 1, part.table, number, cells, text),
                        _position(results), _position(errors)))
            write_common(results, lines)
        if self._blocks is not None:
            self._blocks.mark(_position(results), _position(errors), self.deferred)
            self._blocks.close()
        report.rows = rows

    def _due(self, rows: int, results: SheetWriter, errors: SheetWriter,
             tick: Callable[[int], None]) -> int:
        """Report progress, or mark a block's start, as due after ``rows`` rows; when the next
        is due."""
        if rows and rows % PROGRESS_EVERY == 0:
            for log in self._logs:
                log.spill()
            tick(rows)
        upcoming = (rows // PROGRESS_EVERY + 1) * PROGRESS_EVERY
        if self._blocks is None:
            return upcoming
        size = 1 << onepass.BLOCK_BITS
        if rows % size == 0:
            self._blocks.mark(_position(results), _position(errors), self.deferred)
        return min(upcoming, (rows // size + 1) * size)

    def one(self, row: GroupRow, results: SheetWriter, errors: SheetWriter,
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
            self.defer(Deferral(row, _position(results), _position(errors)))

    def defer(self, row: Deferral) -> None:
        """Keep a deferred row for the parent, on disk: a part may defer many (a file given
        twice defers every row of its second copy)."""
        assert self.deferrals is not None, "only a worker defers"
        pickle.dump(row, self.deferrals, pickle.HIGHEST_PROTOCOL)
        self.deferred += 1

    def _write(self, how: _Table, number: int, cells: list[Any], text: str | None,
               computed: str | None, results: SheetWriter, errors: SheetWriter,
               report: BatchReport) -> None:
        """Write a row: computed the general way when the fast path gave no ``computed``."""
        if computed is None:
            self._general(how.table, Record(number, cells, text), how.layout, len(self.columns),
                          results, errors, report)
        elif how.direct and text is not None:
            write_common(results, [f"{text},{computed}"])
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


class Pickled:
    """A group's errors, kept as (part, ordinal, error row) records: the parent writes them
    out with each row's number counted from the start of its file, which a part after the first
    does not know (:meth:`join`); the ordinal tells whose errors they are when the group's
    dirty rows are computed again."""

    def __init__(self, file: IO[bytes], marker: RowMarker | LoggingIds) -> None:
        self._file = file
        self._marker = marker  # its ``row``: the ordinal of the row being computed
        self.part = 0  # the part of its group the rows written now are from

    @classmethod
    @contextmanager
    def open(cls, path: Path, marker: RowMarker | LoggingIds) -> Iterator[Pickled]:
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


def _start_part(errors: SheetWriter, index: int) -> None:
    if isinstance(errors, Pickled):
        errors.part = index


def _rules_of(key: tuple[str, str], rules: RuleSet) -> Any:
    try:
        return rules.for_year(int(key[1]))
    except (FieldError, ValueError):
        return None


def _position(sheet: SheetWriter) -> int:
    """How many bytes a part's sheet holds so far (0 for a sheet nobody asked for)."""
    return sheet.position() if isinstance(sheet, CsvSheet | Pickled) else 0


def write_common(results: SheetWriter, lines: list[str]) -> None:
    """Write common rows kept as their text and their six results cells joined; a row with an
    input cell that a spreadsheet would run as a formula is written cell by cell, neutralised."""
    if not lines:
        return
    # Searched all at once, joined by commas (faster than line by line); a match may be in a
    # results cell: each line is then checked alone.
    if FORMULA_CELL.search("," + ",".join(lines)) is None:
        results.write_lines(lines)
        return
    for line in lines:
        text, *computed = line.rsplit(",", 6)
        if FORMULA_CELL.search("," + text) is None:
            results.write_lines([line])
        else:
            cells = next(csv.reader(io.StringIO(text, newline="")))
            results.writerow([*cells, *computed])


def _own_cells(cells: list[Any], layout: list[int] | None, width: int) -> list[Any]:
    if layout is None:
        return [cells[i] if i < len(cells) else "" for i in range(width)]
    return [cells[i] if 0 <= i < len(cells) else "" for i in layout]


class Discard:
    """A sheet nobody asked for."""

    def writerow(self, row: Sequence[object]) -> None:
        """Drop the row."""

    def write_lines(self, lines: Sequence[str]) -> None:
        """Drop the lines."""
