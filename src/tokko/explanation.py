"""Explanations: the path from an input row to its amounts, each step citing its rule key.

Built on demand from an :class:`~tokko.engine.Outcome` and the rule version, never stored by
the engine, so a batch of a million rows pays nothing for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tokko.codes import CODES
from tokko.columns import label
from tokko.engine import Outcome
from tokko.money import plain
from tokko.reading import ItemFields, Problem
from tokko.ruledata import Sourced
from tokko.ruleset import RuleVersion


@dataclass(frozen=True, slots=True)
class Step:
    """One step from input to amount: what the rule key said and what came out of it."""

    step: str
    key: str | None = None
    source: str | None = None
    value: str | None = None
    input: str | None = None
    outcome: str | None = None
    note: str | None = None

#: Words a step's ``outcome`` may be, besides codes, names and numbers: (日本語, English).
OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    "eligible": ("対象", "eligible"),
    "not_eligible": ("対象外", "not eligible"),
    "not_a_target": ("標準化対象事務ではない", "not a standardization target"),
}


def outcome_text(outcome: str, lang: str = "ja") -> str:
    """A step outcome in words: ``"not_eligible"`` → ``"対象外"``; anything else as it is."""
    words = OUTCOME_WORDS.get(outcome)
    if words is None:
        return outcome
    return words[0] if lang == "ja" else words[1]


def problem_message(problem: Problem) -> str:
    """One bad cell in both languages: ``事業費（amount）: … / amount: …``."""
    info = CODES[problem.code]
    name = label(problem.column, "ja")
    where = f"{name}（{problem.column}）" if name != problem.column else name
    ja = f"{where}: {info.ja}。{problem.detail_ja}"
    en = f"{problem.column}: {info.en}: {problem.detail_en}"
    return f"{ja} / {en}"


def _joined(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def explain_item(
    item: ItemFields | None, outcome: Outcome, rules: RuleVersion | None, fiscal_year: int | None
) -> list[Step]:
    """The steps of SPEC §4 for one item, in order, each with its rule key and source."""
    if outcome.status == "error" or item is None or rules is None or outcome.facts is None:
        return [
            Step(step="validate", input=str(p.value) if p.value is not None else None,
                 outcome=p.code, key=p.column, note=problem_message(p))
            for p in outcome.problems
        ]
    facts = outcome.facts
    data = rules.data
    steps = [
        Step(step="rules", key="measure.effective_from", value=rules.version,
             input=str(fiscal_year), outcome=f"{rules.measure} {rules.version} ({rules.path})",
             source=data.rate_standard.source),
    ]
    if fiscal_year is not None and not rules.is_confirmed(fiscal_year):
        steps.append(Step(step="rules", key="measure.confirmed_through",
                          value=str(data.confirmed_through), input=str(fiscal_year),
                          outcome="RULES_UNCONFIRMED_FOR_YEAR",
                          note=data.confirmed_through_note))
    kind_index = data.expense_kinds.index(facts.kind)
    steps += [
        Step(step="technology", key=data.technologies.key, source=data.technologies.source,
             value=_joined(data.technologies.value),
             input=_technology_input(item.technology, facts.technology.canonical),
             outcome="eligible" if facts.technology.eligible else "not_eligible"),
        Step(step="expense_kind", key=f"expense_kinds[{kind_index}].eligible",
             source=facts.kind.source, value=str(facts.kind.eligible).lower(),
             input=item.expense_kind, outcome=f"{facts.kind.id} ({facts.kind.name_ja})",
             note=facts.kind.note),
        Step(step="standardization_target", key=data.excluded_businesses.key,
             source=data.excluded_businesses.source, input=item.business_area or None,
             value=facts.business.matched if facts.business else None,
             outcome=facts.business.business.name if facts.business else "not_a_target"),
    ]
    if facts.exclusions:
        order = data.exclusion_order
        steps.append(Step(step="exclusion", key=order.key, source=order.source,
                          value=_joined(order.value), input=_joined(facts.exclusions),
                          outcome=str(outcome.reason),
                          note=order.note if len(facts.exclusions) > 1 else None))
    deduct = data.deduct_specific_revenue
    steps.append(Step(step="specific_revenue", key=deduct.key, source=deduct.source,
                      value=str(deduct.value).lower(),
                      input=f"{plain(item.amount)} - {plain(item.specific_revenue)}",
                      outcome=plain(outcome.net or Decimal(0))))
    if outcome.status == "eligible":
        if item.procurement == "joint":
            for code in facts.joint_failures:
                key = CODES[code].rule_key or "joint_procurement"
                steps.append(Step(step="joint_condition", key=key, outcome=str(code),
                                  source=data.agreement_required.source,
                                  input=item.agreement_id))
        rate: Sourced[Decimal] = data.rate(str(outcome.reason) == "JOINT_RATE")
        steps.append(Step(step="rate", key=rate.key, source=rate.source,
                          value=plain(rate.value), input=item.procurement,
                          outcome=str(outcome.reason), note=rate.note))
    scope = data.rounding_scope
    steps.append(Step(step="measure", key=scope.key, source=scope.source, value=scope.value,
                      input=f"{plain(outcome.net or Decimal(0))} × {plain(outcome.rate or Decimal(0))}",
                      outcome=plain(outcome.measure or Decimal(0))))
    return steps


def _technology_input(raw: str, canonical: str) -> str:
    """What was typed, and what it was read as when that differs (``AI-OCR → AI``)."""
    return raw if raw.strip().upper() == canonical else f"{raw} → {canonical}"


def explain_total(measure_exact: Decimal, measure: Decimal, rules: RuleVersion | None) -> list[Step]:
    """The declaration's sum and its rounding (rounding.unit, rounding.mode, rounding.scope)."""
    steps = [Step(step="sum", outcome=plain(measure_exact), input="Σ measure")]
    if rules is not None:
        data = rules.data
        mode = data.rounding_mode
        steps.append(Step(step="round", key=mode.key, source=mode.source,
                          value=f"{mode.value} {plain(data.rounding_unit.value)} "
                                f"({data.rounding_scope.value})",
                          input=plain(measure_exact), outcome=plain(measure), note=mode.note))
    return steps
