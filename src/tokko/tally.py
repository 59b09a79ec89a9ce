"""Running totals of a declaration: what the summary and the result's totals add up."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tokko.engine import Outcome, round_total
from tokko.money import ZERO
from tokko.ruleset import RuleVersion

if TYPE_CHECKING:
    from tokko.result import Counts, Totals


class Tally:
    """Running totals of one declaration (or one summary line of a batch)."""

    __slots__ = ("amount", "eligible", "error_items", "excluded", "excluded_items", "items",
                 "measure_exact", "net", "rules", "specific_revenue")

    def __init__(self, rules: RuleVersion | None = None) -> None:
        self.amount = ZERO
        self.specific_revenue = ZERO
        self.net = ZERO
        self.excluded = ZERO
        self.measure_exact = ZERO
        self.items = 0
        self.eligible = 0
        self.excluded_items = 0
        self.error_items = 0
        self.rules = rules

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

    def absorb(self, other: Tally, sign: int = 1) -> None:
        """Add ``other``'s rows (the same summary line, counted elsewhere) to these; with
        ``sign`` -1, take them away (rows counted on a guess, then counted again)."""
        self.amount += sign * other.amount
        self.specific_revenue += sign * other.specific_revenue
        self.net += sign * other.net
        self.excluded += sign * other.excluded
        self.measure_exact += sign * other.measure_exact
        self.items += sign * other.items
        self.eligible += sign * other.eligible
        self.excluded_items += sign * other.excluded_items
        self.error_items += sign * other.error_items
        self.rules = self.rules or other.rules

    @property
    def measure(self) -> Decimal:
        """The total after the rule file's rounding."""
        if self.rules is None:
            return self.measure_exact
        return round_total(self.measure_exact, self.rules)

    def totals(self) -> Totals:
        from tokko.result import Totals

        return Totals(
            amount=self.amount, specific_revenue=self.specific_revenue, net=self.net,
            excluded=self.excluded, measure_exact=self.measure_exact, measure=self.measure,
        )

    def counts(self) -> Counts:
        from tokko.result import Counts

        return Counts(items=self.items, eligible=self.eligible, excluded=self.excluded_items,
                      error=self.error_items)
