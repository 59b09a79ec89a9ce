"""Running totals of a declaration: what the summary and the result's totals add up."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tokko.engine import Outcome, round_total
from tokko.money import ZERO
from tokko.result import Counts, Totals
from tokko.ruleset import RuleVersion


@dataclass(slots=True)
class Tally:
    """Running totals of one declaration (or one summary line of a batch)."""

    amount: Decimal = ZERO
    specific_revenue: Decimal = ZERO
    net: Decimal = ZERO
    excluded: Decimal = ZERO
    measure_exact: Decimal = ZERO
    items: int = 0
    eligible: int = 0
    excluded_items: int = 0
    error_items: int = 0
    rules: RuleVersion | None = field(default=None)

    def add(self, outcome: Outcome, rules: RuleVersion | None) -> None:
        self.items += 1
        if outcome.status == "error":
            self.error_items += 1
            return
        assert outcome.amount is not None
        assert outcome.deducted is not None
        assert outcome.net is not None
        assert outcome.measure is not None
        self.rules = self.rules or rules
        self.amount += outcome.amount
        self.specific_revenue += outcome.deducted
        if outcome.status == "eligible":
            self.eligible += 1
            self.net += outcome.net
            self.measure_exact += outcome.measure
        else:
            self.excluded_items += 1
            self.excluded += outcome.net

    @property
    def measure(self) -> Decimal:
        """The total after the rule file's rounding."""
        if self.rules is None:
            return self.measure_exact
        return round_total(self.measure_exact, self.rules)

    def totals(self) -> Totals:
        return Totals(
            amount=self.amount, specific_revenue=self.specific_revenue, net=self.net,
            excluded=self.excluded, measure_exact=self.measure_exact, measure=self.measure,
        )

    def counts(self) -> Counts:
        return Counts(items=self.items, eligible=self.eligible, excluded=self.excluded_items,
                      error=self.error_items)
