"""``tokko explain FILE``: the path from input to each amount, step by step, with its sources."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from tokko import DeclarationResult, ItemResult, Result, RuleSet, RuleVersion
from tokko.cli import render
from tokko.cli.calc import RowFinder, compute_file, declaration_title
from tokko.cli.common import (
    cite,
    fail,
    print_errors,
    rules_of,
    user_errors,
    version_of,
    yen,
)
from tokko.cli.i18n import code_text, pick, split_message, step_name, t
from tokko.cli.settings import EXIT_ROW_ERRORS, EXIT_USAGE, ExplainFormat, Settings, Unit
from tokko.explanation import Step, outcome_text

_STATUS_STYLE = {"eligible": "ok", "excluded": "warn", "error": "bad"}


def run(
    settings: Settings,
    file: Path,
    *,
    item: str | None,
    unit: Unit,
    sheet: str | None,
    agreements: Path | None,
    output_format: ExplainFormat,
) -> None:
    """Compute a declaration file with its explanations and print them as trees (or JSON)."""
    lang = settings.lang
    with user_errors(lang):
        result, finder = compute_file(file, settings, unit=unit, sheet=sheet,
                                      agreements=agreements, explain=True)
        rules = rules_of(settings)
    only = item.strip() if item is not None else None
    if only is not None:
        known = [i.item_id or "" for d in result.declarations for i in d.items]
        if only not in known:
            raise fail(t("unknown_item", lang, item=only, known=", ".join(known) or "—"), lang,
                       EXIT_USAGE)
    if output_format is ExplainFormat.json:
        typer.echo(result.model_dump_json(indent=2))
        print_errors(result.errors, lang)
    else:
        _trees(result, finder, rules, only, lang)
        print_errors(result.errors, lang, stderr=False)
    if result.errors:
        raise typer.Exit(EXIT_ROW_ERRORS)


def _trees(result: Result, finder: RowFinder, rules: RuleSet, only: str | None,
           lang: str) -> None:
    for declaration in result.declarations:
        if only is not None and all(i.item_id != only for i in declaration.items):
            continue
        root = render.Node((declaration_title(declaration, lang), "title"))
        version: RuleVersion | None = None
        for entry in declaration.items:
            data = finder.take(entry.row, entry.item_id)
            if only is not None and entry.item_id != only:
                continue
            found = version_of(rules, entry.explanation)
            version = version or found
            label = _item_label(entry, str(data.get("description") or ""), lang)
            _item_node(root.add(label), entry, found, lang)
        if only is None:
            total = root.add((t("declaration_total", lang), "title"))
            _steps(total, declaration.explanation, version, lang)
            _reconcile(total, declaration, lang)
        render.tree(root)


def _item_label(entry: ItemResult, description: str, lang: str) -> render.Cell:
    style = _STATUS_STYLE[entry.status]
    pieces: list[tuple[str, str]] = [
        (t("item_title", lang, item=entry.item_id or "—",
           description=f" {description.strip()}" if description.strip() else "",
           status=t(f"status.{entry.status}", lang)), style),
    ]
    if entry.measure is not None:
        pieces.append((f"  {t('measure', lang)} {yen(entry.measure)}", "amount"))
    return pieces


def _item_node(node: render.Node, entry: ItemResult, version: RuleVersion | None,
               lang: str) -> None:
    _steps(node, entry.explanation, version, lang)
    for code in entry.reasons:
        node.add([(f"{t('reason', lang)}: ", "title"), (code_text(code, lang), ""),
                  (f"  {code}", "code")])
    for code in entry.warnings:
        node.add([(f"{t('warnings', lang)}: ", "warn"), (code_text(code, lang), "warn"),
                  (f"  {code}", "code")])


def _outcome(step: Step, lang: str) -> str:
    outcome = step.outcome or ""
    text = code_text(outcome, lang)
    if text != outcome:
        return f"{text} ({outcome})"
    return outcome_text(outcome, lang)


def _steps(node: render.Node, steps: Sequence[Step], version: RuleVersion | None,
           lang: str) -> None:
    for step in steps:
        label: list[tuple[str, str]] = [(step_name(step.step, lang), "title")]
        if step.key:
            label.append((f"  [{step.key}]", "key"))
        child = node.add(label)
        if step.step == "validate":
            child.add((split_message(step.note or "", step.key, step.outcome or "", lang), "bad"))
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
            child.add((f"{t('note', lang)}: {pick(step.note, lang)}", "dim"))


def _reconcile(node: render.Node, declaration: DeclarationResult, lang: str) -> None:
    totals = declaration.totals
    mark = ("✓", "ok") if totals.reconciled else ("✗", "bad")
    node.add([
        (f"{t('reconciliation', lang)}: ", "title"),
        (f"{yen(totals.amount)} = {yen(totals.net)} + "
         f"{yen(totals.excluded)} + {yen(totals.specific_revenue)} ", ""),
        mark,
    ])
