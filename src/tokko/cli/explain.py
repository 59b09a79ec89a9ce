"""``tokko explain FILE``: the path from input to each amount, step by step, with its sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.calc import compute_file, declaration_title, rows_by_declaration
from tokko.cli.common import (
    cite,
    code_text,
    fail,
    print_errors,
    user_errors,
    version_of,
    yen,
)
from tokko.cli.options import (
    EXIT_ROW_ERRORS,
    EXIT_USAGE,
    AgreementsOption,
    ExplainFormat,
    FileArgument,
    IndicesOption,
    LangOption,
    MeasureOption,
    RulesOption,
    SheetOption,
    UnitOption,
    both,
    settings,
)
from tokko.engine.calculate import Done
from tokko.messages import Lang, has, t
from tokko.model.result import DeclarationResult, ItemResult, Step
from tokko.rules.ruleset import RuleSet, RuleVersion

_STATUS_STYLE = {"eligible": "ok", "excluded": "warn", "error": "bad"}


@app.command("explain", cls=Command, help=t("cmd.explain", "ja") + "\n\n" + t("cmd.explain", "en"))
def explain_command(
    ctx: typer.Context,
    file: FileArgument,
    *,
    item: Annotated[
        str | None, typer.Option("--item", show_default=False, help=both("help.item"))
    ] = None,
    agreements: AgreementsOption = None,
    fiscal_strength: IndicesOption = None,
    sheet: SheetOption = None,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", help=both("help.format"))
    ] = ExplainFormat.tree,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    with user_errors(run.lang):
        computed = compute_file(
            file,
            run,
            sheet=sheet,
            agreements=agreements,
            indices_file=fiscal_strength,
            explain=True,
        )
    ruleset = computed.rules
    result = computed.result
    only = item.strip() if item is not None else None
    if only is not None:
        known = [i.item_id or "" for d in result.declarations for i in d.items]
        if only not in known:
            raise fail(
                t("unknown_item", run.lang, item=only, known=", ".join(known) or "—"),
                run.lang,
                EXIT_USAGE,
            )
    if output_format is ExplainFormat.json:
        typer.echo(result.model_dump_json(indent=2))
        print_errors(result.errors, run.lang)
    else:
        groups = rows_by_declaration(computed)
        for declaration in result.declarations:
            rows = groups.get((declaration.entity_code or "", declaration.fiscal_year or 0), [])
            _tree(declaration, rows, ruleset, only, run.lang)
        print_errors(result.errors, run.lang, stderr=False)
    if result.errors:
        raise typer.Exit(EXIT_ROW_ERRORS)


def _tree(
    declaration: DeclarationResult, rows: list[Done], rules: RuleSet, only: str | None, lang: Lang
) -> None:
    if only is not None and all(i.item_id != only for i in declaration.items):
        return
    root = render.Node((declaration_title(declaration, lang), "title"))
    version: RuleVersion | None = None
    for entry, done in zip(declaration.items, rows, strict=False):
        if only is not None and entry.item_id != only:
            continue
        found = version_of(rules, entry.explanation)
        version = version or found
        label = _item_label(entry, str(done.row.data.get("description") or ""), lang)
        _item_node(root.add(label), entry, found, lang)
    if only is None:
        total = root.add((t("declaration_total", lang), "title"))
        _steps(total, declaration.explanation, version, lang)
        _reconcile(total, declaration, lang)
    render.tree(root)


def _item_label(entry: ItemResult, description: str, lang: Lang) -> render.Cell:
    pieces: list[tuple[str, str]] = [
        (
            t(
                "item_title",
                lang,
                item=entry.item_id or "—",
                description=f" {description.strip()}" if description.strip() else "",
                status=t(f"status.{entry.status}", lang),
            ),
            _STATUS_STYLE[entry.status],
        ),
    ]
    if entry.measure is not None:
        pieces.append((f"  {t('measure', lang)} {yen(entry.measure)}", "amount"))
    return pieces


def _item_node(
    node: render.Node, entry: ItemResult, version: RuleVersion | None, lang: Lang
) -> None:
    _steps(node, entry.explanation, version, lang)
    for code in entry.reasons:
        node.add(
            [
                (f"{t('reason', lang)}: ", "title"),
                (code_text(code, lang), ""),
                (f"  {code}", "code"),
            ]
        )
    for code in entry.warnings:
        node.add(
            [
                (f"{t('warnings', lang)}: ", "warn"),
                (code_text(code, lang), "warn"),
                (f"  {code}", "code"),
            ]
        )


def _outcome(step: Step, lang: Lang) -> str:
    outcome = step.outcome or ""
    if has(f"code.{outcome}"):
        return f"{code_text(outcome, lang)} ({outcome})"
    return t(f"outcome.{outcome}", lang) if has(f"outcome.{outcome}") else outcome


def _steps(
    node: render.Node, steps: Sequence[Step], version: RuleVersion | None, lang: Lang
) -> None:
    for step in steps:
        label: list[tuple[str, str]] = [
            (t(f"step.{step.step}", lang) if has(f"step.{step.step}") else step.step, "title")
        ]
        if step.key:
            label.append((f"  [{step.key}]", "key"))
        child = node.add(label)
        if step.step == "validate":
            child.add((step.note or "", "bad"))
            if step.input is not None:
                child.add(f"{t('input', lang)}: {step.input}")
            continue
        if step.value is not None:
            child.add(f"{t('value', lang)}: {step.value}")
        if step.input is not None:
            child.add(f"{t('input', lang)}: {step.input}")
        if step.outcome is not None:
            child.add([(f"{t('outcome', lang)}: ", ""), (_outcome(step, lang), "amount")])
        if step.source and version is not None:
            child.add((f"{t('source', lang)}: {cite(version, step.source, lang)}", "dim"))
        if step.note:
            child.add((f"{t('note', lang)}: {step.note}", "dim"))


def _reconcile(node: render.Node, declaration: DeclarationResult, lang: Lang) -> None:
    totals = declaration.totals
    mark = ("✓", "ok") if totals.reconciled else ("✗", "bad")
    node.add(
        [
            (f"{t('reconciliation', lang)}: ", "title"),
            (
                f"{yen(totals.amount)} = {yen(totals.net)} + "
                f"{yen(totals.excluded)} + {yen(totals.specific_revenue)} ",
                "",
            ),
            mark,
        ]
    )
