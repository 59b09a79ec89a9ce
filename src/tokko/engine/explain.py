"""Explanations: the path from an input row to its amounts, each step citing its rule key.

Built on demand from an :class:`~tokko.engine.steps.Outcome` and the rule version, never stored
by the engine, so a batch of a million rows pays nothing for them. A step's ``outcome`` is a
code, a name, a number or one of the words ``eligible``, ``not_eligible``, ``not_a_target``,
``first_year``, ``not_first_year`` (``outcome.<word>`` in :mod:`tokko.messages`); its ``note`` is
the rule file's note, in the language asked for.
"""

from __future__ import annotations

from decimal import Decimal

from tokko.engine.steps import Outcome
from tokko.engine.totals import Adjustment
from tokko.messages import Lang, t
from tokko.model.codes import RULE_KEYS
from tokko.model.declaration import ExpenseItem
from tokko.model.fiscal_strength import index_text
from tokko.model.money import plain
from tokko.model.result import Step
from tokko.rules.ruleset import RuleVersion


def _joined(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def explain_problems(outcome: Outcome, lang: Lang) -> list[Step]:
    """The steps of an error row: one ``validate`` step per problem."""
    return [
        Step(
            step="validate",
            input=str(p.value) if p.value is not None else None,
            outcome=str(p.code),
            key=p.column,
            note=p.message(lang),
        )
        for p in outcome.problems
    ]


#: Explanation steps that depend only on the rules and an item's words (not its amounts),
#: built once per distinct key and shared (a Step is frozen): a budgeting tool explains the
#: same few technologies and expense kinds over and over.
_MEMO: dict[tuple[object, ...], tuple[Step, ...]] = {}
_MEMO_SIZE = 4096


def explain_item(
    item: ExpenseItem | None,
    outcome: Outcome,
    rules: RuleVersion | None,
    fiscal_year: int | None,
    lang: Lang = "ja",
) -> list[Step]:
    """The steps of SPEC §4 for one item, in order, each with its rule key and source."""
    facts = outcome.facts
    if outcome.status == "error" or item is None or rules is None or facts is None:
        return explain_problems(outcome, lang)
    key = (
        rules,
        fiscal_year,
        lang,
        item.technology,
        item.expense_kind,
        item.business_area,
        item.introduced_in,
    )
    words = _MEMO.get(key)
    if words is None:
        words = _remember(key, tuple(_word_steps(item, outcome, rules, fiscal_year, lang)))
    steps = list(words)
    file = rules.file
    if facts.exclusions:
        order = file.exclusion_order
        steps.append(
            Step(
                step="exclusion",
                key="exclusion_order",
                source=order.source,
                value=_joined(order.value),
                input=_joined(facts.exclusions),
                outcome=str(outcome.reason),
                note=order.note(lang) if len(facts.exclusions) > 1 else None,
            )
        )
    deduct = file.specific_revenue.deduct
    steps.append(
        Step(
            step="specific_revenue",
            key="specific_revenue.deduct",
            source=deduct.source,
            value=str(deduct.value).lower(),
            input=f"{plain(item.amount)} - {plain(item.specific_revenue)}",
            outcome=plain(outcome.net or Decimal(0)),
        )
    )
    if outcome.status == "eligible":
        rate_key = (
            rules,
            lang,
            item.procurement,
            item.agreement_id,
            outcome.reason,
            facts.joint_failures,
        )
        rate_steps = _MEMO.get(rate_key)
        if rate_steps is None:
            rate_steps = _remember(rate_key, tuple(_rate_steps(item, outcome, rules, lang)))
        steps += rate_steps
    scope = file.rounding.scope
    steps.append(
        Step(
            step="measure",
            key="rounding.scope",
            source=scope.source,
            value=scope.value,
            input=f"{plain(outcome.net or Decimal(0))} × {plain(outcome.rate or Decimal(0))}",
            outcome=plain(outcome.measure or Decimal(0)),
        )
    )
    return steps


def _remember(key: tuple[object, ...], steps: tuple[Step, ...]) -> tuple[Step, ...]:
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = steps
    return steps


def _word_steps(
    item: ExpenseItem, outcome: Outcome, rules: RuleVersion, fiscal_year: int | None, lang: Lang
) -> list[Step]:
    """The steps up to the exclusions: the rules, the technology, the expense kind, the
    standardization target and the first-year rule — what the item's words and fiscal year
    decide."""
    facts = outcome.facts
    assert facts is not None
    file = rules.file
    steps = [
        Step(
            step="rules",
            key="measure.effective_from",
            value=rules.version,
            input=str(fiscal_year),
            outcome=f"{rules.measure} {rules.version} ({rules.path})",
            source=file.rates.standard.source,
        )
    ]
    if fiscal_year is not None and not rules.is_confirmed(fiscal_year):
        steps.append(
            Step(
                step="rules",
                key="measure.confirmed_through",
                value=str(file.measure.confirmed_through),
                input=str(fiscal_year),
                outcome="RULES_UNCONFIRMED_FOR_YEAR",
                note=file.measure.confirmed_through_note(lang),
            )
        )
    kind_index = rules.kind_index(facts.kind)
    technologies = file.technologies.eligible
    steps += [
        Step(
            step="technology",
            key="technologies.eligible",
            source=technologies.source,
            value=_joined(technologies.value),
            input=_technology_input(item.technology, facts.technology.canonical),
            outcome="eligible" if facts.technology.eligible else "not_eligible",
        ),
        Step(
            step="expense_kind",
            key=f"expense_kinds[{kind_index}].eligible",
            source=facts.kind.source,
            value=str(facts.kind.eligible).lower(),
            input=item.expense_kind,
            outcome=f"{facts.kind.id} ({facts.kind.name_ja})",
            note=facts.kind.note(lang),
        ),
    ]
    businesses = file.excluded_businesses
    if businesses is not None:
        steps.append(
            Step(
                step="standardization_target",
                key="excluded_businesses",
                source=businesses.source,
                input=item.business_area or None,
                value=facts.business.matched if facts.business else None,
                outcome=facts.business.business.name if facts.business else "not_a_target",
            )
        )
    first_year = facts.kind.first_year_only
    if first_year is not None and first_year.value:
        later = (
            item.introduced_in is not None
            and fiscal_year is not None
            and (item.introduced_in < fiscal_year)
        )
        steps.append(
            Step(
                step="first_year",
                key=f"expense_kinds[{kind_index}].first_year_only",
                source=first_year.source,
                value="true",
                input=str(item.introduced_in) if item.introduced_in else None,
                outcome="not_first_year"
                if later
                else ("first_year" if item.introduced_in else "INTRODUCTION_YEAR_MISSING"),
                note=first_year.note(lang),
            )
        )
    return steps


def _rate_steps(item: ExpenseItem, outcome: Outcome, rules: RuleVersion, lang: Lang) -> list[Step]:
    file = rules.file
    steps = []
    joint = item.procurement == "joint"
    if joint and file.rates.joint is None:
        steps.append(
            Step(
                step="joint_condition",
                key="rates.joint",
                source=None,
                value=None,
                input=item.agreement_id,
                outcome="JOINT_RATE_NOT_IN_FORCE",
            )
        )
    elif joint and outcome.facts is not None and file.joint_procurement is not None:
        for code in outcome.facts.joint_failures:
            key = RULE_KEYS[code] or "joint_procurement.agreement_required"
            condition = getattr(file.joint_procurement, key.rpartition(".")[2])
            steps.append(
                Step(
                    step="joint_condition",
                    key=key,
                    outcome=str(code),
                    source=condition.source,
                    input=item.agreement_id,
                )
            )
    is_joint = str(outcome.reason) == "JOINT_RATE"
    rate = file.rates.joint if is_joint and file.rates.joint is not None else file.rates.standard
    steps.append(
        Step(
            step="rate",
            key="rates.joint" if is_joint else "rates.standard",
            source=rate.source,
            value=plain(rate.value),
            input=item.procurement,
            outcome=str(outcome.reason),
            note=rate.note(lang),
        )
    )
    return steps


def _technology_input(raw: str, canonical: str) -> str:
    """What was typed, and what it was read as when that differs (``AI-OCR → AI``)."""
    return raw if raw.strip().upper() == canonical else f"{raw} → {canonical}"


def explain_total(
    measure_by_rate: Decimal,
    measure_exact: Decimal,
    measure: Decimal,
    rules: RuleVersion | None,
    adjustment: Adjustment,
    lang: Lang = "ja",
) -> list[Step]:
    """The declaration's sum (step 6), its fiscal-strength adjustment (7) and rounding (8)."""
    steps = [Step(step="sum", outcome=plain(measure_by_rate), input="Σ measure")]
    if rules is None:
        return steps
    file = rules.file
    applies = file.fiscal_strength.applies
    index = (
        index_text(adjustment.fiscal_strength_index)
        if adjustment.fiscal_strength_index is not None
        else None
    )
    if not adjustment.applies:
        steps.append(
            Step(
                step="fiscal_strength",
                key="fiscal_strength.applies",
                source=applies.source,
                value="false",
                input=index,
                outcome=plain(measure_exact),
                note=applies.note(lang),
            )
        )
    elif adjustment.missing is not None:
        steps.append(
            Step(
                step="fiscal_strength",
                key="fiscal_strength.multipliers",
                source=applies.source,
                value=None,
                input=index,
                outcome="FISCAL_STRENGTH_NOT_APPLIED",
                note=t(f"fiscal_strength.missing.{adjustment.missing}", lang),
            )
        )
    else:
        bracket = adjustment.bracket
        assert bracket is not None
        at = file.fiscal_strength.multipliers.index(bracket)
        steps.append(
            Step(
                step="fiscal_strength",
                key=f"fiscal_strength.multipliers[{at}]",
                source=bracket.source,
                value=f"{t('fs.bracket', lang, range=bracket.interval())}: "
                f"× {plain(bracket.value)}",
                input=f"{plain(measure_by_rate)} × {plain(bracket.value)} ({index})",
                outcome=plain(measure_exact),
                note=bracket.note(lang),
            )
        )
    mode = file.rounding.mode
    steps.append(
        Step(
            step="round",
            key="rounding.mode",
            source=mode.source,
            value=f"{mode.value} {plain(file.rounding.unit.value)} ({file.rounding.scope.value})",
            input=plain(measure_exact),
            outcome=plain(measure),
            note=mode.note(lang),
        )
    )
    return steps
