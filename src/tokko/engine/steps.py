"""SPEC §4 steps 2–5 for one item: one small function per step, each naming its rule key.

- :func:`classify` — step 2: the exclusions (``technologies``, ``expense_kinds[].eligible``,
  ``excluded_businesses``, ``expense_kinds[].first_year_only``);
- :func:`deduct_specific_revenue` — step 3 (``specific_revenue.deduct``);
- :func:`select_rate` — step 4 (``rates.*``, ``joint_procurement.*``);
- :func:`apply_rate` — step 5 (``rounding.scope = "item"`` only);
- :func:`decide` composes steps 2 and 4 — what the rules say of an item whatever its amounts —
  and :func:`evaluate` all four for one item.

Every step reads the rule version it is given and nothing else: no I/O, no global state; the
same item and rules always give the same outcome. Arithmetic is :data:`~tokko.model.money.EXACT`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple, Protocol

from tokko.model.codes import ReasonCode, WarningCode
from tokko.model.declaration import ExpenseItem
from tokko.model.fiscal_year import fiscal_year_end
from tokko.model.money import EXACT, ZERO, round_to_unit
from tokko.model.problem import Problem
from tokko.model.result import Status
from tokko.rules.ruleset import BusinessMatch, RuleVersion, Technology
from tokko.rules.schema import ExpenseKind


class Agreement(Protocol):
    """What the engine reads of an agreement (:class:`~tokko.model.declaration.Agreement`)."""

    @property
    def agreement_id(self) -> str: ...
    @property
    def concluded_on(self) -> dt.date | None: ...
    @property
    def parties(self) -> tuple[str, ...]: ...


class Context(NamedTuple):
    """What is the same for every item of a declaration: who declares, for which fiscal year,
    under which rule version, with which agreements."""

    entity_code: str | None  # None: a one-off check without a declaring government
    fiscal_year: int
    rules: RuleVersion
    agreements: Mapping[str, Agreement]


class Facts(NamedTuple):
    """What the steps found about one item; its explanation is built from these."""

    technology: Technology
    kind: ExpenseKind
    business: BusinessMatch | None
    exclusions: tuple[str, ...]
    agreement: Agreement | None
    joint_failures: tuple[WarningCode, ...]


class Decision(NamedTuple):
    """Steps 2 and 4 for one item: excluded or not, the rate and why, and the warnings —
    everything the rules say of it whatever its amounts."""

    status: Status
    reason: ReasonCode
    rate: Decimal
    #: The warnings of steps 2 and 4 (the revenue's come in step 3).
    warnings: tuple[WarningCode, ...]
    #: The fiscal year lies beyond ``measure.confirmed_through``.
    unconfirmed: bool
    facts: Facts


class Outcome(NamedTuple):
    """What became of one item; amounts are None for an error row."""

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
        return self if not extra else self._replace(warnings=self.warnings + extra)


EXCLUSION_REASONS: dict[str, ReasonCode] = {
    "technology": ReasonCode.EXCLUDED_TECHNOLOGY,
    "expense_kind": ReasonCode.EXCLUDED_EXPENSE_KIND,
    "standardization_target": ReasonCode.EXCLUDED_STANDARDIZATION_TARGET,
    "first_year": ReasonCode.EXCLUDED_NOT_FIRST_YEAR,
}


# ── Step 2: exclusions ──────────────────────────────────────────────────────────────────────


def classify(
    technology: str,
    expense_kind: str,
    business_area: str,
    introduced_in: int | None,
    fiscal_year: int,
    rules: RuleVersion,
) -> tuple[tuple[str, ...], Technology, ExpenseKind, BusinessMatch | None]:
    """Every exclusion that applies, in the rule file's ``exclusion_order``.

    ``technologies.eligible``, ``expense_kinds[].eligible``, ``excluded_businesses`` and
    ``expense_kinds[].first_year_only`` (a first-year-only kind introduced before this fiscal
    year). Raises ``InvalidValue(UNKNOWN_VALUE)`` for a kind the rule file does not name.
    """
    found_technology = rules.technology(technology)
    kind = rules.expense_kind(expense_kind)
    business = rules.standardization_target(business_area)
    applies = {
        "technology": not found_technology.eligible,
        "expense_kind": not kind.eligible,
        "standardization_target": business is not None,
        "first_year": kind.first_year and introduced_in is not None and introduced_in < fiscal_year,
    }
    exclusions = tuple(s for s in rules.file.exclusion_order.value if applies[s])
    return exclusions, found_technology, kind, business


# ── Step 3: specific revenue ────────────────────────────────────────────────────────────────


def deduct_specific_revenue(
    amount: Decimal, revenue: Decimal, rules: RuleVersion
) -> tuple[Decimal, Decimal, WarningCode | None]:
    """``(net, deducted, warning)`` by ``specific_revenue.deduct``: net = amount − revenue,
    never below 0 (``REVENUE_EXCEEDS_AMOUNT``)."""
    if not rules.file.specific_revenue.deduct.value:
        return amount, ZERO, None
    if revenue > amount:
        return ZERO, amount, WarningCode.REVENUE_EXCEEDS_AMOUNT
    return EXACT.subtract(amount, revenue), revenue, None


# ── Step 4: the rate ────────────────────────────────────────────────────────────────────────


def joint_failures(
    agreement_id: str | None, context: Context
) -> tuple[tuple[WarningCode, ...], Agreement | None]:
    """Which conditions of the joint rate (``joint_procurement.*``) a joint item fails, and
    the agreement it names."""
    conditions = context.rules.file.joint_procurement
    assert conditions is not None, "a version with a joint rate has its conditions"
    if agreement_id is None:
        if conditions.agreement_required.value:
            return (WarningCode.JOINT_WITHOUT_AGREEMENT,), None
        return (), None
    agreement = context.agreements.get(agreement_id)
    if agreement is None:
        if conditions.agreement_required.value:
            return (WarningCode.AGREEMENT_UNKNOWN,), None
        return (), None
    failed: list[WarningCode] = []
    if conditions.concluded_by_fiscal_year_end.value and (
        agreement.concluded_on is None
        or agreement.concluded_on > fiscal_year_end(context.fiscal_year)
    ):
        failed.append(WarningCode.AGREEMENT_NOT_CONCLUDED)
    if len(agreement.parties) < conditions.min_parties.value:
        failed.append(WarningCode.AGREEMENT_TOO_FEW_PARTIES)
    # Without a declaring government (a one-off check), this condition cannot be checked.
    if (
        conditions.declarer_must_be_party.value
        and context.entity_code is not None
        and context.entity_code not in agreement.parties
    ):
        failed.append(WarningCode.AGREEMENT_NOT_PARTY)
    return tuple(failed), agreement


def select_rate(
    procurement: str, agreement_id: str | None, context: Context
) -> tuple[Decimal, ReasonCode, tuple[WarningCode, ...], Agreement | None]:
    """``rates.joint`` when procurement is joint and every condition holds; else
    ``rates.standard``, with the warnings that say why. A version without a joint rate (fiscal
    2020) gives a joint item the standard rate and ``JOINT_RATE_NOT_IN_FORCE``."""
    rules = context.rules
    if procurement != "joint":
        return rules.rate_standard, ReasonCode.STANDARD_RATE, (), None
    joint = rules.rate_joint
    if joint is None:
        return (
            rules.rate_standard,
            ReasonCode.STANDARD_RATE,
            (WarningCode.JOINT_RATE_NOT_IN_FORCE,),
            None,
        )
    failures, agreement = joint_failures(agreement_id, context)
    if failures:
        return rules.rate_standard, ReasonCode.STANDARD_RATE, failures, agreement
    return joint, ReasonCode.JOINT_RATE, (), agreement


# ── Step 5: the measure ─────────────────────────────────────────────────────────────────────


def apply_rate(net: Decimal, rate: Decimal, rules: RuleVersion) -> Decimal:
    """measure = net × rate, exact; rounded here only when ``rounding.scope`` is ``item``."""
    measure = EXACT.multiply(net, rate)
    rounding = rules.file.rounding
    if rounding.scope.value == "item":
        measure = round_to_unit(measure, rounding.unit.value, rounding.mode.value)
    return measure


# ── Composition ─────────────────────────────────────────────────────────────────────────────


def decide(
    technology: str,
    expense_kind: str,
    business_area: str,
    introduced_in: int | None,
    procurement: str,
    agreement_id: str | None,
    context: Context,
) -> Decision:
    """Steps 2 and 4: what the rules say of an item, whatever its amounts."""
    rules = context.rules
    exclusions, found_technology, kind, business = classify(
        technology, expense_kind, business_area, introduced_in, context.fiscal_year, rules
    )
    warnings: list[WarningCode] = []
    failures: tuple[WarningCode, ...] = ()
    agreement = None
    if exclusions:
        status: Status = "excluded"
        rate, reason = ZERO, EXCLUSION_REASONS[exclusions[0]]
    else:
        status = "eligible"
        if kind.first_year and introduced_in is None:
            warnings.append(WarningCode.INTRODUCTION_YEAR_MISSING)
        rate, reason, failures, agreement = select_rate(procurement, agreement_id, context)
        warnings.extend(failures)
    facts = Facts(
        found_technology,
        kind,
        business,
        exclusions,
        agreement,
        tuple(w for w in failures if w is not WarningCode.JOINT_RATE_NOT_IN_FORCE),
    )
    return Decision(
        status, reason, rate, tuple(warnings), not rules.is_confirmed(context.fiscal_year), facts
    )


def measure(decision: Decision, amount: Decimal, revenue: Decimal, rules: RuleVersion) -> Outcome:
    """Steps 3 and 5 for an item of which ``decision`` is steps 2 and 4."""
    net, deducted, revenue_warning = deduct_specific_revenue(amount, revenue, rules)
    warnings = decision.warnings
    if revenue_warning is not None:
        warnings = (*warnings, revenue_warning)
    if decision.unconfirmed:
        warnings = (*warnings, WarningCode.RULES_UNCONFIRMED_FOR_YEAR)
    if decision.status == "excluded":
        return Outcome(
            "excluded",
            amount,
            deducted,
            net,
            ZERO,
            ZERO,
            decision.reason,
            warnings,
            (),
            decision.facts,
        )
    return Outcome(
        "eligible",
        amount,
        deducted,
        net,
        decision.rate,
        apply_rate(net, decision.rate, rules),
        decision.reason,
        warnings,
        (),
        decision.facts,
    )


def evaluate(item: ExpenseItem, context: Context) -> Outcome:
    """Steps 2–5 for one valid item."""
    decision = decide(
        item.technology,
        item.expense_kind,
        item.business_area,
        item.introduced_in,
        item.procurement,
        item.agreement_id,
        context,
    )
    return measure(decision, item.amount, item.specific_revenue, context.rules)
