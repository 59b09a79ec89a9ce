"""``tokko check``: one expense from flags — eligible or not, the rate, the amount, and why."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import typer

from tokko import ItemResult, RuleVersion, __version__
from tokko.calculation import check, rules_ref
from tokko.cli import render
from tokko.cli.common import (
    cite,
    deciding_step,
    error_message,
    rules_of,
    user_errors,
    version_of,
    yen,
)
from tokko.cli.i18n import code_text, heading, pick, t
from tokko.cli.settings import EXIT_ROW_ERRORS, CheckFormat, Settings, Unit
from tokko.codes import CODES
from tokko.explanation import outcome_text
from tokko.money import plain
from tokko.result import RowError

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
    """Check one expense with :func:`tokko.calculation.check` (``tokko.check_item`` with the
    messages) and print the answer; exit 1 if invalid."""
    lang = settings.lang
    parties = [p for p in _PARTIES.split(agreement_parties or "") if p]
    with user_errors(lang):
        rules = rules_of(settings)
        item, problems = check(
            technology=technology, expense_kind=expense_kind, amount=amount,
            fiscal_year=fiscal_year, business_area=business_area,
            specific_revenue=specific_revenue, procurement="joint" if joint else "single",
            agreement_parties=parties, agreement_concluded_on=agreement_concluded_on,
            entity_code=entity, rules=rules, unit=unit.factor,
        )
    version = version_of(rules, item.explanation)
    if output_format is CheckFormat.json:
        typer.echo(_json(item, problems, version))
    else:
        render.fields(_answer(item, problems, version, lang))
    if problems:
        if output_format is CheckFormat.json:
            render.errors([error_message(p, lang) for p in problems],
                          heading=t("error_prefix", lang))
        raise typer.Exit(EXIT_ROW_ERRORS)


def _json(item: ItemResult, problems: list[RowError], version: RuleVersion | None) -> str:
    document = {
        "tokko_version": __version__,
        "rules": rules_ref(version).model_dump(mode="json") if version else None,
        "item": item.model_dump(mode="json"),
        "errors": [p.model_dump(mode="json") for p in problems],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _yen(value: Decimal | None, lang: str) -> str:
    return "—" if value is None else f"{yen(value)} {t('yen', lang)}"


def _answer(
    item: ItemResult, problems: list[RowError], version: RuleVersion | None, lang: str
) -> list[tuple[str, render.Cell]]:
    """The answer as label/value pairs: result, amounts, reasons, warnings, rule and source."""
    pairs: list[tuple[str, render.Cell]] = [
        (t("result", lang), (t(f"status.{item.status}", lang), _STATUS_STYLE[item.status])),
    ]
    if item.status != "error":
        pairs += [
            (t("rate", lang), plain(item.rate) if item.rate is not None else "—"),
            (heading("amount", lang), _yen(item.amount, lang)),
            (heading("specific_revenue", lang), _yen(item.specific_revenue, lang)),
            (t("net", lang), _yen(item.net, lang)),
            (t("measure", lang), [(_yen(item.measure, lang), "amount"),
                                  (" " + t("measure_item_note", lang), "dim")]),
        ]
    pairs += [(t("reason", lang), [(code_text(code, lang), ""), (f"  {code}", "code")])
              for code in item.reasons]
    for code in item.warnings:
        rule_key = CODES[code].rule_key if code in CODES else None
        pairs.append((t("warnings", lang), [(code_text(code, lang), "warn"), (f"  {code}", "code"),
                                            (f"  [{rule_key}]" if rule_key else "", "key")]))
    pairs += [(t("errors", lang), (error_message(p, lang), "bad")) for p in problems]
    if version is None:
        return pairs
    pairs.append((t("rule_file", lang), [
        (f"{version.measure} {version.version}", "title"),
        (f" — {version.path}  sha256 {version.sha256[:12]}", "dim"),
    ]))
    step = deciding_step(item.reasons, item.explanation)
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
