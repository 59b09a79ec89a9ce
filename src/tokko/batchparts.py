"""A batch cut into groups of parts, read once, one process a group (:mod:`tokko.onepass`).

:meth:`Parts.guess` computes every group at once, as if no key repeated, each into files of
its own (results, errors, deferred rows, block index); :meth:`Parts.settle` merges what the
groups logged and, in a group with dirty rows, reads those rows again and writes the group's
files anew (:func:`_redo`); :meth:`Parts.join` writes the groups' files out in order, with the
rows they deferred computed in this process.
"""

from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar

from tokko import onepass
from tokko.audit import ContractLedger, ItemIds, ItemKey
from tokko.batchrows import (
    BatchReport,
    Compute,
    Deferral,
    Discard,
    GroupRow,
    Pickled,
    RowMarker,
)
from tokko.io.csvrecords import records
from tokko.io.output import ENCODINGS, RESULT_COLUMNS, CsvSheet, SheetWriter, csv_part
from tokko.io.parts import Part
from tokko.io.table import Table
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
from tokko.parallel import Task, map_parts
from tokko.prefilter import HashIn
from tokko.reading import AgreementFields
from tokko.ruleset import RuleSet
from tokko.tally import Tally

T = TypeVar("T")


#: A group more than this share of whose rows are dirty is computed again whole (a file given
#: twice: its second half all dirty, and the first half's first rows of every key).
_WHOLE = 0.25


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


class PartFiles:
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


class GroupGuess(NamedTuple):
    """What a worker sends back once its group is computed on the single pass."""

    rows: int
    error_rows: int
    tallies: dict[tuple[str, str], Tally]  # rules left out: the parent reads them by key
    names: dict[tuple[str, str], str]
    deferred: int  # rows deferred, in the group's file of deferrals
    records: list[int]  # records read per part (blank ones included)
    logs: Guessed


class Again(NamedTuple):
    """What a worker sends back once the dirty rows of its group (or all its rows, when most
    are dirty) are computed again."""

    error_rows: int  # the error rows of the rows computed again, less those of the guess
    tallies: dict[tuple[str, str], Tally]  # the rows computed again
    guessed: dict[tuple[str, str], Tally]  # the same rows as guessed: to take away
    names: dict[tuple[str, str], str]
    deferred: int


class Parts:
    """A batch whose input is cut into groups of parts, one process each (one group: this
    process) (:mod:`tokko.onepass`).

    :meth:`guess` computes every group at once as if no key repeated; :meth:`settle` merges
    what the groups logged and computes their dirty rows again; :meth:`join` writes the
    groups' files out in order, with the rows they deferred computed here.
    """

    def __init__(self, rules: RuleSet, agreements: dict[str, AgreementFields], unit: int,
                 groups: list[list[Part]], files: PartFiles) -> None:
        #: One group is computed in this process; several, each in a process of its own.
        self._map: Callable[[Task[T], int, Callable[[int], None]], list[T]] = (
            _here if len(groups) == 1 else map_parts)
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._groups = groups
        self._files = files
        self._tables: Sequence[Table] = []
        self._guesses: list[GroupGuess] = []
        self._again: dict[int, Again] = {}
        self._settled: Settled | None = None

    def guess(self, tables: Sequence[Table], logs: Path,
              tick: Callable[[str, int, int | None], None]) -> None:
        """The single pass: every group computed at once."""
        self._tables = tables
        logs.mkdir()
        rules, unit, files = self._rules, self._unit, self._files
        estimate = _estimate(tables)

        def task(index: int, done: Callable[[int], None]) -> GroupGuess:
            items, singles = PairLog(logs, f"items{index}"), PairLog(logs, f"contracts{index}")
            ids, joint = LoggingIds(items), ContractLedger()
            compute = self._compute(
                ids, ContractLedger(), None,
                watch=lambda table: Watch(table, rules, unit, ids, singles, joint),
                blocks=BlockIndex(files.blocks(index)), logs=(items, singles))
            mine = BatchReport()
            records: list[int] = []
            with csv_part(files.results(index), files.encoding) as results, \
                    Pickled.open(files.errors(index), ids) as errors, \
                    files.deferred(index).open("wb") as compute.deferrals:
                compute.run(self._groups[index], [2] * len(self._groups[index]), results,
                            errors, mine, done, header=False, records=records)
            items.close()
            singles.close()
            tallies, names = compute.summary()
            for tally in tallies.values():
                tally.rules = None  # a RuleVersion is not sent through a pipe
            return GroupGuess(mine.rows, mine.error_rows, tallies, names, compute.deferred,
                              records, Guessed(items, singles, joint))

        self._guesses = self._map(task, len(self._groups), lambda done: tick(
            "compute", done, None if estimate is None else max(estimate, done)))

    def settle(self) -> None:
        """Merge the groups' logs, then, in the groups that have dirty rows: read those rows
        (gathering the contracts that repeat and the item keys each group took) and compute
        them again, or the whole group when most of it is dirty."""
        settled = self._settled = settle([g.logs for g in self._guesses])
        todo = [i for i, dirty in enumerate(settled.dirty) if dirty]
        if not todo:
            return
        tables, rules, unit, files = self._tables, self._rules, self._unit, self._files
        # A group with many dirty rows is computed again whole: cheaper than reading back
        # nearly every block and computing each dirty row twice (as guessed, to take it away).
        whole = {g for g in todo if len(settled.dirty[g]) > self._guesses[g].rows * _WHOLE}

        def read(index: int, done: Callable[[int], None]) -> Collected:
            group = todo[index]
            with files.dirty(group).open("wb") as out:
                keep: Callable[..., None] = (
                    (lambda *row: None) if group in whole else
                    lambda *row: pickle.dump(GroupRow(*row), out, pickle.HIGHEST_PROTOCOL))
                return collect(tables, self._groups[group], settled.dirty[group], settled,
                               rules, unit, keep)

        before: dict[int, set[ItemKey]] = {}  # the keys that may repeat the earlier groups took
        claimed: set[ItemKey] = set()
        for group, found in zip(todo, self._map(read, len(todo), lambda done: None),
                                strict=True):
            for row in found.facts:
                settled.ledger.add(row)
            before[group] = set(claimed)
            claimed.update(found.claimed)

        def again(index: int, done: Callable[[int], None]) -> Again:
            group = todo[index]
            candidates = settled.candidates
            ids = ItemIds(HashIn(candidates), before[group])
            real = self._compute(ids, settled.ledger, candidates)
            if group in whole:
                return self._whole(group, real)
            guessed = self._compute(ItemIds(set()), ContractLedger(), set(),
                                    watch=lambda table: Watch(table, rules, unit))
            now, guessed_report = BatchReport(), BatchReport()
            marker = RowMarker()
            with csv_part(files.results(group, True), files.encoding) as results, \
                    Pickled.open(files.errors(group, True), marker) as errors, \
                    files.deferred(group, True).open("wb") as real.deferrals:
                _redo(real, self._guesses[group].rows, files, group, results, errors, marker,
                      now, guessed, guessed_report)
            tallies, names = real.summary()
            guessed_tallies, _ = guessed.summary()
            for tally in [*tallies.values(), *guessed_tallies.values()]:
                tally.rules = None
            return Again(now.error_rows - guessed_report.error_rows, tallies, guessed_tallies,
                         names, real.deferred)

        self._again = dict(zip(todo, self._map(again, len(todo), lambda done: None),
                               strict=True))

    def _whole(self, group: int, compute: Compute) -> Again:
        """Compute every row of a group again, knowing what the others hold; what the guess
        added up is all taken away."""
        files, guess = self._files, self._guesses[group]
        now = BatchReport()
        with csv_part(files.results(group, True), files.encoding) as results, \
                Pickled.open(files.errors(group, True), RowMarker()) as errors, \
                files.deferred(group, True).open("wb") as compute.deferrals:
            compute.run(self._groups[group], [2] * len(self._groups[group]), results, errors,
                        now, lambda done: None, header=False)
        tallies, names = compute.summary()
        for tally in tallies.values():
            tally.rules = None
        return Again(now.error_rows - guess.error_rows, tallies, guess.tallies, names,
                     compute.deferred)

    def _compute(self, ids: ItemIds, ledger: ContractLedger, candidates: set[int] | None,
                 **options: Any) -> Compute:
        return Compute(self._rules, self._agreements, self._unit, self._tables, ids, ledger,
                       candidates, **options)

    def join(self, results: SheetWriter, errors: SheetWriter, report: BatchReport) -> Compute:
        """Write every group's lines out in order, computing the rows they deferred; the
        :class:`Compute` that holds the summary."""
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
                    deferral: Deferral = pickle.load(deferrals)
                    _join(results, own_results, deferral.results_at)
                    Pickled.join(errors, own_errors, deferral.errors_at, offsets)
                    row = deferral.row
                    here.one(row._replace(number=row.number + offsets[row.part]), results,
                             errors, report)
                _join(results, own_results, None)
                Pickled.join(errors, own_errors, None, offsets)
            report.rows += guess.rows
            report.error_rows += guess.error_rows
            here.absorb(guess.tallies, guess.names)
            if again is not None:
                report.error_rows += again.error_rows
                here.absorb(again.tallies, again.names)
                here.absorb(again.guessed, {}, -1)
        return here


def _here(task: Task[T], parts: int, tick: Callable[[int], None]) -> list[T]:
    """:func:`~tokko.parallel.map_parts` in this process, one part after the other."""
    done = 0  # rows reported by the parts before
    found = []
    for part in range(parts):
        last = 0

        def report(rows: int, before: int = done) -> None:
            nonlocal last
            last = rows
            tick(before + rows)

        found.append(task(part, report))
        done += last
    return found


def _redo(compute: Compute, rows: int, files: PartFiles, group: int, results: CsvSheet,
          errors: Pickled, marker: RowMarker, report: BatchReport, guessed: Compute,
          before: BatchReport) -> None:
    """Write a group's files again with its dirty rows (read by
    :func:`~tokko.onepass.collect`) computed anew.

    A block of rows with no dirty row is copied from the files of the single pass, lines
    and deferrals. A block with one is read back, and each of its other rows written as it
    was. ``guessed`` computes the dirty rows again as the single pass did, into ``before``,
    so that what they added up can be taken away. ``rows`` is how many the group has.
    """
    bits = onepass.BLOCK_BITS
    discard = Discard()
    with files.results(group).open("rb") as old_results, \
            files.errors(group).open("rb") as old_errors, \
            files.deferred(group).open("rb") as old_deferrals, \
            files.dirty(group).open("rb") as dirty:
        old = OldBlocks(old_results, old_errors, old_deferrals, BlockIndex.read(
            files.blocks(group)), files.encoding, compute, results, errors)
        current = -1
        while True:
            try:
                row: GroupRow = pickle.load(dirty)
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
            compute.one(row, results, errors, report)
        if current >= 0:
            old.finish(min((current + 1) << bits, rows))
        old.copy(None)


class OldBlocks:
    """The files of a group's single pass, read back by :func:`_redo`: whole blocks
    copied, or one block read and its rows kept or dropped one at a time, in order."""

    def __init__(self, results: IO[bytes], errors: IO[bytes], deferrals: IO[bytes],
                 marks: tuple[array[int], array[int], array[int]], encoding: str,
                 compute: Compute, new_results: CsvSheet, new_errors: Pickled) -> None:
        self._results, self._errors, self._deferrals = results, errors, deferrals
        self._starts, self._error_starts, self._deferral_starts = marks
        self._encoding = encoding
        self._compute = compute
        self._new_results, self._new_errors = new_results, new_errors
        self._taken = 0  # deferrals read so far
        self._next = 0  # the ordinal of the next row of the block read
        self._lines: list[str] = []  # reversed: the next line last
        self._problems: list[tuple[int, int, list[Any]]] = []  # reversed
        self._deferred: list[Deferral] = []  # reversed

    def _deferral(self) -> Deferral:
        deferral: Deferral = pickle.load(self._deferrals)
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


def _join(sheet: SheetWriter, source: IO[bytes], upto: int | None) -> None:
    """Copy a part's sheet into the output, up to byte ``upto`` (None: to its end)."""
    if isinstance(sheet, CsvSheet):
        sheet.copy(source, None if upto is None else upto - source.tell())
