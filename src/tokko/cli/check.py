"""``tokko check``: one expense from flags — eligible or not, the rate, the amount, and why.

The flags of the expense's fields are derived from the fields' declaration
(:mod:`tokko.model.declaration`: each field whose spec names a flag), so a new field of the
declaration is a new flag here without a line of this module.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import (
    cite,
    code_text,
    heading,
    rules_of,
    user_errors,
    yen,
)
from tokko.cli.options import (
    EXIT_ROW_ERRORS,
    CheckFormat,
    LangOption,
    MeasureOption,
    RulesOption,
    UnitOption,
    both,
    settings,
)
from tokko.engine.calculate import Checked, check
from tokko.engine.explain import explain_item
from tokko.errors import UsageError
from tokko.messages import Lang, has, t
from tokko.model.codes import RULE_KEYS, code_of
from tokko.model.declaration import ROW_FIELDS
from tokko.model.fields import Field
from tokko.model.money import plain
from tokko.model.result import Step
from tokko.rules.ruleset import RuleVersion

_PARTIES = re.compile(r"[;,、，；\s]+")
_STATUS_STYLE = {"eligible": "ok", "excluded": "warn", "error": "bad"}
#: The fields ``tokko check`` takes a flag for, in the order of SPEC §3's table.
FLAGGED: tuple[Field, ...] = tuple(f for f in ROW_FIELDS if f.spec.flag)


def _field_parameter(field: Field) -> inspect.Parameter:
    assert field.spec.flag is not None
    flags = [field.spec.flag, *([field.spec.short] if field.spec.short else [])]
    return inspect.Parameter(
        field.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None, typer.Option(*flags, show_default=False, help=both(f"help.{field.name}"))
        ],
    )


def _with_field_flags(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` one option per flagged field, before its own options."""
    own = inspect.signature(command, eval_str=True).parameters.values()
    context = [p for p in own if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keywords = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [*context, *(_field_parameter(f) for f in FLAGGED), *keywords]
    )
    return command


@app.command("check", cls=Command, help=t("cmd.check", "ja") + "\n\n" + t("cmd.check", "en"))
@_with_field_flags
def check_command(
    ctx: typer.Context,
    *,
    joint: Annotated[bool, typer.Option("--joint/--single", help=both("help.joint"))] = False,
    agreement_parties: Annotated[
        str | None,
        typer.Option(
            "--agreement-parties", "-p", show_default=False, help=both("help.agreement_parties")
        ),
    ] = None,
    agreement_concluded_on: Annotated[
        str | None,
        typer.Option(
            "--agreement-concluded-on", show_default=False, help=both("help.concluded_on")
        ),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help=both("help.format"))
    ] = CheckFormat.table,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
    **fields: str | None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    parties = [p for p in _PARTIES.split(agreement_parties or "") if p]
    with user_errors(run.lang):
        if parties and not joint:
            raise UsageError("usage.parties_without_joint")
        if agreement_concluded_on and not joint:
            raise UsageError("usage.concluded_without_joint")
        ruleset = rules_of(run)
        checked = check(
            technology=fields.get("technology"),
            expense_kind=fields.get("expense_kind"),
            amount=fields.get("amount"),
            fiscal_year=fields.get("fiscal_year"),
            business_area=fields.get("business_area"),
            specific_revenue=fields.get("specific_revenue"),
            procurement="joint" if joint else "single",
            agreement_parties=parties,
            agreement_concluded_on=agreement_concluded_on,
            entity_code=fields.get("entity_code"),
            introduced_in=fields.get("introduced_in"),
            fiscal_strength_index=fields.get("fiscal_strength_index"),
            rules=ruleset,
            unit=run.unit.factor,
        )
    done = checked.done
    prepared = done.prepared
    if output_format is CheckFormat.json:
        typer.echo(checked.answer(run.lang).model_dump_json(indent=2))
    else:
        steps = explain_item(
            prepared.item, done.outcome, prepared.rules, prepared.fiscal_year, run.lang
        )
        render.fields(_answer(checked, steps, prepared.rules, run.lang, run.unit.factor))
    if done.outcome.problems:
        if output_format is CheckFormat.json:
            render.errors(
                [p.message(run.lang) for p in done.outcome.problems],
                heading=t("error_prefix", run.lang),
            )
        raise typer.Exit(EXIT_ROW_ERRORS)


def _yen(value: Decimal | None, lang: Lang) -> str:
    return "—" if value is None else f"{yen(value)} {t('yen', lang)}"


def _answer(
    checked: Checked, steps: list[Step], version: RuleVersion | None, lang: Lang, unit: int
) -> list[tuple[str, render.Cell]]:
    """The answer as label/value pairs: result, amounts, reasons, warnings, rule and source."""
    outcome = checked.done.outcome
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
            (
                t("measure", lang),
                [
                    (_yen(outcome.measure, lang), "amount"),
                    (" " + t("measure_item_note", lang), "dim"),
                ],
            ),
        ]
        pairs += _adjustment(checked, lang)
    pairs += [
        (t("reason", lang), [(code_text(code, lang), ""), (f"  {code}", "code")])
        for code in reasons
    ]
    for code in map(str, outcome.warnings):
        rule_key = RULE_KEYS.get(code_of(code)) if has(f"code.{code}") else None
        pairs.append(
            (
                t("warnings", lang),
                [
                    (code_text(code, lang), "warn"),
                    (f"  {code}", "code"),
                    (f"  [{rule_key}]" if rule_key else "", "key"),
                ],
            )
        )
    pairs += [(t("errors", lang), (p.message(lang), "bad")) for p in outcome.problems]
    if outcome.amount is not None and unit == 1 and 0 < outcome.amount < 1000:
        pairs.append((t("note", lang), (t("hint.small_amount", lang), "warn")))
    if version is None:
        return pairs
    pairs.append(
        (
            t("rule_file", lang),
            [
                (f"{version.measure} {version.version}", "title"),
                (f" — {version.path}  sha256 {version.sha256[:12]}", "dim"),
            ],
        )
    )
    step = _deciding_step(reasons, steps)
    if step is not None:
        pairs.append(
            (t("basis", lang), [(f"{step.key}: ", "key"), (cite(version, step.source, lang), "")])
        )
        if step.step != "rate" and step.outcome:
            shown = _outcome_words(step.outcome, lang)
            if step.value and step.step == "standardization_target":
                shown += t("matched", lang, term=step.value)
            pairs.append((t("outcome", lang), shown))
        if step.note:
            pairs.append((t("note", lang), (step.note, "dim")))
    return pairs


def _adjustment(checked: Checked, lang: Lang) -> list[tuple[str, render.Cell]]:
    """The fiscal-strength adjustment of this one expense, when the rules adjust."""
    adjustment = checked.adjustment
    outcome = checked.done.outcome
    if not adjustment.applies or outcome.measure is None:
        return []
    if adjustment.missing is not None:
        return [
            (
                t("step.fiscal_strength", lang),
                (t(f"fiscal_strength.missing.{adjustment.missing}", lang), "warn"),
            )
        ]
    multiplier = adjustment.multiplier
    assert multiplier is not None
    return [
        (
            t("step.fiscal_strength", lang),
            f"× {plain(multiplier)} = {_yen(outcome.measure * multiplier, lang)}",
        )
    ]


def _outcome_words(outcome: str, lang: Lang) -> str:
    return t(f"outcome.{outcome}", lang) if has(f"outcome.{outcome}") else outcome


def _deciding_step(reasons: list[str], steps: list[Step]) -> Step | None:
    """The step whose rule key decided the item's reason (the rate, or the exclusion)."""
    if not reasons:
        return None
    rule_key = RULE_KEYS.get(code_of(reasons[0])) or ""
    return next(
        (s for s in steps if rule_key and re.sub(r"\[\d+\]", "", s.key or "").startswith(rule_key)),
        None,
    )
