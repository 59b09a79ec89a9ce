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

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from tokko.batch.keys import Keys
from tokko.engine.audit import ContractRow, ItemIds
from tokko.engine.calculate import Indices, compute, contract_row, contract_warnings, item_key
from tokko.engine.prepare import duplicate_item, prepare
from tokko.engine.steps import Agreement, Context, Decision, Outcome, decide, measure
from tokko.io.table import Table
from tokko.model.codes import WarningCode
from tokko.model.declaration import ROW_FIELDS
from tokko.model.fields import is_blank, read_id, read_procurement
from tokko.model.fiscal_strength import parse_index
from tokko.model.fiscal_year import parse_fiscal_year
from tokko.model.localgov import LocalGovernment, read_code
from tokko.model.money import ZERO, parse_yen
from tokko.model.problem import InvalidValue
from tokko.rules.ruleset import RuleSet, RuleVersion

_FIELDS = tuple(f.name for f in ROW_FIELDS)
_MEMO = 100_000
_MAX_TEXT = 32_767
_RESTORED = (WarningCode.CODE_LEADING_ZERO_RESTORED,)


class Computed(NamedTuple):
    """One row done: its outcome, and its government, year, rules and index when read."""

    outcome: Outcome
    entity: LocalGovernment | None
    fiscal_year: int | None
    rules: RuleVersion | None
    fiscal_strength_index: Decimal | None


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


def _id(value: Any) -> str | None:
    """An identifier as :func:`~tokko.model.fields.read_id` reads it (None: blank)."""
    if value == "" or value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.isprintable() and len(value) <= 256:
        return value.strip() or None
    return None if is_blank(value) else read_id(value)


def _yen(value: Any, unit: int) -> Decimal | None:
    return None if _blank(value) else parse_yen(value, unit)


class Rows:
    """Computes the rows of the tables of one batch, in order, checked across rows."""

    def __init__(self, rules: RuleSet, agreements: dict[str, Agreement], unit: int,
                 keys: Keys, indices: Indices) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._keys = keys
        self._indices = indices
        self._ids = ItemIds(keys.may_repeat)
        self._years: dict[Any, tuple[int, RuleVersion]] = {}
        self._decisions: dict[tuple[Any, ...], Decision] = {}
        self._tables: dict[int, tuple[int, ...]] = {}

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

    def _positions(self, table: Table) -> tuple[int, ...]:
        """Where each field is in the table's rows (-1: the table has no such column)."""
        found = self._tables.get(id(table))
        if found is None:
            found = self._tables[id(table)] = tuple(table.index.get(f, -1) for f in _FIELDS)
        return found

    def _read(self, table: Table, number: int, cells: Sequence[Any]) -> Computed:
        width = len(cells)
        if width > len(table.headers):
            raise _Skip  # a value under no header, maybe
        (code_cell, year_cell, item_cell, description, technology_cell, area_cell, kind_cell,
         amount_cell, revenue_cell, procurement_cell, agreement_cell, contract_cell,
         total_cell, introduced_cell, index_cell) = (
            cells[i] if 0 <= i < width else None for i in self._positions(table))
        if _blank(code_cell):
            raise _Skip
        reading = read_code(code_cell)
        entity = reading.government
        year, rules = self._year(year_cell)
        item_id = _id(item_cell)
        _text(description)
        technology = _text(technology_cell)
        area = _text(area_cell, required=False)
        kind = _text(kind_cell)
        if item_id is None or _blank(amount_cell):
            raise _Skip
        amount = parse_yen(amount_cell, self._unit)
        revenue = _yen(revenue_cell, self._unit) or ZERO
        procurement = "single" if _blank(procurement_cell) else read_procurement(
            procurement_cell)
        agreement_id = _id(agreement_cell)
        contract_id = _id(contract_cell)
        total = _yen(total_cell, self._unit)
        introduced = None if _blank(introduced_cell) else parse_fiscal_year(introduced_cell)
        if introduced is not None and introduced > year:
            raise _Skip
        index_value = None if _blank(index_cell) else parse_index(index_cell)
        decision = self._decide(technology, kind, area, introduced, procurement, agreement_id,
                                entity.code, year, rules)
        code = entity.code
        if not self._ids.claim((code, year, item_id)):
            return self._whole(table, number, cells, claimed=False)  # a repeated item id
        if index_value is not None and self._indices.known.setdefault(
                (code, year), index_value) != index_value:
            return self._whole(table, number, cells, claimed=True)  # another index
        outcome = measure(decision, amount, revenue, rules)
        if reading.restored:
            outcome = outcome._replace(warnings=(*_RESTORED, *outcome.warnings))
        if contract_id is not None:
            facts = ContractRow(contract_id, code, year, procurement, amount, total)
            ledger = self._keys.ledger
            if self._keys.first_of_bucket(self._keys.contracts.bucket(contract_id)):
                ledger.add(facts)
            checks = rules.file.audit_checks
            outcome = outcome.with_warnings(ledger.warnings(
                facts, duplicates=checks.duplicate_contract.value,
                joint_shares=checks.joint_shares_within_contract_total.value))
        return Computed(outcome, entity, year, rules, index_value)

    def _decide(self, technology: str, kind: str, area: str, introduced: int | None,
                procurement: str, agreement_id: str | None, code: str, year: int,
                rules: RuleVersion) -> Decision:
        """:func:`~tokko.engine.steps.decide`, remembered: only a joint row's answer depends on
        its government (the conditions of the joint rate)."""
        key = (technology, kind, area, introduced, procurement, agreement_id,
               code if procurement == "joint" else None, year, rules)
        decision = self._decisions.get(key)
        if decision is None:
            context = Context(code, year, rules, self._agreements)
            decision = decide(technology, kind, area, introduced, procurement, agreement_id,
                              context)
            if len(self._decisions) >= _MEMO:
                self._decisions.clear()
            self._decisions[key] = decision
        return decision

    def _whole(self, table: Table, number: int, cells: Sequence[Any],
               claimed: bool | None = None) -> Computed:
        """A row read whole by step 1, checked across rows and computed: the engine's path for
        every row the reading above does not vouch for (most of them have a problem).
        ``claimed`` is the answer of the item-id check when the row already asked it."""
        row = table.row(number, cells)
        prepared = prepare(row, self._rules, self._unit)
        if self._keys.first_of_bucket(self._keys.contract_bucket(cells, table.index)):
            facts = contract_row(prepared)
            if facts is not None:
                self._keys.ledger.add(facts)
        key = item_key(row, prepared)
        if claimed is None and key is not None:
            claimed = self._ids.claim(key)
        if key is not None and claimed is False:
            prepared = prepared._replace(problems=(*prepared.problems,
                                                   duplicate_item(row, key[2])))
        prepared = self._indices.check(row, prepared)
        outcome = contract_warnings(self._keys.ledger, prepared,
                                    compute(prepared, self._agreements))
        return Computed(outcome, prepared.entity, prepared.fiscal_year, prepared.rules,
                        prepared.fiscal_strength_index if not prepared.problems else None)
