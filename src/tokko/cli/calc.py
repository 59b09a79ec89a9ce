"""``tokko calc FILE``: one declaration file as an itemized table with totals, or JSON, CSV, XLSX.

Also how ``calc`` and ``explain`` read and compute a declaration file (:func:`compute_file`).
"""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import IO, Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import code_text, heading, print_errors, rules_of, user_errors, yen
from tokko.cli.options import (
    EXIT_ROW_ERRORS,
    AgreementsOption,
    CalcFormat,
    Encoding,
    EncodingOption,
    FileArgument,
    IgnoreOption,
    IndicesOption,
    LangOption,
    MeasureOption,
    OutOption,
    RulesOption,
    Run,
    SheetOption,
    UnitOption,
    both,
    settings,
)
from tokko.engine.calculate import Done
from tokko.engine.totals import adjust
from tokko.errors import UsageError
from tokko.io.computed import ComputedFile, write_results_csv, write_results_xlsx
from tokko.io.computed import compute_file as computed_file
from tokko.io.paths import check_outputs
from tokko.io.writers import write_text
from tokko.messages import Lang, aside, t
from tokko.model.fiscal_strength import index_text
from tokko.model.fiscal_year import fiscal_year_label
from tokko.model.localgov import lookup
from tokko.model.money import plain
from tokko.model.result import DeclarationResult
from tokko.rules.ruleset import RuleSet

#: How many items the table shows on a screen before it says how to get them all.
SHOWN_ITEMS = 100
SHOWN_ERRORS = 50


@app.command("calc", cls=Command, help=t("cmd.calc", "ja") + "\n\n" + t("cmd.calc", "en"))
def calc_command(
    ctx: typer.Context,
    file: FileArgument,
    *,
    output_format: Annotated[
        CalcFormat, typer.Option("--format", help=both("help.format"))
    ] = CalcFormat.table,
    out: OutOption = None,
    agreements: AgreementsOption = None,
    fiscal_strength: IndicesOption = None,
    fiscal_strength_index: Annotated[
        str | None,
        typer.Option(
            "--fiscal-strength-index", show_default=False, help=both("help.fiscal_strength_index")
        ),
    ] = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = Encoding.utf8,
    ignore_column: IgnoreOption = None,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    with user_errors(run.lang):
        if output_format is CalcFormat.xlsx and out is None:
            raise UsageError("usage.xlsx_needs_out")
        check_outputs([file, agreements, fiscal_strength], [out])
        computed = compute_file(
            file,
            run,
            sheet=sheet,
            agreements=agreements,
            indices_file=fiscal_strength,
            index=fiscal_strength_index,
            ignored=ignore_column or (),
            explain=False,
        )
        result = computed.result
        if output_format is CalcFormat.json:
            write_text(out, result.model_dump_json(indent=2) + "\n", sys.stdout)
        elif output_format is CalcFormat.csv:
            escaped = write_results_csv(computed, out, encoding, sys.stdout)
            if escaped:
                render.line((t("output.escaped", run.lang, n=f"{escaped:,}"), "warn"), stderr=True)
        elif output_format is CalcFormat.xlsx:
            assert out is not None
            write_results_xlsx(computed, out, run.lang)
        elif out is None:
            _report(computed, None, run.lang)
        else:
            report = io.StringIO()
            _report(computed, report, run.lang)
            write_text(out, report.getvalue(), sys.stdout)
    language = run.lang
    if out is not None:
        render.line((t("written", language, path=out), "dim"), stderr=True)
    if output_format is not CalcFormat.table or out is not None:
        print_errors(result.errors[:SHOWN_ERRORS], language)
    hints(computed, run)
    if not computed.done and not result.declarations:
        render.errors([t("file.nothing", language)], heading=t("error_prefix", language))
        raise typer.Exit(EXIT_ROW_ERRORS)
    if result.errors:
        raise typer.Exit(EXIT_ROW_ERRORS)


def compute_file(
    path: Path,
    run: Run,
    *,
    sheet: str | None,
    agreements: Path | None,
    indices_file: Path | None = None,
    index: str | None = None,
    ignored: list[str] | tuple[str, ...] = (),
    explain: bool,
) -> ComputedFile:
    """Read one declaration file (and its agreements and indices) and compute it, with the
    rules and settings of the command line."""
    return computed_file(
        path,
        rules_of(run),
        unit=run.unit.factor,
        sheet=sheet,
        agreements=agreements,
        indices_file=indices_file,
        index=index,
        ignored=ignored,
        explain=explain,
        lang=run.lang,
    )


def hints(computed: ComputedFile, run: Run) -> None:
    """What a finance officer should know besides the errors: other declaration sheets not
    read, amounts that look like 千円."""
    for file, sheet in computed.unread_sheets:
        render.line((t("hint.unread_sheet", run.lang, file=file, sheet=sheet), "warn"), stderr=True)
    if run.unit.factor != 1:
        return
    small = sum(
        1 for d in computed.done if d.outcome.amount is not None and 0 < d.outcome.amount < 1000
    )
    if small:
        render.line((t("hint.small_amounts", run.lang, n=small), "warn"), stderr=True)


# ── the report ──────────────────────────────────────────────────────────────────────────────


def rows_by_declaration(computed: ComputedFile) -> dict[tuple[str, int], list[Done]]:
    """Each declaration's rows, in the order of its items (the result groups them so)."""
    groups: dict[tuple[str, int], list[Done]] = {}
    for done in computed.done:
        prepared = done.prepared
        if prepared.entity is not None and prepared.fiscal_year is not None:
            groups.setdefault((prepared.entity.code, prepared.fiscal_year), []).append(done)
    return groups


def _report(computed: ComputedFile, file: IO[str] | None, lang: Lang) -> None:
    """The tables, totals and error list: on the screen or in a text file. A large file shows
    its first items and says how many were left out and how to get them all."""
    result = computed.result
    groups = rows_by_declaration(computed)
    shown = 0
    left = [0, 0]  # declarations, items not shown
    for declaration in result.declarations:
        if shown >= SHOWN_ITEMS:
            left[0] += 1
            left[1] += len(declaration.items)
            continue
        count = min(len(declaration.items), SHOWN_ITEMS - shown)
        shown += count
        rows = groups.get((declaration.entity_code or "", declaration.fiscal_year or 0), [])
        columns, cells, dropped = _item_table(declaration, rows, count, lang, render.width(file))
        notes = []
        if count < len(declaration.items):
            notes.append(t("items_left_out", lang, n=len(declaration.items) - count))
        if dropped:
            notes.append(
                t(
                    "columns_left_out",
                    lang,
                    columns=("、" if lang == "ja" else ", ").join(
                        _amount_columns(lang)[n].header for n in dropped
                    ),
                )
            )
        render.table(
            columns,
            cells,
            title=(declaration_title(declaration, lang), "title"),
            file=file,
            caption=("\n".join(notes), "warn") if notes else None,
        )
        render.fields(_totals(declaration, _missing(computed.rules, declaration), lang), file=file)
        render.line("", file=file)
    if left[0]:
        render.line(
            (t("declarations_left_out", lang, declarations=left[0], items=left[1]), "warn"),
            file=file,
        )
        render.line("", file=file)
    for ref in result.rules:
        render.line(
            (
                t(
                    "rules_used",
                    lang,
                    measure=ref.measure,
                    version=ref.version,
                    path=ref.path,
                    sha256=ref.sha256,
                ),
                "dim",
            ),
            file=file,
        )
    print_errors(result.errors[:SHOWN_ERRORS], lang, file=file, stderr=False)
    if len(result.errors) > SHOWN_ERRORS:
        render.line(
            (t("errors_left_out", lang, n=len(result.errors) - SHOWN_ERRORS), "warn"), file=file
        )


def declaration_title(declaration: DeclarationResult, lang: Lang) -> str:
    """札幌市（011002） 令和3年度（2021） — 規則 2021.1."""
    code = declaration.entity_code or ""
    name = (
        f"{declaration.entity_name}（{code}）"
        if lang == "ja"
        else f"{declaration.entity_name} ({code})"
    )
    year = declaration.fiscal_year
    year_text = (
        (f"{fiscal_year_label(year)}（{year}）" if lang == "ja" else f"FY{year}")
        if year is not None
        else ""
    )
    return t(
        "declaration_title",
        lang,
        name=name,
        year=year_text,
        version=declaration.rules_version or "—",
    )


#: Below this many columns the table folds the business area, the reason and the warnings
#: into the item's cell, and drops amount columns in :data:`_DROPPED_FIRST` order until the
#: item keeps at least :data:`_ITEM_WIDTH` columns: never one character per line.
_WIDE = 130
_ITEM_WIDTH = 24
_DROPPED_FIRST = ("specific_revenue", "net", "rate")


def _amount_columns(lang: Lang) -> dict[str, render.Col]:
    return {
        "amount": render.Col(heading("amount", lang), "right", no_wrap=True),
        "specific_revenue": render.Col(heading("specific_revenue", lang), "right", no_wrap=True),
        "net": render.Col(t("net", lang), "right", no_wrap=True),
        "rate": render.Col(t("rate", lang), "right", no_wrap=True),
        "measure": render.Col(t("measure", lang), "right", no_wrap=True),
    }


def _item_table(
    declaration: DeclarationResult, rows: list[Done], count: int, lang: Lang, width: int
) -> tuple[list[render.Col], list[list[render.Cell]], list[str]]:
    """The columns and rows of a declaration's table at ``width`` columns, and the amount
    columns left out to fit."""
    amounts = _amount_columns(lang)
    cells: list[tuple[str, str, str, dict[str, str], render.Cell, list[tuple[str, str]]]] = []
    for item, done in zip(declaration.items[:count], rows, strict=False):
        number = item.item_id or "—"
        label = str(done.row.data.get("description") or "").strip()
        if item.status == "error":
            reason: render.Cell = [
                (t("status.error", lang) + ": ", "bad"),
                (("、" if lang == "ja" else ", ").join(item.errors), "code"),
            ]
        else:
            style = "ok" if item.status == "eligible" else "warn"
            reason = [(code_text(code, lang), style) for code in item.reasons]
        warnings: list[tuple[str, str]] = []
        for code in item.warnings:
            warnings += [(render.BREAK, "")] if warnings else []
            warnings.append((code_text(code, lang), "warn"))
        figures = {
            "amount": yen(item.amount),
            "specific_revenue": yen(item.specific_revenue),
            "net": yen(item.net),
            "rate": plain(item.rate) if item.rate is not None else "—",
            "measure": yen(item.measure),
        }
        cells.append(
            (
                number,
                label,
                str(done.row.data.get("business_area") or ""),
                figures,
                reason,
                warnings,
            )
        )
    # The item number in a column of its own: it stays on the first line of its title.
    number_column = render.Col(t("item_number", lang), "right", no_wrap=True)
    if width >= _WIDE:
        columns = [
            number_column,
            render.Col(t("item", lang)),
            render.Col(heading("business_area", lang)),
            *amounts.values(),
            render.Col(t("reason", lang)),
            render.Col(t("warnings", lang)),
        ]
        return (
            columns,
            [
                [number, label, area, *(figures[n] for n in amounts), reason, warnings or ""]
                for number, label, area, figures, reason, warnings in cells
            ],
            [],
        )
    shown = list(amounts)
    dropped: list[str] = []

    def needed(name: str) -> int:  # the column's widest cell, and its padding and rule
        return (
            max(render.cell_width(c) for c in [amounts[name].header, *(c[3][name] for c in cells)])
            + 3
        )

    numbers = max(render.cell_width(c) for c in [number_column.header, *(c[0] for c in cells)])
    for name in _DROPPED_FIRST:
        if width - sum(needed(n) for n in shown) - numbers - 7 >= _ITEM_WIDTH:
            break
        shown.remove(name)
        dropped.append(name)
    columns = [number_column, render.Col(t("item", lang)), *(amounts[n] for n in shown)]
    out: list[list[render.Cell]] = []
    for number, label, area, figures, reason, warnings in cells:
        item_cell: list[tuple[str, str]] = [(label, "")]
        if area:
            item_cell += [(render.BREAK, ""), (area, "dim")]
        pieces = (
            [(reason, "")]
            if isinstance(reason, str)
            else ([reason] if isinstance(reason, tuple) else list(reason))
        )
        if pieces:
            item_cell += [(render.BREAK, ""), *pieces]
        if warnings:
            item_cell += [(render.BREAK, ""), *warnings]
        out.append([number, item_cell, *(figures[n] for n in shown)])
    return columns, out, dropped


def _missing(rules: RuleSet, declaration: DeclarationResult) -> str | None:
    """What the fiscal-strength adjustment of a declaration lacks (the table, the index)."""
    if "FISCAL_STRENGTH_NOT_APPLIED" not in declaration.warnings or not declaration.rules_version:
        return None
    try:
        version = rules.get(declaration.rules_version)
    except KeyError:
        return None
    entity = lookup(declaration.entity_code) if declaration.entity_code else None
    return adjust(version, entity, declaration.totals.fiscal_strength_index).missing


def _totals(
    declaration: DeclarationResult, missing: str | None, lang: Lang
) -> list[tuple[str, render.Cell]]:
    totals, counts = declaration.totals, declaration.counts
    mark = (
        ("✓ " + t("reconciled", lang), "ok")
        if totals.reconciled
        else ("✗ " + t("not_reconciled", lang), "bad")
    )
    equation = (
        f"{yen(totals.amount)} = {yen(totals.net)} + "
        f"{yen(totals.excluded)} + {yen(totals.specific_revenue)}  "
    )
    pairs: list[tuple[str, render.Cell]] = [
        (
            t("counts", lang),
            t(
                "counts_text",
                lang,
                items=counts.items,
                eligible=counts.eligible,
                excluded=counts.excluded,
                error=counts.error,
                warning=counts.warning,
            ),
        ),
        (t("total_amount", lang), yen(totals.amount)),
        (t("total_revenue", lang), yen(totals.specific_revenue)),
        (t("total_net", lang), yen(totals.net)),
        (t("total_excluded", lang), yen(totals.excluded)),
        (t("measure_by_rate", lang), yen(totals.measure_by_rate)),
    ]
    if totals.fiscal_strength_multiplier is not None:
        pairs.append(
            (
                t("fiscal_strength_multiplier", lang),
                f"× {plain(totals.fiscal_strength_multiplier)}"
                + aside(
                    f"{t('column.fiscal_strength_index', lang)} "
                    f"{index_text(totals.fiscal_strength_index or Decimal(0))}",
                    lang,
                ),
            )
        )
    for code in declaration.warnings:
        why = (
            aside(t(f"fiscal_strength.missing.{missing}", lang), lang)
            if (missing and code == "FISCAL_STRENGTH_NOT_APPLIED")
            else ""
        )
        pairs.append((t("warnings", lang), (code_text(code, lang) + why, "warn")))
    pairs += [
        (t("measure_exact", lang), yen(totals.measure_exact)),
        (t("measure_rounded", lang), (yen(totals.measure), "amount")),
        (
            t("reconciliation", lang),
            [(equation, ""), mark, (" " + t("reconciliation_legend", lang), "dim")],
        ),
    ]
    return pairs
