"""The first pass of a batch: which keys repeat, found in memory that does not grow with rows.

A batch must know, before it writes a row, whether its item id was used by an earlier row and
whether its contract is declared elsewhere. Holding every key would grow with the input, so the
first pass writes the hash of each key to temporary files, sorted into buckets by the hash's low
bits (:class:`HashLog`); :func:`repeated` then reads one bucket at a time and keeps the hashes
met more than once: the *candidates*, true repeats (or, once in billions of batches, two keys with
one hash). Only candidates are then checked exactly, key by key.

Joint rows — the ones meant to share a contract — go straight into the
:class:`~tokko.audit.ContractLedger`. A contract that other rows name more than once, or that a
joint row shares with them, is gathered exactly by a second pass over just those rows
(:func:`gather`), which is skipped when there is none. A collision can make a row slower, never
give it a warning or an error.

Pass 1 runs in one process, for XLSX output (:mod:`tokko.batch`); :mod:`tokko.onepass` logs
its hashes the same way, in processes that share Python's hashes (which differ from one process
to the next) by being forked from one (:mod:`tokko.parallel`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Container, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from tokko.audit import ContractLedger, ContractRow, ItemIds
from tokko.calculation import contract_row
from tokko.errors import FieldError
from tokko.io.table import Record, Table
from tokko.reading import clean_entity, clean_year, id_text, is_blank, read_procurement
from tokko.rows import prepare
from tokko.ruleset import RuleSet

#: Buckets per log: when they are counted, a bucket holds a 128th of the keys (about 1,600
#: hashes at 200,000 rows), so that the sets of :func:`repeated` stay small.
_BUCKETS = 128
_SPILL = 1 << 16  # hashes a log holds in memory before it writes them out

#: tick(rows scanned so far) every so many rows
Tick = Callable[[int], None]


class HashLog:
    """The hashes of one kind of key that one scan met, kept in a file, sorted into buckets.

    :meth:`Scan.feed` appends to :attr:`buckets` inline (``buckets[h & 127].append(h)``) and
    calls :meth:`spill` now and then, so that memory holds at most :data:`_SPILL` hashes. Each
    spill appends every bucket to the one file, in bucket order, and notes where each starts
    (:attr:`spills`): opening a file costs more than writing a bucket.
    """

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / f"{name}.bin"
        self.buckets = [array("q") for _ in range(_BUCKETS)]
        #: per spill: the offset of each bucket in the file, and of the spill's end
        self.spills: list[array[int]] = []
        self._reading: IO[bytes] | None = None

    def spill(self, at_least: int = _SPILL) -> None:
        """Write the hashes out when the log holds ``at_least`` of them."""
        if sum(map(len, self.buckets)) < at_least:
            return
        with self.path.open("ab") as file:
            offsets = array("q", [file.tell()])
            for bucket in self.buckets:
                bucket.tofile(file)
                offsets.append(offsets[-1] + len(bucket) * bucket.itemsize)
                del bucket[:]
        self.spills.append(offsets)

    def close(self) -> None:
        """Write out what is left (the log can then be pickled and read)."""
        self.spill(1)

    def bucket(self, b: int) -> array[int]:
        """Every hash of bucket ``b``, from the file (the log closed); the file stays open
        until :meth:`release`."""
        found = array("q")
        if not self.spills:
            return found
        if self._reading is None:
            self._reading = self.path.open("rb")
        for offsets in self.spills:
            self._reading.seek(offsets[b])
            found.frombytes(self._reading.read(offsets[b + 1] - offsets[b]))
        return found

    def release(self) -> None:
        """Close the file that :meth:`bucket` reads."""
        if self._reading is not None:
            self._reading.close()
            self._reading = None

    def __getstate__(self) -> dict[str, Any]:
        """A log is sent to another process closed and not being read."""
        assert self._reading is None, "a log is sent before it is read"
        return self.__dict__.copy()


class _Keys:
    """The item key and contract id of a row, as :func:`~tokko.calculation.prepare` sees them."""

    def __init__(self) -> None:
        #: What each cell value read as: a code / a year, or None when it does not read.
        self.entities: dict[Any, str | None] = {}
        self.years: dict[Any, int | None] = {}

    def _entity(self, value: Any) -> str | None:
        try:
            return self.entities[value]
        except KeyError:
            try:
                code: str | None = clean_entity(value).code
            except FieldError:
                code = None
            if len(self.entities) < 100_000:
                self.entities[value] = code
            return code

    def _year(self, value: Any) -> int | None:
        try:
            return self.years[value]
        except KeyError:
            try:
                year: int | None = clean_year(value)
            except FieldError:
                year = None
            if len(self.years) < 100_000:
                self.years[value] = year
            return year

    def item(self, table: Table, cells: list[Any]) -> tuple[str, int, str] | None:
        """(government, year, item id) when all three read; None otherwise."""
        try:
            code = self._entity(_cell(cells, table.index.get("entity_code")))
            year = self._year(_cell(cells, table.index.get("fiscal_year")))
        except TypeError:  # an unhashable cell is never a code or a year
            return None
        raw_id = _cell(cells, table.index.get("item_id"))
        if code is None or year is None or is_blank(raw_id):
            return None
        return code, year, id_text(raw_id)


def _cell(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


class Scan:
    """What pass 1 found in the rows of a batch's tables."""

    def __init__(self, folder: Path, name: str = "scan") -> None:
        self.items = HashLog(folder, f"{name}-items")
        self.singles = HashLog(folder, f"{name}-contracts")
        self.ledger = ContractLedger()
        self.rows = 0

    def feed(self, table: Table, rules: RuleSet, unit: int, tick: Tick, every: int) -> None:
        """Scan the rows of ``table``.

        The loop is written out (no call per row beyond the reader) because it runs over every
        row.
        """
        keys = _Keys()
        entities, years = keys.entities, keys.years
        item_buckets, single_buckets = self.items.buckets, self.singles.buckets
        ledger = self.ledger
        joint_values: dict[Any, bool] = {}
        rows = self.rows
        index = table.index
        i_entity, i_year = index["entity_code"], index["fiscal_year"]
        i_item, i_contract = index["item_id"], index.get("contract_id", -1)
        i_procurement = index.get("procurement", -1)
        for _, cells, _ in table.numbered():
            rows += 1
            if rows % every == 0:
                self.items.spill()
                self.singles.spill()
                tick(rows)
            try:
                code, year = entities[cells[i_entity]], years[cells[i_year]]
                raw_id = cells[i_item]
                if code is None or year is None or not raw_id.isascii():
                    raise KeyError(raw_id)  # let the general reading decide
                item_id = raw_id.strip()
                if not item_id:
                    raise KeyError(raw_id)
                key: tuple[str, int, str] | None = (code, year, item_id)
            except (KeyError, IndexError, TypeError, AttributeError):
                key = keys.item(table, cells)
            if key is not None:
                h = hash(key)
                item_buckets[h & 127].append(h)
            if i_contract < 0:
                continue
            try:
                contract = cells[i_contract]
            except IndexError:
                continue  # a short row
            if contract is None or contract == "":
                continue
            if contract.__class__ is str and contract.isascii():  # is_blank and id_text, inline
                contract_id = contract.strip()
                if not contract_id:
                    continue
            elif is_blank(contract):
                continue
            else:
                contract_id = id_text(contract)
            try:
                how = cells[i_procurement] if i_procurement >= 0 else ""
            except IndexError:
                how = ""  # a short row
            joint = joint_values.get(how)
            if joint is None:
                joint = joint_values[how] = is_joint(how)
            if joint:
                row = table.row(Record(0, cells))
                facts = contract_row(prepare(row, rules, unit, ItemIds()))
                if facts is not None:
                    ledger.add(facts)
                continue
            h = hash(contract_id)
            single_buckets[h & 127].append(h)
        self.rows = rows

    def close(self) -> None:
        """Write out the logs, to be read."""
        self.items.close()
        self.singles.close()


class HashIn(Container[Any]):
    """Membership by hash among candidate hashes (may say yes for a non-candidate)."""

    def __init__(self, hashes: set[int]) -> None:
        self._hashes = hashes

    def __contains__(self, key: object) -> bool:
        return hash(key) in self._hashes


class Found(NamedTuple):
    """What pass 1 found in the whole batch."""

    candidates: set[int]  # hashes of the item keys met more than once
    ledger: ContractLedger
    rows: int


def repeated(logs: Sequence[HashLog], also: set[int] | None = None) -> set[int]:
    """The hashes met more than once in ``logs`` taken together (and those of ``also`` met at
    all), one bucket at a time."""
    found: set[int] = set()
    for b in range(_BUCKETS):
        hashes = array("q")
        for log in logs:
            hashes += log.bucket(b)
        unique = set(hashes)
        if also:
            found.update(unique.intersection(also))
        if len(unique) == len(hashes):
            continue
        seen: set[int] = set()
        for h in hashes:
            if h in seen:
                found.add(h)
            else:
                seen.add(h)
    for log in logs:
        log.release()
    return found


def repeats(items: Sequence[HashLog], singles: Sequence[HashLog],
            ledgers: Sequence[ContractLedger]) -> tuple[ContractLedger, set[int], set[int]]:
    """What the logs and ledgers of a batch's parts say together: the ledger of every joint
    row, the hashes of the item keys met more than once, and those of the contracts whose rows
    must all be in the ledger (met more than once, or joint)."""
    ledger = ledgers[0]
    for more in ledgers[1:]:
        ledger.update(more)
    joint = {hash(c) for c in ledger.ids()}
    return ledger, repeated(items), repeated(singles, joint)


def scan(tables: Sequence[Table], rules: RuleSet, unit: int, tick: Tick, every: int,
         folder: Path) -> Found:
    """Passes 1 and (where needed) 2 over the tables, in this process; the logs in ``folder``.

    The contracts that pass 2 gathers (named more than once, or shared with a joint row) have
    their rows taken out of the ledger first: :func:`gather` adds them all.
    """
    found = Scan(folder)
    for table in tables:
        found.feed(table, rules, unit, tick, every)
    found.close()
    ledger, candidates, wanted = repeats([found.items], [found.singles], [found.ledger])
    if wanted:
        ledger.discard(lambda contract: hash(contract) in wanted)
        for facts in gather(tables, wanted, rules, unit):
            ledger.add(facts)
    return Found(candidates, ledger, found.rows)


def is_joint(value: Any) -> bool:
    try:
        return not is_blank(value) and read_procurement(value) == "joint"
    except (FieldError, TypeError):
        return False


def gather(tables: Sequence[Table], wanted: set[int], rules: RuleSet, unit: int,
           ) -> list[ContractRow]:
    """Pass 2, only when needed: the facts of every row whose contract's hash is ``wanted``."""
    found: list[ContractRow] = []
    for table in tables:
        i_contract = table.index.get("contract_id")
        if i_contract is None:
            continue
        for cells in table.cells():
            contract_id = contract_cell(cells, i_contract)
            if contract_id is not None and hash(contract_id) in wanted:
                facts = contract_row(prepare(table.row(Record(0, cells)), rules, unit, ItemIds()))
                if facts is not None:
                    found.append(facts)
    return found


def contract_cell(cells: list[Any], index: int) -> str | None:
    """The contract id of a row (None: blank or missing), as pass 1 reads it (inline)."""
    try:
        raw = cells[index]
    except IndexError:
        return None  # a short row
    if raw is None or raw == "":
        return None
    if raw.__class__ is str and raw.isascii():  # is_blank and id_text, inline
        return raw.strip() or None
    if is_blank(raw):
        return None
    return id_text(raw)
