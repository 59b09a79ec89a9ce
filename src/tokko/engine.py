"""The computation of SPEC §4: one small function per step, and :func:`evaluate` composing them.

Every step reads the rule version it is given and nothing else; each names the rule key it
applies. No I/O, no global state: the same item and rules always give the same outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal, NamedTuple, Protocol

from tokko.codes import ReasonCode, WarningCode
from tokko.errors import FieldError
from tokko.fiscal_year import fiscal_year_end
from tokko.money import ZERO, round_to_unit
from tokko.reading import Problem
from tokko.ruledata import ExpenseKind
from tokko.ruleset import BusinessMatch, RuleVersion, Technology

#: What became of an item.
Status = Literal["eligible", "excluded", "error"]


class Item(Protocol):
    """What the engine reads of an item: :class:`~tokko.declaration.ExpenseItem` or ItemFields."""

    @property
    def item_id(self) -> str: ...
    @property
    def technology(self) -> str: ...
    @property
    def business_area(self) -> str: ...
    @property
    def expense_kind(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def specific_revenue(self) -> Decimal: ...
    @property
    def procurement(self) -> str: ...
    @property
    def agreement_id(self) -> str | None: ...


class Agreement(Protocol):
    """What the engine reads of an agreement: :class:`~tokko.declaration.Agreement` or
    :class:`~tokko.reading.AgreementFields`."""

    @property
    def agreement_id(self) -> str: ...
    @property
    def concluded_on(self) -> dt.date | None: ...
    @property
    def parties(self) -> tuple[str, ...]: ...


class Facts(NamedTuple):
    """What the steps found about one item; the explanation is built from these."""

    technology: Technology
    kind: ExpenseKind
    business: BusinessMatch | None
    exclusions: tuple[str, ...]
    agreement: Agreement | None
    joint_failures: tuple[WarningCode, ...]


class Outcome(NamedTuple):
    """The outcome of one item; amounts are None for an error row."""

    status: Status
    amount: Decimal | None
    deducted: Decimal | None
    net: Decimal | None
    rate: Decimal | None
    measure: Decimal | None
    reason: ReasonCode | None
    warnings: tuple[WarningCode, ...]
    problems: tuple[Problem, ...]
    facts: Facts | None

    @classmethod
    def error(cls, problems: tuple[Problem, ...]) -> Outcome:
        return cls("error", None, None, None, None, None, None, (), problems, None)

    def with_warnings(self, extra: tuple[WarningCode, ...]) -> Outcome:
        if not extra:
            return self
        return self._replace(warnings=self.warnings + extra)


EXCLUSION_REASONS: dict[str, ReasonCode] = {
    "technology": ReasonCode.EXCLUDED_TECHNOLOGY,
    "expense_kind": ReasonCode.EXCLUDED_EXPENSE_KIND,
    "standardization_target": ReasonCode.EXCLUDED_STANDARDIZATION_TARGET,
}


# ── Step 2: exclusions (technologies.eligible, expense_kinds[].eligible, excluded_businesses) ─


def classify(
    item: Item, rules: RuleVersion
) -> tuple[tuple[str, ...], Technology, ExpenseKind, BusinessMatch | None]:
    """Every exclusion that applies, in the rule file's ``exclusion_order``.

    Raises ``FieldError(UNKNOWN_VALUE)`` when the expense kind is not one the rule file names.
    """
    technology = rules.technology(item.technology)
    kind = rules.expense_kind(item.expense_kind)
    business = rules.standardization_target(item.business_area)
    applies = {
        "technology": not technology.eligible,
        "expense_kind": not kind.eligible,
        "standardization_target": business is not None,
    }
    exclusions = tuple(step for step in rules.data.exclusion_order.value if applies[step])
    return exclusions, technology, kind, business


# ── Step 3: specific revenue (specific_revenue.deduct) ──────────────────────────────────────


def deduct_specific_revenue(
    amount: Decimal, revenue: Decimal, rules: RuleVersion
) -> tuple[Decimal, Decimal, WarningCode | None]:
    """``(net, deducted, warning)``: net = amount − revenue, never below 0."""
    if not rules.data.deduct_specific_revenue.value:
        return amount, ZERO, None
    if revenue > amount:
        return ZERO, amount, WarningCode.REVENUE_EXCEEDS_AMOUNT
    return amount - revenue, revenue, None


# ── Step 4: the rate (rates.*, joint_procurement.*) ──────────────────────────────────────────


def joint_failures(
    item: Item,
    entity_code: str | None,
    fiscal_year: int,
    agreements: Mapping[str, Agreement],
    rules: RuleVersion,
) -> tuple[tuple[WarningCode, ...], Agreement | None]:
    """Which conditions of the joint rate a joint item fails, and the agreement it names."""
    conditions = rules.data
    if item.agreement_id is None:
        if conditions.agreement_required.value:
            return (WarningCode.JOINT_WITHOUT_AGREEMENT,), None
        return (), None
    agreement = agreements.get(item.agreement_id)
    if agreement is None:
        return (WarningCode.AGREEMENT_UNKNOWN,), None
    failed: list[WarningCode] = []
    if conditions.concluded_by_fiscal_year_end.value and (
        agreement.concluded_on is None or agreement.concluded_on > fiscal_year_end(fiscal_year)
    ):
        failed.append(WarningCode.AGREEMENT_NOT_CONCLUDED)
    if len(agreement.parties) < conditions.min_parties.value:
        failed.append(WarningCode.AGREEMENT_TOO_FEW_PARTIES)
    # Without a declaring government (a one-off check), this condition cannot be checked.
    if (
        conditions.declarer_must_be_party.value
        and entity_code is not None
        and entity_code not in agreement.parties
    ):
        failed.append(WarningCode.AGREEMENT_NOT_PARTY)
    return tuple(failed), agreement


def select_rate(
    procurement: str, failures: tuple[WarningCode, ...], rules: RuleVersion
) -> tuple[Decimal, ReasonCode]:
    """The joint rate when procurement is joint and no condition failed; else the standard rate."""
    if procurement == "joint" and not failures:
        return rules.rate_joint, ReasonCode.JOINT_RATE
    return rules.rate_standard, ReasonCode.STANDARD_RATE


# ── Step 5: the measure (rounding.scope = "item" only) ───────────────────────────────────────


def apply_rate(net: Decimal, rate: Decimal, rules: RuleVersion) -> Decimal:
    """measure = net × rate, exact; rounded here only when the rule file rounds per item."""
    measure = net * rate
    data = rules.data
    if data.rounding_scope.value == "item":
        measure = round_to_unit(measure, data.rounding_unit.value, data.rounding_mode.value)
    return measure


def round_total(total: Decimal, rules: RuleVersion) -> Decimal:
    """A declaration's measure total after the rule file's rounding (rounding.*)."""
    data = rules.data
    if data.rounding_scope.value != "declaration":
        return total
    return round_to_unit(total, data.rounding_unit.value, data.rounding_mode.value)


# ── Composition ──────────────────────────────────────────────────────────────────────────────


def evaluate(
    item: Item,
    entity_code: str | None,
    fiscal_year: int,
    rules: RuleVersion,
    agreements: Mapping[str, Agreement],
) -> Outcome:
    """Steps 2–5 for one valid item of ``entity_code`` in ``fiscal_year``."""
    try:
        exclusions, technology, kind, business = classify(item, rules)
    except FieldError as error:
        return Outcome.error((Problem.of("expense_kind", item.expense_kind, error),))
    net, deducted, revenue_warning = deduct_specific_revenue(
        item.amount, item.specific_revenue, rules
    )
    warnings: list[WarningCode] = []
    failures: tuple[WarningCode, ...] = ()
    agreement = None
    if exclusions:
        status: Status = "excluded"
        rate, measure = ZERO, ZERO
        reason = EXCLUSION_REASONS[exclusions[0]]
    else:
        status = "eligible"
        if item.procurement == "joint":
            failures, agreement = joint_failures(
                item, entity_code, fiscal_year, agreements, rules
            )
            warnings.extend(failures)
        rate, reason = select_rate(item.procurement, failures, rules)
        measure = apply_rate(net, rate, rules)
    if revenue_warning is not None:
        warnings.append(revenue_warning)
    if not rules.is_confirmed(fiscal_year):
        warnings.append(WarningCode.RULES_UNCONFIRMED_FOR_YEAR)
    facts = Facts(technology, kind, business, exclusions, agreement, failures)
    return Outcome(
        status, item.amount, deducted, net, rate, measure, reason, tuple(warnings), (), facts
    )
