"""The batch's first pass: which item keys and contracts may repeat, in memory that does not grow
with the rows.

A row must know, when it is computed, whether an earlier row used its item id and whether other
rows declare its contract — the second ones may come later in the file. Holding every key would
grow with the input, so the first pass reads only the columns those checks need and marks one
bit per key hash (:class:`Seen`); a key whose bit was already set may repeat (or share a bit
with another key: a false alarm costs a little memory, never a wrong answer). The second pass
then checks those candidates exactly, key by key.

Contracts need more: every row of a repeated contract must carry the warning, the first one
included, and joint shares are summed over all of them. So the first pass also reads in full
each row whose contract bit was already set and puts its facts in the
:class:`~tokko.engine.audit.ContractLedger`. The one row of each such bit that it did not read —
the first — is added by the second pass when it meets it, before any other row with that bit
(:meth:`Keys.first_of_bucket`): from then on the ledger holds every row of the contract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from tokko.engine.audit import ContractLedger, ItemKey
from tokko.engine.calculate import contract_row
from tokko.engine.prepare import prepare
from tokko.io.table import Table
from tokko.model.fields import is_blank, read_id
from tokko.model.fiscal_year import parse_fiscal_year
from tokko.model.localgov import read_code
from tokko.model.problem import InvalidValue
from tokko.model.text import loose
from tokko.rules.ruleset import RuleSet

_MIN_BITS = 1 << 16
_MAX_BITS = 1 << 27  # 16 MiB per table


class Seen:
    """One bit per bucket of key hashes: :meth:`add` says whether the bucket was met before;
    the buckets met again are kept in :attr:`twice`."""

    def __init__(self, bits: int) -> None:
        self._bits = bytearray(bits // 8)
        self._mask = bits - 1
        self.twice: set[int] = set()

    def bucket(self, key: object) -> int:
        return hash(key) & self._mask

    def add(self, bucket: int) -> bool:
        """Mark ``bucket``; True when it was marked before (it may repeat)."""
        byte, bit = bucket >> 3, 1 << (bucket & 7)
        if self._bits[byte] & bit:
            self.twice.add(bucket)
            return True
        self._bits[byte] |= bit
        return False


def table_bits(tables: Sequence[Table]) -> int:
    """Bits per table for the inputs: about 16 per row, estimated from the file sizes."""
    rows = sum(t.path.stat().st_size // (40 if t.kind == "csv" else 8) for t in tables)
    bits = _MIN_BITS
    while bits < 16 * rows and bits < _MAX_BITS:
        bits <<= 1
    return bits


_MEMO = 100_000


def identifier(value: Any) -> str | None:
    """An identifier cell (item id, contract id) as :func:`~tokko.model.fields.read_id` reads
    it; None when blank. A cell that is no identifier raises ``InvalidValue`` as read_id does."""
    if value == "" or value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.isprintable() and len(value) <= 256:
        return value.strip() or None
    return None if is_blank(value) else read_id(value)


class Keys:
    """What the first pass found: the item keys and contracts that may repeat, and the ledger
    of the contracts' rows (all but the first of each bucket)."""

    def __init__(self, bits: int) -> None:
        self.items = Seen(bits)
        self.contracts = Seen(bits)
        self.ledger = ContractLedger()
        self.rows = 0
        self._met: set[int] = set()
        self._places: dict[tuple[Any, Any], tuple[str, int] | None] = {}

    def item_key(self, code_cell: Any, year_cell: Any, item_cell: Any) -> ItemKey | None:
        """(government, year, item id) of a row whose three cells can be read."""
        try:
            place = self._places[code_cell, year_cell]
        except KeyError:
            place = self._place(code_cell, year_cell)
        except TypeError:  # an unhashable cell
            return None
        if place is None:
            return None
        try:
            item_id = identifier(item_cell)
        except InvalidValue:
            return None
        return None if item_id is None else (place[0], place[1], item_id)

    def _place(self, code_cell: Any, year_cell: Any) -> tuple[str, int] | None:
        """(government code, fiscal year) of a row's two cells when both can be read,
        remembered for the few pairs a batch holds."""
        try:
            found = (read_code(code_cell).government.code, parse_fiscal_year(year_cell))
        except InvalidValue:
            found = None
        if len(self._places) < _MEMO:
            self._places[code_cell, year_cell] = found
        return found

    def forget_places(self) -> None:
        """Let the memory of the pairs read go (the first pass is over)."""
        self._places.clear()

    def contract_bucket(self, value: Any) -> int | None:
        """The bucket of a row's contract id (None: blank or unreadable)."""
        try:
            contract = identifier(value)
        except InvalidValue:
            return None
        return None if contract is None else self.contracts.bucket(loose(contract))

    def may_repeat(self, key: ItemKey) -> bool:
        """Whether an item key's bucket was met twice (the second pass checks it exactly)."""
        return self.items.bucket(key) in self.items.twice

    def first_of_bucket(self, bucket: int | None) -> bool:
        """True for the first row of a contract bucket met twice, the first time it is asked
        (the second pass then adds that row to the ledger)."""
        if bucket is None or bucket not in self.contracts.twice or bucket in self._met:
            return False
        self._met.add(bucket)
        return True


def key_cells(table: Table) -> Callable[[Sequence[Any]], tuple[Any, Any, Any, Any]]:
    """A row's entity code, fiscal year, item id and contract id cells (None where the table
    has no such column or the row is short)."""
    width = len(table.headers)
    at = [
        table.index.get(name, width)
        for name in ("entity_code", "fiscal_year", "item_id", "contract_id")
    ]
    get = itemgetter(*at)
    padding = [None] * (width + 1)

    def cells_of(cells: Sequence[Any]) -> tuple[Any, Any, Any, Any]:
        if len(cells) != width or width in at:  # short, long, or a column the table lacks
            cells = [*cells[:width], *padding[min(len(cells), width) :]]
        found: tuple[Any, Any, Any, Any] = get(cells)
        return found

    return cells_of


def scan(tables: Sequence[Table], rules: RuleSet, unit: int, tick: Callable[[int], None]) -> Keys:
    """Read every row of ``tables`` once for its keys (the first pass)."""
    keys = Keys(table_bits(tables))
    items, contracts = keys.items, keys.contracts
    for table in tables:
        cells_of = key_cells(table)
        for number, cells in table.records():
            keys.rows += 1
            if keys.rows % 5000 == 0:
                tick(keys.rows)
            code_cell, year_cell, item_cell, contract_cell = cells_of(cells)
            key = keys.item_key(code_cell, year_cell, item_cell)
            if key is not None:
                items.add(items.bucket(key))
            if contract_cell is None or contract_cell == "":
                continue
            bucket = keys.contract_bucket(contract_cell)
            if bucket is not None and contracts.add(bucket):
                facts = contract_row(prepare(table.row(number, cells), rules, unit))
                if facts is not None:
                    keys.ledger.add(facts)
    keys.forget_places()  # the second pass remembers its own
    return keys
