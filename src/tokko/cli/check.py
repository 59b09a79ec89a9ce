"""``tokko check``: one expense from flags — eligible or not, the rate, the amount, and why."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import typer

from tokko import RuleVersion, __version__
from tokko.calculation import RowOutcome, check_row, rules_ref
from tokko.cli import render
from tokko.cli.common import (
    cite,
    deciding_step,
    rules_of,
    user_errors,
    version_of,
    yen,
)
from tokko.cli.i18n import code_text, heading, pick, split_message, t
from tokko.cli.settings import EXIT_ROW_ERRORS, CheckFormat, Settings, Unit
from tokko.codes import CODES
from tokko.explanation import Step, explain_item, outcome_text, problem_message
from tokko.money import plain
from tokko.reading import Problem

_PARTIES = re.compile(r"[;,、，；\s]+")
_STATUS_STYLE = {"eligible": "ok", "excluded": "warn", "error": "bad"}


def run(
    settings: Settings,
    *,
    technology: str,
    expense_kind: str,
    amount: str,
    fiscal_year: str,
    business_area: str,
    specific_revenue: str,
    joint: bool,
    agreement_parties: str | None,
    agreement_concluded_on: str | None,
    entity: str | None,
    unit: Unit,
    output_format: CheckFormat,
) -> None:
    """Check one expense with :func:`tokko.calculation.check_row` (what ``tokko.check_item``
    computes) and print the answer; exit 1 if invalid. Only ``--format json`` builds the
    pydantic models of the result: the table needs none."""
    lang = settings.lang
    parties = [p for p in _PARTIES.split(agreement_parties or "") if p]
    with user_errors(lang):
        rules = rules_of(settings)
        done = check_row(
            technology=technology, expense_kind=expense_kind, amount=amount,
            fiscal_year=fiscal_year, business_area=business_area,
            specific_revenue=specific_revenue, procurement="joint" if joint else "single",
            agreement_parties=parties, agreement_concluded_on=agreement_concluded_on,
            entity_code=entity, rules=rules, unit=unit.factor,
        )
    prepared = done.prepared
    steps = explain_item(prepared.item, done.outcome, prepared.rules, prepared.fiscal_year)
    version = version_of(rules, steps)
    problems = done.outcome.problems
    if output_format is CheckFormat.json:
        typer.echo(_json(done, version))
    else:
        render.fields(_answer(done, steps, version, lang))
    if problems:
        if output_format is CheckFormat.json:
            render.errors([_message(p, lang) for p in problems], heading=t("error_prefix", lang))
        raise typer.Exit(EXIT_ROW_ERRORS)


def _message(problem: Problem, lang: str) -> str:
    return split_message(problem_message(problem), problem.column, problem.code, lang)


def _json(done: RowOutcome, version: RuleVersion | None) -> str:
    document = {
        "tokko_version": __version__,
        "rules": rules_ref(version).model_dump(mode="json") if version else None,
        "item": done.item_result().model_dump(mode="json"),
        "errors": [e.model_dump(mode="json") for e in done.errors()],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _yen(value: Decimal | None, lang: str) -> str:
    return "—" if value is None else f"{yen(value)} {t('yen', lang)}"


def _answer(
    done: RowOutcome, steps: list[Step], version: RuleVersion | None, lang: str
) -> list[tuple[str, render.Cell]]:
    """The answer as label/value pairs: result, amounts, reasons, warnings, rule and source."""
    outcome = done.outcome
    reasons = [str(outcome.reason)] if outcome.reason else []
    pairs: list[tuple[str, render.Cell]] = [
        (t("result", lang), (t(f"status.{outcome.status}", lang), _STATUS_STYLE[outcome.status])),
    ]
    if outcome.status != "error":
        pairs += [
            (t("rate", lang), plain(outcome.rate) if outcome.rate is not None else "—"),
            (heading("amount", lang), _yen(outcome.amount, lang)),
            (heading("specific_revenue", lang), _yen(outcome.deducted, lang)),
            (t("net", lang), _yen(outcome.net, lang)),
            (t("measure", lang), [(_yen(outcome.measure, lang), "amount"),
                                  (" " + t("measure_item_note", lang), "dim")]),
        ]
    pairs += [(t("reason", lang), [(code_text(code, lang), ""), (f"  {code}", "code")])
              for code in reasons]
    for code in map(str, outcome.warnings):
        rule_key = CODES[code].rule_key if code in CODES else None
        pairs.append((t("warnings", lang), [(code_text(code, lang), "warn"), (f"  {code}", "code"),
                                            (f"  [{rule_key}]" if rule_key else "", "key")]))
    pairs += [(t("errors", lang), (_message(p, lang), "bad")) for p in outcome.problems]
    if version is None:
        return pairs
    pairs.append((t("rule_file", lang), [
        (f"{version.measure} {version.version}", "title"),
        (f" — {version.path}  sha256 {version.sha256[:12]}", "dim"),
    ]))
    step = deciding_step(reasons, steps)
    if step is not None:
        pairs.append((t("basis", lang), [(f"{step.key}: ", "key"),
                                         (cite(version, step.source, lang), "")]))
        if step.step != "rate" and step.outcome:
            shown = outcome_text(step.outcome, lang)
            if step.value and step.step == "standardization_target":
                shown += t("matched", lang, term=step.value)
            pairs.append((t("outcome", lang), shown))
        if step.note:
            pairs.append((t("note", lang), (pick(step.note, lang), "dim")))
    return pairs
