"""SPEC §4 steps 6–8, per declaration: the sum by rate, the fiscal-strength adjustment, rounding.

- step 6: ``measure_by_rate`` = Σ measure of the items (exact);
- step 7: :func:`adjust` — with a multiplier table in the rule file (``fiscal_strength``) and
  the government's index, ``measure_exact`` = ``measure_by_rate`` × the multiplier of the
  index's bracket; without either, ``measure_exact`` = ``measure_by_rate`` and the declaration
  carries ``FISCAL_STRENGTH_NOT_APPLIED`` saying which is missing;
- step 8: :func:`round_total` — ``measure`` = ``measure_exact`` rounded per ``rounding.*``, once,
  after the multiplier, never before it.

:class:`Tally` adds the items up as they come, so that a batch holds no rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

from tokko.engine.steps import Outcome
from tokko.model.codes import WarningCode
from tokko.model.construct import construct
from tokko.model.localgov import Kind, LocalGovernment
from tokko.model.money import EXACT, ZERO, round_to_unit
from tokko.model.result import Counts, Totals
from tokko.rules.fiscal_strength import EntityKind, MultiplierBracket, multiplier_for
from tokko.rules.ruleset import RuleVersion

Missing = Literal["table", "index", "table_and_index", "entity"]


class Tally:
    """Running totals of one declaration (one government, one fiscal year)."""

    __slots__ = (
        "amount",
        "eligible",
        "error_items",
        "excluded",
        "excluded_items",
        "items",
        "measure_by_rate",
        "net",
        "specific_revenue",
        "warning_items",
    )

    def __init__(self) -> None:
        self.amount = ZERO
        self.specific_revenue = ZERO
        self.net = ZERO
        self.excluded = ZERO
        self.measure_by_rate = ZERO
        self.items = 0
        self.eligible = 0
        self.excluded_items = 0
        self.error_items = 0
        self.warning_items = 0

    def add(self, outcome: Outcome) -> None:
        """Count one item; a computed item adds its amounts (step 6)."""
        self.items += 1
        if outcome.warnings:
            self.warning_items += 1
        if outcome.status == "error":
            self.error_items += 1
            return
        assert outcome.amount is not None
        assert outcome.deducted is not None
        assert outcome.net is not None
        assert outcome.measure is not None
        self.amount = EXACT.add(self.amount, outcome.amount)
        self.specific_revenue = EXACT.add(self.specific_revenue, outcome.deducted)
        if outcome.status == "eligible":
            self.eligible += 1
            self.net = EXACT.add(self.net, outcome.net)
            self.measure_by_rate = EXACT.add(self.measure_by_rate, outcome.measure)
        else:
            self.excluded_items += 1
            self.excluded = EXACT.add(self.excluded, outcome.net)

    def counts(self) -> Counts:
        return construct(
            Counts,
            items=self.items,
            eligible=self.eligible,
            excluded=self.excluded_items,
            error=self.error_items,
            warning=self.warning_items,
        )


class Adjustment(NamedTuple):
    """Step 7 for one declaration: whether the rule version adjusts, and with what."""

    applies: bool
    fiscal_strength_index: Decimal | None
    bracket: MultiplierBracket | None
    #: What is missing when the version adjusts but could not here (None: applied or n/a).
    missing: Missing | None

    @property
    def multiplier(self) -> Decimal | None:
        return None if self.bracket is None else self.bracket.value


def adjust(
    rules: RuleVersion | None, entity: LocalGovernment | None, index: Decimal | None
) -> Adjustment:
    """The fiscal-strength adjustment of one declaration (``fiscal_strength.*``)."""
    if rules is None or not rules.file.fiscal_strength.applies.value:
        return Adjustment(False, index, None, None)
    table = rules.file.fiscal_strength
    if not table.has_table:
        return Adjustment(True, index, None, "table" if index is not None else "table_and_index")
    if index is None:
        return Adjustment(True, index, None, "index")
    if entity is None and table.per_entity_kind:
        return Adjustment(True, index, None, "entity")  # which table: a prefecture's or not
    kind: EntityKind = (
        "prefecture" if entity is not None and entity.kind is Kind.PREFECTURE else "municipality"
    )
    return Adjustment(True, index, multiplier_for(table, index, kind), None)


def round_total(total: Decimal, rules: RuleVersion | None) -> Decimal:
    """A declaration's measure after the rule file's rounding (``rounding.*``, scope
    ``declaration``); unchanged for scope ``item`` (rounded per item) or ``none``."""
    if rules is None:
        return total
    rounding = rules.file.rounding
    if rounding.scope.value != "declaration":
        return total
    return round_to_unit(total, rounding.unit.value, rounding.mode.value)


def totals(
    tally: Tally, rules: RuleVersion | None, adjustment: Adjustment
) -> tuple[Totals, tuple[WarningCode, ...]]:
    """Steps 6–8: the declaration's totals, and its warnings."""
    multiplier = adjustment.multiplier
    exact = (
        tally.measure_by_rate
        if multiplier is None
        else EXACT.multiply(tally.measure_by_rate, multiplier)
    )
    warnings = (WarningCode.FISCAL_STRENGTH_NOT_APPLIED,) if adjustment.missing else ()
    return construct(
        Totals,
        amount=tally.amount,
        specific_revenue=tally.specific_revenue,
        net=tally.net,
        excluded=tally.excluded,
        measure_by_rate=tally.measure_by_rate,
        fiscal_strength_index=adjustment.fiscal_strength_index,
        fiscal_strength_multiplier=multiplier,
        measure_exact=exact,
        measure=round_total(exact, rules),
    ), warnings
