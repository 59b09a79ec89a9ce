"""The second pass of a batch: every row read, checked, computed and written, in order.

Each row is read as step 1 reads it and computed by the engine's steps 2–5
(:func:`~tokko.engine.steps.decide`, then :func:`~tokko.engine.steps.measure`). Two savings, no
second arithmetic:

- a row without any problem is read field by field with the fields' own readers, without
  building an :class:`~tokko.model.declaration.ExpenseItem`; a row with a problem — or any doubt
  — is read whole by :func:`~tokko.engine.prepare.prepare`, so its problems are the engine's,
  in the engine's order;
- what :func:`~tokko.engine.steps.decide` says of a row depends only on its technology,
  expense kind, business area, year of introduction, procurement and agreement, its fiscal year
  and rule version (and, for a joint row, its government): it is remembered for those values.

``tests/batch/test_batch_properties.py`` checks, with hypothesis, that every row of a batch
gets exactly what :func:`tokko.calculate_rows` gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from tokko.batch.keys import Keys, identifier, key_cells
from tokko.engine.audit import ContractRow, ItemIds
from tokko.engine.calculate import Indices, compute, contract_row, contract_warnings, item_key
from tokko.engine.prepare import duplicate_item, prepare
from tokko.engine.steps import Agreement, Context, Decision, Outcome, decide, measure
from tokko.io.results import Read, read_of
from tokko.io.table import Table
from tokko.model.codes import WarningCode
from tokko.model.declaration import ROW_FIELDS
from tokko.model.fields import is_blank, read_procurement
from tokko.model.fiscal_strength import parse_index
from tokko.model.fiscal_year import parse_fiscal_year
from tokko.model.localgov import LocalGovernment, read_code
from tokko.model.money import ZERO, parse_yen
from tokko.model.problem import InvalidValue
from tokko.model.text import loose
from tokko.rules.ruleset import RuleSet, RuleVersion

#: The fields the reading below knows, in the order it unpacks them. A table with a column for
#: any other field (one added to the model since) is read whole by the engine, row by row:
#: slower, never wrong.
_FIELDS = (
    "entity_code",
    "fiscal_year",
    "item_id",
    "description",
    "technology",
    "business_area",
    "expense_kind",
    "amount",
    "specific_revenue",
    "procurement",
    "agreement_id",
    "contract_id",
    "contract_total",
    "introduced_in",
    "fiscal_strength_index",
)
_ALL_FIELDS = frozenset(f.name for f in ROW_FIELDS)
_MEMO = 100_000
_MAX_TEXT = 32_767
_RESTORED = (WarningCode.CODE_LEADING_ZERO_RESTORED,)


class Computed(NamedTuple):
    """One row done: its outcome, and its government, year, rules and index when read, and
    what its cells were read as (:func:`~tokko.io.results.with_read`; empty for an error)."""

    outcome: Outcome
    entity: LocalGovernment | None
    fiscal_year: int | None
    rules: RuleVersion | None
    fiscal_strength_index: Decimal | None
    read: Read


class _Place(NamedTuple):
    """A row's government and fiscal year (:meth:`Rows._place`), and the ``audit_checks``
    switches of the rule version in force."""

    entity: LocalGovernment
    code: str
    restored: bool
    year: int
    rules: RuleVersion
    duplicates: bool
    joint_shares: bool


class _Layout(NamedTuple):
    """Where one table holds the fields (:meth:`Rows._layout`)."""

    table: Table
    #: A row's cells in :data:`_FIELDS` order (a field the table has no column for reads the
    #: None added after the row's cells).
    fields: Callable[[Sequence[Any]], tuple[Any, ...]]
    width: int
    #: The table lacks a column of :data:`_FIELDS`.
    padded: bool
    #: The table has a column of a field this reading does not know: every row is read whole.
    whole: bool


class _Shape(NamedTuple):
    """What the rules say of a row whatever its government (:meth:`Rows._shape`); a joint
    row's decision is remembered with its government."""

    procurement: str
    decision: Decision | None
    introduced: int | None


_T = TypeVar("_T")


def _remember(memo: dict[Any, _T], key: Any, value: _T) -> _T:
    """``memo[key] = value`` unless the memo is full (then it starts again) or the key cannot
    be one (a cell that is not hashable); returns ``value``."""
    if len(memo) >= _MEMO:
        memo.clear()
    with suppress(TypeError):
        memo[key] = value
    return value


class _Skip(Exception):  # noqa: N818 — not an error: the row is read whole instead
    """The row is not one the field-by-field reading vouches for."""


def _blank(value: Any) -> bool:
    """:func:`~tokko.model.fields.is_blank`, with the empty cell (the most common) first."""
    return value is None or value == "" or is_blank(value)


def _text(value: Any, required: bool = True) -> str:
    """Text as :func:`~tokko.model.fields.read_text` reads a plain string (else: skip)."""
    if value is None or (isinstance(value, str) and is_blank(value)):
        if required:
            raise _Skip
        return ""
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise _Skip
    return value.strip()


def _yen(value: Any, unit: int) -> Decimal | None:
    return None if _blank(value) else parse_yen(value, unit)


class Rows:
    """Computes the rows of the tables of one batch, in order, checked across rows."""

    def __init__(
        self,
        rules: RuleSet,
        agreements: dict[str, Agreement],
        unit: int,
        keys: Keys,
        indices: Indices,
    ) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._keys = keys
        self._indices = indices
        self._ids = ItemIds(keys.may_repeat)
        self._years: dict[Any, tuple[int, RuleVersion]] = {}
        self._places: dict[tuple[Any, Any], _Place] = {}
        self._shapes: dict[tuple[Any, ...], _Shape] = {}
        self._indices_read: dict[Any, Decimal | None] = {}
        self._table: _Layout | None = None

    def compute(self, table: Table, number: int, cells: Sequence[Any]) -> Computed:
        """Read, check and compute one row."""
        try:
            return self._read(table, number, cells)
        except (_Skip, InvalidValue):
            return self._whole(table, number, cells)

    def _year(self, value: Any) -> tuple[int, RuleVersion]:
        found = self._years.get(value)
        if found is None:
            if is_blank(value):
                raise _Skip
            year = parse_fiscal_year(value)
            found = (year, self._rules.for_year(year))
            if len(self._years) < _MEMO:
                self._years[value] = found
        return found

    def _layout(self, table: Table) -> _Layout:
        """Where ``table`` holds the fields, found when its first row comes (its rows come
        together)."""
        width = len(table.headers)
        at = [table.index.get(f, width) for f in _FIELDS]
        whole = bool((_ALL_FIELDS - set(_FIELDS)) & set(table.index))
        self._table = _Layout(table, itemgetter(*at), width, width in at, whole)
        return self._table

    def _read(self, table: Table, number: int, cells: Sequence[Any]) -> Computed:
        layout = self._table
        if layout is None or layout.table is not table:
            layout = self._layout(table)
        width = layout.width
        if layout.whole or len(cells) > width:  # an unknown field, or a value under no header
            raise _Skip
        if layout.padded or len(cells) < width:
            cells = [*cells, *[None] * (width + 1 - len(cells))]
        (
            code_cell,
            year_cell,
            item_cell,
            description,
            technology_cell,
            area_cell,
            kind_cell,
            amount_cell,
            revenue_cell,
            procurement_cell,
            agreement_cell,
            contract_cell,
            total_cell,
            introduced_cell,
            index_cell,
        ) = layout.fields(cells)
        place = self._places.get((code_cell, year_cell))
        if place is None:
            place = self._place(code_cell, year_cell)
        code, year, rules = place.code, place.year, place.rules
        what = (
            technology_cell,
            area_cell,
            kind_cell,
            procurement_cell,
            agreement_cell,
            introduced_cell,
            year,
            rules,
        )
        shape = self._shapes.get(what)
        if shape is None:
            shape = self._shape(what, code)
        if shape.decision is None:  # a joint row: the joint rate's conditions name its government
            shape = self._shapes.get((*what, code)) or self._shape(what, code, joint=True)
        decision = shape.decision
        assert decision is not None
        index_value = None if index_cell is None or index_cell == "" else self._index(index_cell)
        item_id = identifier(item_cell)
        _text(description)
        if item_id is None:
            raise _Skip
        amount = parse_yen(amount_cell, self._unit)  # a blank amount: InvalidValue, read whole
        revenue_read = _yen(revenue_cell, self._unit)  # None: blank
        revenue = revenue_read or ZERO
        contract_id = identifier(contract_cell)
        total = _yen(total_cell, self._unit)
        if not self._ids.claim((code, year, item_id)):
            return self._whole(table, number, cells, claimed=False)  # a repeated item id
        if (
            index_value is not None
            and self._indices.known.setdefault((code, year), index_value) != index_value
        ):
            return self._whole(table, number, cells, claimed=True)  # another index
        outcome = measure(decision, amount, revenue, rules)
        if place.restored:
            outcome = outcome._replace(warnings=(*_RESTORED, *outcome.warnings))
        if contract_id is not None:
            contract = loose(contract_id)
            facts = ContractRow(contract, code, year, shape.procurement, amount, total)
            keys = self._keys
            if keys.first_of_bucket(keys.contracts.bucket(contract)):
                keys.ledger.add(facts)
            outcome = outcome.with_warnings(
                keys.ledger.warnings(
                    facts, duplicates=place.duplicates, joint_shares=place.joint_shares
                )
            )
        read: Read = {
            "entity_code": code,
            "fiscal_year": year,
            "amount": amount,
            "specific_revenue": revenue_read,
            "contract_total": total,
            "introduced_in": shape.introduced,
            "fiscal_strength_index": index_value,
        }
        return Computed(outcome, place.entity, year, rules, index_value, read)

    def _place(self, code_cell: Any, year_cell: Any) -> _Place:
        """Who and when: a row's government and fiscal-year cells read (step 1), and the rule
        version in force, remembered for these two cells."""
        if _blank(code_cell):
            raise _Skip
        reading = read_code(code_cell)
        year, rules = self._year(year_cell)
        checks = rules.file.audit_checks
        place = _Place(
            reading.government,
            reading.government.code,
            reading.restored,
            year,
            rules,
            checks.duplicate_contract.value,
            checks.joint_shares_within_contract_total.value,
        )
        return _remember(self._places, (code_cell, year_cell), place)

    def _shape(self, what: tuple[Any, ...], code: str, *, joint: bool = False) -> _Shape:
        """What the rules say of a row's technology, business area, expense kind, procurement,
        agreement and year of introduction cells in a fiscal year (steps 2 and 4), remembered
        for these cells — and, for a joint row, its government."""
        (
            technology_cell,
            area_cell,
            kind_cell,
            procurement_cell,
            agreement_cell,
            introduced_cell,
            year,
            rules,
        ) = what
        technology = _text(technology_cell)
        area = _text(area_cell, required=False)
        kind = _text(kind_cell)
        procurement = "single" if _blank(procurement_cell) else read_procurement(procurement_cell)
        agreement_id = identifier(agreement_cell)
        introduced = None if _blank(introduced_cell) else parse_fiscal_year(introduced_cell)
        if introduced is not None and introduced > year:
            raise _Skip
        if procurement == "joint" and not joint:
            return _remember(self._shapes, what, _Shape(procurement, None, introduced))
        context = Context(code, year, rules, self._agreements)
        decision = decide(technology, kind, area, introduced, procurement, agreement_id, context)
        key = (*what, code) if joint else what
        return _remember(self._shapes, key, _Shape(procurement, decision, introduced))

    def _index(self, cell: Any) -> Decimal | None:
        found = self._indices_read.get(cell)
        if found is None:
            found = None if _blank(cell) else parse_index(cell)
            _remember(self._indices_read, cell, found)
        return found

    def _whole(
        self, table: Table, number: int, cells: Sequence[Any], claimed: bool | None = None
    ) -> Computed:
        """A row read whole by step 1, checked across rows and computed: the engine's path for
        every row the reading above does not vouch for (most of them have a problem).
        ``claimed`` is the answer of the item-id check when the row already asked it."""
        row = table.row(number, cells)
        prepared = prepare(row, self._rules, self._unit)
        contract_cell = key_cells(table)(cells)[3]
        if self._keys.first_of_bucket(self._keys.contract_bucket(contract_cell)):
            facts = contract_row(prepared)
            if facts is not None:
                self._keys.ledger.add(facts)
        key = item_key(row, prepared)
        if claimed is None and key is not None:
            claimed = self._ids.claim(key)
        if key is not None and claimed is False:
            prepared = prepared._replace(problems=(*prepared.problems, duplicate_item(row, key[2])))
        prepared = self._indices.check(row, prepared)
        outcome = contract_warnings(
            self._keys.ledger, prepared, compute(prepared, self._agreements)
        )
        return Computed(
            outcome,
            prepared.entity,
            prepared.fiscal_year,
            prepared.rules,
            prepared.fiscal_strength_index if not prepared.problems else None,
            read_of(prepared, row.data),
        )
