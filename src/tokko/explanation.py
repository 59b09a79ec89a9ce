"""Explanations: the path from an input row to its amounts, each step citing its rule key.

Built on demand from an :class:`~tokko.engine.Outcome` and the rule version, never stored by
the engine, so a batch of a million rows pays nothing for them.
"""

from __future__ import annotations

from decimal import Decimal

from tokko.codes import CODES
from tokko.columns import label
from tokko.declaration import ItemFields, Problem
from tokko.engine import Outcome
from tokko.money import plain
from tokko.result import Step
from tokko.ruleset import RuleVersion

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
    file = rules.file
    steps = [
        Step(step="rules", key="measure.effective_from", value=rules.version,
             input=str(fiscal_year), outcome=f"{rules.measure} {rules.version} ({rules.path})",
             source=file.rates.standard.source),
    ]
    if fiscal_year is not None and not rules.is_confirmed(fiscal_year):
        steps.append(Step(step="rules", key="measure.confirmed_through",
                          value=str(file.measure.confirmed_through), input=str(fiscal_year),
                          outcome="RULES_UNCONFIRMED_FOR_YEAR",
                          note=file.measure.confirmed_through_note))
    kind_index = file.expense_kinds.index(facts.kind)
    steps += [
        Step(step="technology", key="technologies.eligible",
             source=file.technologies.eligible.source,
             value=_joined(file.technologies.eligible.value),
             input=_technology_input(item.technology, facts.technology.canonical),
             outcome="eligible" if facts.technology.eligible else "not_eligible"),
        Step(step="expense_kind", key=f"expense_kinds[{kind_index}].eligible",
             source=facts.kind.source, value=str(facts.kind.eligible).lower(),
             input=item.expense_kind, outcome=f"{facts.kind.id} ({facts.kind.name_ja})",
             note=facts.kind.note),
        Step(step="standardization_target", key="excluded_businesses",
             source=file.excluded_businesses.source, input=item.business_area or None,
             value=facts.business.matched if facts.business else None,
             outcome=facts.business.business.name if facts.business else "not_a_target"),
    ]
    if facts.exclusions:
        steps.append(Step(step="exclusion", key="exclusion_order",
                          source=file.exclusion_order.source,
                          value=_joined(file.exclusion_order.value),
                          input=_joined(facts.exclusions), outcome=str(outcome.reason),
                          note=file.exclusion_order.note if len(facts.exclusions) > 1 else None))
    steps.append(Step(step="specific_revenue", key="specific_revenue.deduct",
                      source=file.specific_revenue.deduct.source,
                      value=str(file.specific_revenue.deduct.value).lower(),
                      input=f"{plain(item.amount)} - {plain(item.specific_revenue)}",
                      outcome=plain(outcome.net or Decimal(0))))
    if outcome.status == "eligible":
        if item.procurement == "joint":
            conditions = file.joint_procurement
            for code in facts.joint_failures:
                key = CODES[code].rule_key or "joint_procurement"
                steps.append(Step(step="joint_condition", key=key, outcome=str(code),
                                  source=conditions.agreement_required.source,
                                  input=item.agreement_id))
        sourced = file.rates.joint if str(outcome.reason) == "JOINT_RATE" else file.rates.standard
        rate_key = "rates.joint" if sourced is file.rates.joint else "rates.standard"
        steps.append(Step(step="rate", key=rate_key, source=sourced.source,
                          value=plain(sourced.value), input=item.procurement,
                          outcome=str(outcome.reason), note=sourced.note))
    steps.append(Step(step="measure", key="rounding.scope", source=file.rounding.scope.source,
                      value=file.rounding.scope.value,
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
        rounding = rules.file.rounding
        steps.append(Step(step="round", key="rounding.mode", source=rounding.mode.source,
                          value=f"{rounding.mode.value} {plain(rounding.unit.value)} "
                                f"({rounding.scope.value})",
                          input=plain(measure_exact), outcome=plain(measure),
                          note=rounding.mode.note))
    return steps
