"""A batch read once: every row computed as if no key repeated, then the few rows that a
repeat concerns computed again.

Pass 1 of :mod:`tokko.prefilter` reads every row before any is computed, so that a row's
item id and contract are known to repeat or not when it is written. A batch (one process, or
several, one group of parts each: :mod:`tokko.batchparts`) can instead compute every row at
once, *as if* nothing repeated, and note what each row would have needed to know:

- every item key claimed, with the row's ordinal in its group (:class:`LoggingIds`), and the
  contract of every row that names one (:class:`Watch`), in :class:`PairLog` files like
  pass 1's;
- the facts of every joint row, into the group's :class:`~tokko.audit.ContractLedger`; a joint
  row needs every share of its contract, so it is left to the parent (*deferred*), which
  computes it with the whole ledger;
- where each block of ``2 ** BLOCK_BITS`` rows starts in the group's files
  (:class:`BlockIndex`).

Merging the logs (:func:`settle`) says which keys repeat and which contracts must be gathered
whole, exactly as pass 1 would, and so which rows were computed on a wrong guess: the *dirty*
rows. Only those are read again (:func:`collect`, which also finds the item keys each group
took, so that a later group knows them exactly) and computed again; the blocks they are in are
written again, and every other block's lines stand as they were written (a group mostly dirty
is computed again whole). A batch with no repeat is read once.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from tokko.audit import ContractLedger, ContractRow, ItemIds, ItemKey
from tokko.calculation import contract_row
from tokko.fastrows import GuessLogs
from tokko.io.parts import Part
from tokko.io.table import Record, Table
from tokko.parallel import Deferred
from tokko.prefilter import HashLog, contract_cell, is_joint, repeats
from tokko.rows import prepare
from tokko.ruleset import RuleSet

#: log2 of the rows in a block. A block with a dirty row is read back and written again:
#: smaller blocks rewrite less, larger ones cost fewer marks (a write of the lines held).
BLOCK_BITS = 6
_MARK = struct.Struct("<qqq")


class PairLog(HashLog):
    """A :class:`~tokko.prefilter.HashLog` whose hashes each come with the ordinal of the row
    they were met in, as pairs: ``bucket.append(h); bucket.append(row)``."""

    def bucket(self, b: int) -> array[int]:
        """The hashes of bucket ``b``, without their rows."""
        return self.pairs(b)[0::2]

    def pairs(self, b: int) -> array[int]:
        """Hash, row, hash, row… of bucket ``b``."""
        return super().bucket(b)


class LoggingIds(ItemIds):
    """The item ids of the single pass: every claim stands, and is logged with its row."""

    def __init__(self, log: PairLog) -> None:
        super().__init__()
        self.buckets = log.buckets
        #: the ordinal in its part of the row being computed (set by the pass)
        self.row = 0

    def claim(self, key: ItemKey) -> bool:
        """Log ``key`` with the current row; True (whether it repeats is settled later)."""
        h = hash(key)
        bucket = self.buckets[h & 127]
        bucket.append(h)
        bucket.append(self.row)
        return True


class Watch:
    """What the single pass looks at in a row's contract cells, as pass 1
    (:meth:`~tokko.prefilter.Scan.feed`) does: a joint row's facts go to ``ledger`` and the row
    is deferred; any other contract id is logged. :class:`~tokko.fastrows.FastRows` tells it
    the contracts of the rows it computes (:meth:`contract`); the batch calls it on any other
    row before computing it.

    With no ``ledger`` it only defers joint rows (to compute a row again as it was guessed).
    """

    def __init__(self, table: Table, rules: RuleSet, unit: int,
                 ids: LoggingIds | None = None, singles: PairLog | None = None,
                 ledger: ContractLedger | None = None) -> None:
        self._table = table
        self._rules = rules
        self._unit = unit
        self._ids = ids if ids is not None else ItemIds()
        self._buckets = singles.buckets if singles is not None else None
        self._ledger = ledger
        self._contract = table.index.get("contract_id", -1)
        self._procurement = table.index.get("procurement", -1)
        self._joint: dict[Any, bool] = {}

    def logs(self) -> GuessLogs | None:
        """The logs :class:`~tokko.fastrows.FastRows` writes to inline (see :meth:`contract`
        and :meth:`LoggingIds.claim`): None when there are none."""
        if self._buckets is None or not isinstance(self._ids, LoggingIds):
            return None
        return self._ids.buckets, self._buckets, self._ids

    def contract(self, contract_id: str, joint: bool, cells: Sequence[Any]) -> None:
        """A row computed on the fast path, its item key claimed: log its contract id, or
        raise :class:`~tokko.parallel.Deferred` for a joint row."""
        if joint:
            self._facts(list(cells), ItemIds())
            raise Deferred
        self._log(contract_id)

    def __call__(self, cells: list[Any]) -> bool:
        """True for a joint row (deferred); a contract id of any other row is logged."""
        i_contract = self._contract
        if i_contract < 0:
            return False
        contract_id = contract_cell(cells, i_contract)
        if contract_id is None:
            return False
        i_procurement = self._procurement
        how = cells[i_procurement] if 0 <= i_procurement < len(cells) else ""
        joint = self._joint.get(how)
        if joint is None:
            joint = self._joint[how] = is_joint(how)
        if joint:
            # The item key is claimed (and logged) here, as the row is not computed now.
            self._facts(cells, self._ids)
            return True
        self._log(contract_id)
        return False

    def _facts(self, cells: list[Any], ids: ItemIds) -> None:
        """A joint row's facts into the ledger (when there is one)."""
        if self._ledger is None:
            return
        facts = contract_row(prepare(self._table.row(Record(0, cells)), self._rules, self._unit,
                                     ids))
        if facts is not None:
            self._ledger.add(facts)

    def _log(self, contract_id: str) -> None:
        """Log a contract id with the row's ordinal (when there is a log)."""
        if self._buckets is not None and isinstance(self._ids, LoggingIds):
            h = hash(contract_id)
            bucket = self._buckets[h & 127]
            bucket.append(h)
            bucket.append(self._ids.row)


class BlockIndex:
    """Where each block of a part's rows starts in its files: the results and errors written
    before it and the rows deferred before it; one entry more marks the end. On disk, so that
    memory does not grow with the rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")

    def mark(self, results: int, errors: int, deferred: int) -> None:
        self._file.write(_MARK.pack(results, errors, deferred))

    def close(self) -> None:
        self._file.close()

    @staticmethod
    def read(path: Path) -> tuple[array[int], array[int], array[int]]:
        """The results, errors and deferral offsets of every block start, and of the end."""
        marks = array("q")
        marks.frombytes(path.read_bytes())
        return marks[0::3], marks[1::3], marks[2::3]


class Guessed(NamedTuple):
    """What a part's single pass logged."""

    items: PairLog
    singles: PairLog
    ledger: ContractLedger


class Settled(NamedTuple):
    """What the logs of every part say, once merged."""

    candidates: set[int]  # hashes of the item keys claimed more than once
    wanted: set[int]  # hashes of the contracts whose rows must all be in the ledger
    ledger: ContractLedger  # the joint rows' facts (the wanted contracts' others to gather)
    dirty: list[set[int]]  # per part, in order: the ordinals of its rows to compute again


def settle(parts: Sequence[Guessed]) -> Settled:
    """Merge the logs of the parts of a batch, in order; see :class:`Settled`."""
    for part in parts:
        part.items.close()
        part.singles.close()
    ledger, candidates, wanted = repeats([p.items for p in parts], [p.singles for p in parts],
                                         [p.ledger for p in parts])
    dirty = [_rows(p.items, candidates) | _rows(p.singles, wanted) for p in parts]
    return Settled(candidates, wanted, ledger, dirty)


def _rows(log: PairLog, hashes: set[int]) -> set[int]:
    """The rows in which ``log`` met one of ``hashes``."""
    found: set[int] = set()
    if not hashes:
        return found
    for b in range(len(log.buckets)):
        pairs = log.pairs(b)
        if hashes.isdisjoint(pairs[0::2]):
            continue
        found.update(pairs[i + 1] for i in range(0, len(pairs), 2) if pairs[i] in hashes)
    log.release()
    return found


class Collected(NamedTuple):
    """What :func:`collect` found in a group's dirty rows."""

    facts: list[ContractRow]  # of the rows not joint whose contract is wanted
    claimed: list[ItemKey]  # the item keys that may repeat, in the order the rows claim them


class _Claims(ItemIds):
    """Notes, in order, each item key claimed whose hash is one of ``hashes``."""

    def __init__(self, hashes: set[int]) -> None:
        super().__init__()
        self._hashes = hashes
        self.keys: list[ItemKey] = []

    def claim(self, key: ItemKey) -> bool:
        if hash(key) in self._hashes:
            self.keys.append(key)
        return True


def collect(tables: Sequence[Table], parts: Sequence[Part], dirty: set[int],
            settled: Settled, rules: RuleSet, unit: int,
            keep: Callable[[int, int, int, int, list[Any], str | None], None]) -> Collected:
    """Read the ``dirty`` rows of a group of parts: each goes to ``keep`` (part index, ordinal,
    table, number counted from 2 at the part's start, cells, text) and is read as the general
    path reads it (:func:`~tokko.rows.prepare`), to find the item keys that may repeat it claims
    (exactly: a later group must know which an earlier one took) and, for a row not joint whose
    contract is wanted, its facts (the joint rows' facts are in the ledger already; every other
    row of a wanted contract is dirty)."""
    found: list[ContractRow] = []
    claims = _Claims(settled.candidates)
    wanted = settled.wanted
    ordinal = -1
    for index, part in enumerate(parts):
        table = tables[part.table]
        tell = Watch(table, rules, unit)
        i_contract = table.index.get("contract_id", -1)
        for number, cells, text in table.numbered(part, 2):
            ordinal += 1
            if ordinal not in dirty:
                continue
            keep(index, ordinal, part.table, number, cells, text)
            prepared = prepare(table.row(Record(0, cells)), rules, unit, claims)
            if not wanted or i_contract < 0:
                continue
            contract_id = contract_cell(cells, i_contract)
            if contract_id is None or hash(contract_id) not in wanted or tell(cells):
                continue
            facts = contract_row(prepared)
            if facts is not None:
                found.append(facts)
    return Collected(found, claims.keys)
