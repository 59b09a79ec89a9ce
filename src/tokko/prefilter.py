"""The first pass of a batch: what may repeat, found in memory that does not grow with rows.

A batch must know, before it writes a row, whether its item id was used by an earlier row and
whether its contract is declared elsewhere. Holding every key would grow with the input, so the
first pass runs each key through a fixed-size bit table: a key met twice there is a *candidate*
(a true repeat, or now and then a collision); only candidates are then checked exactly.

Joint rows — the ones meant to share a contract — go straight into the
:class:`~tokko.audit.ContractLedger`. Other rows' contract ids set two bits each; a contract that
may repeat among them, or that a joint row shares with them, is gathered exactly by a second
pass over just those rows (:func:`_complete`). A collision can make a row slower, never give it a
warning or an error.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Sequence
from typing import Any

from tokko.audit import ContractLedger, ItemIds
from tokko.calculation import contract_row
from tokko.errors import FieldError
from tokko.io.table import Record, Table
from tokko.reading import clean_entity, clean_year, id_text, is_blank, read_procurement
from tokko.rows import prepare
from tokko.ruleset import RuleSet

_BITS = 1 << 27  # 16 MiB of bits whatever the size of the input

#: tick(rows scanned so far) every so many rows
Tick = Callable[[int], None]


class SeenTwice:
    """A fixed-size bit table that finds the keys met more than once (and a few more).

    :func:`_scan` sets its bits inline: one bit per item key; two bits per contract id (fewer
    false candidates, for keys whose candidates cost a pass over the input).
    """

    def __init__(self, bits: int = _BITS) -> None:
        self.table = bytearray(bits >> 3)
        self.mask = bits - 1
        self.candidates: set[int] = set()

    def maybe_seen2(self, key: Hashable) -> bool:
        """True when ``key``'s two bits are set: it may have been met."""
        h = hash(key)
        first, second = h & self.mask, (h >> 32) & self.mask
        table = self.table
        return bool(table[first >> 3] & (1 << (first & 7))
                    and table[second >> 3] & (1 << (second & 7)))


class HashIn(Container[Any]):
    """Membership by hash among candidate hashes (may say yes for a non-candidate)."""

    def __init__(self, hashes: set[int]) -> None:
        self._hashes = hashes

    def __contains__(self, key: object) -> bool:
        return hash(key) in self._hashes


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


def scan(
    tables: Sequence[Table], rules: RuleSet, unit: int, tick: Tick, every: int
) -> tuple[set[int], ContractLedger, int]:
    """Pass 1: the hashes of candidate item keys, the contract ledger, the number of rows.

    The loop is written out (no call per row beyond the reader) because it runs over every row.
    """
    keys, items, singles = _Keys(), SeenTwice(), SeenTwice()
    entities, years = keys.entities, keys.years
    item_bits, item_mask, item_candidates = items.table, items.mask, items.candidates
    single_bits, single_mask, single_candidates = singles.table, singles.mask, singles.candidates
    ledger = ContractLedger()
    joint_values: dict[Any, bool] = {}
    rows = 0
    for table in tables:
        index = table.index
        i_entity, i_year = index["entity_code"], index["fiscal_year"]
        i_item, i_contract = index["item_id"], index.get("contract_id", -1)
        i_procurement = index.get("procurement", -1)
        for cells in table.cells():
            rows += 1
            if rows % every == 0:
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
                byte, bit = (h & item_mask) >> 3, 1 << (h & 7)
                seen = item_bits[byte]
                if seen & bit:
                    item_candidates.add(h)
                else:
                    item_bits[byte] = seen | bit
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
                joint = joint_values[how] = _is_joint(how)
            if joint:
                row = table.row(Record(0, cells))
                facts = contract_row(prepare(row, rules, unit, ItemIds()))
                if facts is not None:
                    ledger.add(facts)
                continue
            h = hash(contract_id)
            first, second = h & single_mask, (h >> 32) & single_mask
            byte, bit = first >> 3, 1 << (first & 7)
            byte2, bit2 = second >> 3, 1 << (second & 7)
            seen, seen2 = single_bits[byte], single_bits[byte2]
            if seen & bit and seen2 & bit2:
                single_candidates.add(h)
            single_bits[byte] = seen | bit
            single_bits[byte2] = single_bits[byte2] | bit2  # byte2 may be byte
    _complete(tables, rules, unit, ledger, singles)
    return item_candidates, ledger, rows


def _is_joint(value: Any) -> bool:
    try:
        return not is_blank(value) and read_procurement(value) == "joint"
    except (FieldError, TypeError):
        return False


def _complete(
    tables: Sequence[Table], rules: RuleSet, unit: int, ledger: ContractLedger,
    singles: SeenTwice,
) -> None:
    """Pass 2, only when needed: gather exactly every contract that may be declared twice.

    Like :func:`scan`, the loop is written out: it runs over every row.
    """
    wanted = set(singles.candidates)
    wanted.update(hash(c) for c in ledger.ids() if singles.maybe_seen2(c))
    if not wanted:
        return
    ledger.discard(lambda contract: hash(contract) in wanted)
    for table in tables:
        i_contract = table.index.get("contract_id")
        if i_contract is None:
            continue
        for cells in table.cells():
            try:
                raw = cells[i_contract]
            except IndexError:
                continue  # a short row
            if raw.__class__ is str and raw.isascii():  # is_blank and id_text, inline
                contract_id = raw.strip()
                if not contract_id:
                    continue
            elif is_blank(raw):
                continue
            else:
                contract_id = id_text(raw)
            if hash(contract_id) in wanted:
                facts = contract_row(prepare(table.row(Record(0, cells)), rules, unit, ItemIds()))
                if facts is not None:
                    ledger.add(facts)
