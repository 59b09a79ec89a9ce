"""``tokko calc FILE``: one declaration file as an itemized table with totals, or JSON, CSV, XLSX.

Also how ``calc`` and ``explain`` read and compute a declaration file (:func:`compute_file`).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import IO, Annotated, NamedTuple

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
from tokko.engine.calculate import Done, build_result, compute_rows
from tokko.engine.totals import adjust
from tokko.errors import UsageError
from tokko.io.inputs import read_agreements_file, read_declaration_file, read_indices_file
from tokko.io.paths import check_outputs
from tokko.io.results import (
    RESULT_COLUMNS,
    result_cells,
)
from tokko.io.workbook import ResultsWorkbook
from tokko.io.writers import CsvSheet, csv_output, write_text
from tokko.messages import Lang, t
from tokko.model.fiscal_strength import parse_index
from tokko.model.fiscal_year import fiscal_year_label
from tokko.model.localgov import lookup
from tokko.model.money import plain
from tokko.model.problem import Problem
from tokko.model.result import DeclarationResult, Result
from tokko.rules.ruleset import RuleSet

#: How many items the table shows on a screen before it says how to get them all.
SHOWN_ITEMS = 100
SHOWN_ERRORS = 50


class Computed(NamedTuple):
    """A declaration file computed: the result, each row with its outcome, the columns, and the
    rules it was computed with."""

    result: Result
    done: list[Done]
    columns: list[tuple[str, int]]
    problems: list[Problem]
    rules: RuleSet


@app.command("calc", cls=Command, help=t("cmd.calc", "ja") + "\n\n" + t("cmd.calc", "en"))
def calc_command(
    ctx: typer.Context,
    file: FileArgument,
    *,
    output_format: Annotated[CalcFormat, typer.Option(
        "--format", help=both("help.format"))] = CalcFormat.table,
    out: OutOption = None,
    agreements: AgreementsOption = None,
    fiscal_strength: IndicesOption = None,
    fiscal_strength_index: Annotated[str | None, typer.Option(
        "--fiscal-strength-index", show_default=False,
        help=both("help.fiscal_strength_index"))] = None,
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
        computed = compute_file(file, run, sheet=sheet, agreements=agreements,
                                indices_file=fiscal_strength, index=fiscal_strength_index,
                                ignored=ignore_column or (), explain=False)
        result = computed.result
        if output_format is CalcFormat.json:
            write_text(out, result.model_dump_json(indent=2) + "\n", sys.stdout)
        elif output_format is CalcFormat.csv:
            _write_csv(computed, out, encoding)
        elif output_format is CalcFormat.xlsx:
            assert out is not None
            _write_xlsx(computed, out, run.lang)
        elif out is None:
            _report(computed, None, run.lang)
        else:
            with out.open("w", encoding="utf-8") as stream:  # a report, not data: no atomicity
                _report(computed, stream, run.lang)
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


def compute_file(path: Path, run: Run, *, sheet: str | None, agreements: Path | None,
                 indices_file: Path | None = None, index: str | None = None,
                 ignored: list[str] | tuple[str, ...] = (), explain: bool) -> Computed:
    """Read one declaration file (and its agreements and indices) and compute it."""
    ruleset = rules_of(run)
    found = read_declaration_file(path, unit=run.unit.factor, sheet=sheet, ignored=ignored)
    book = list(found.agreements)
    problems = list(found.problems)
    if agreements is not None:
        more, more_problems = read_agreements_file(agreements, sheet=sheet)
        book += more
        problems += more_problems
    indices: dict[tuple[str, int], Decimal] = {}
    if indices_file is not None:
        indices, more_problems = read_indices_file(indices_file)
        problems += more_problems
    done = compute_rows(found.rows, ruleset, book, unit=run.unit.factor, indices=indices)
    if index is not None:
        value = parse_index(index)
        keys = {(d.prepared.entity.code, d.prepared.fiscal_year) for d in done
                if d.prepared.entity is not None and d.prepared.fiscal_year is not None}
        if len(keys) > 1:
            raise UsageError("usage.index_several_declarations", n=len(keys))
        indices.update(dict.fromkeys(keys, value))
        done = compute_rows(found.rows, ruleset, book, unit=run.unit.factor, indices=indices)
    result = build_result(done, problems, explain=explain, lang=run.lang, indices=indices)
    return Computed(result, done, found.columns, problems, ruleset)


def hints(computed: Computed, run: Run) -> None:
    """What a finance officer should know besides the errors: amounts that look like 千円."""
    if run.unit.factor != 1:
        return
    small = sum(1 for d in computed.done
                if d.outcome.amount is not None and 0 < d.outcome.amount < 1000)
    if small:
        render.line((t("hint.small_amounts", run.lang, n=small), "warn"), stderr=True)


# ── the report ──────────────────────────────────────────────────────────────────────────────


def rows_by_declaration(computed: Computed) -> dict[tuple[str, int], list[Done]]:
    """Each declaration's rows, in the order of its items (the result groups them so)."""
    groups: dict[tuple[str, int], list[Done]] = {}
    for done in computed.done:
        prepared = done.prepared
        if prepared.entity is not None and prepared.fiscal_year is not None:
            groups.setdefault((prepared.entity.code, prepared.fiscal_year), []).append(done)
    return groups


def _report(computed: Computed, file: IO[str] | None, lang: Lang) -> None:
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
        render.table(_columns(lang), _item_rows(declaration, rows, count, lang),
                     title=(declaration_title(declaration, lang), "title"), file=file,
                     caption=(t("items_left_out", lang, n=len(declaration.items) - count),
                              "warn") if count < len(declaration.items) else None)
        render.fields(_totals(declaration, _missing(computed.rules, declaration), lang),
                      file=file)
        render.line("", file=file)
    if left[0]:
        render.line((t("declarations_left_out", lang, declarations=left[0], items=left[1]),
                     "warn"), file=file)
        render.line("", file=file)
    for ref in result.rules:
        render.line((t("rules_used", lang, measure=ref.measure, version=ref.version,
                       path=ref.path, sha256=ref.sha256), "dim"), file=file)
    print_errors(result.errors[:SHOWN_ERRORS], lang, file=file, stderr=False)
    if len(result.errors) > SHOWN_ERRORS:
        render.line((t("errors_left_out", lang, n=len(result.errors) - SHOWN_ERRORS), "warn"),
                    file=file)


def declaration_title(declaration: DeclarationResult, lang: Lang) -> str:
    """札幌市（011002） 令和3年度（2021） — 規則 2021.1."""
    code = declaration.entity_code or ""
    name = (f"{declaration.entity_name}（{code}）" if lang == "ja"
            else f"{declaration.entity_name} ({code})")
    year = declaration.fiscal_year
    year_text = (f"{fiscal_year_label(year)}（{year}）" if lang == "ja" else f"FY{year}") \
        if year is not None else ""
    return t("declaration_title", lang, name=name, year=year_text,
             version=declaration.rules_version or "—")


def _columns(lang: Lang) -> list[render.Col]:
    return [
        render.Col(t("item", lang)),
        render.Col(heading("business_area", lang)),
        render.Col(heading("amount", lang), "right", no_wrap=True),
        render.Col(heading("specific_revenue", lang), "right", no_wrap=True),
        render.Col(t("net", lang), "right", no_wrap=True),
        render.Col(t("rate", lang), "right", no_wrap=True),
        render.Col(t("measure", lang), "right", no_wrap=True),
        render.Col(t("reason", lang)),
        render.Col(t("warnings", lang)),
    ]


def _item_rows(declaration: DeclarationResult, rows: list[Done], count: int,
               lang: Lang) -> list[list[render.Cell]]:
    cells: list[list[render.Cell]] = []
    for item, done in zip(declaration.items[:count], rows, strict=False):
        description = str(done.row.data.get("description") or "").strip()
        label = f"{item.item_id or '—'} {description}".strip()
        if item.status == "error":
            reason: render.Cell = [(t("status.error", lang) + ": ", "bad"),
                                   (("、" if lang == "ja" else ", ").join(item.errors), "code")]
        else:
            style = "ok" if item.status == "eligible" else "warn"
            reason = [(code_text(code, lang), style) for code in item.reasons]
        warnings = "\n".join(code_text(code, lang) for code in item.warnings)
        cells.append([label, str(done.row.data.get("business_area") or ""), yen(item.amount),
                      yen(item.specific_revenue), yen(item.net),
                      plain(item.rate) if item.rate is not None else "—", yen(item.measure),
                      reason, (warnings, "warn")])
    return cells


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


def _totals(declaration: DeclarationResult, missing: str | None,
            lang: Lang) -> list[tuple[str, render.Cell]]:
    totals, counts = declaration.totals, declaration.counts
    mark = ("✓ " + t("reconciled", lang), "ok") if totals.reconciled else (
        "✗ " + t("not_reconciled", lang), "bad")
    equation = (f"{yen(totals.amount)} = {yen(totals.net)} + "
                f"{yen(totals.excluded)} + {yen(totals.specific_revenue)}  ")
    pairs: list[tuple[str, render.Cell]] = [
        (t("counts", lang), t("counts_text", lang, items=counts.items, eligible=counts.eligible,
                               excluded=counts.excluded, error=counts.error,
                               warning=counts.warning)),
        (t("total_amount", lang), yen(totals.amount)),
        (t("total_revenue", lang), yen(totals.specific_revenue)),
        (t("total_net", lang), yen(totals.net)),
        (t("total_excluded", lang), yen(totals.excluded)),
        (t("measure_by_rate", lang), yen(totals.measure_by_rate)),
    ]
    if totals.fiscal_strength_multiplier is not None:
        pairs.append((t("fiscal_strength_multiplier", lang),
                      f"× {plain(totals.fiscal_strength_multiplier)}"
                      f" （{t('column.fiscal_strength_index', lang)} "
                      f"{plain(totals.fiscal_strength_index or Decimal(0))}）"))
    for code in declaration.warnings:
        why = f"（{t(f'fiscal_strength.missing.{missing}', lang)}）" if (
            missing and code == "FISCAL_STRENGTH_NOT_APPLIED") else ""
        pairs.append((t("warnings", lang), (code_text(code, lang) + why, "warn")))
    pairs += [
        (t("measure_exact", lang), yen(totals.measure_exact)),
        (t("measure_rounded", lang), (yen(totals.measure), "amount")),
        (t("reconciliation", lang), [(equation, ""), mark,
                                     (" " + t("reconciliation_legend", lang), "dim")]),
    ]
    return pairs


# ── CSV and XLSX ────────────────────────────────────────────────────────────────────────────


def _cell(value: object) -> object:
    return "" if value is None else value


def _result_rows(computed: Computed) -> list[list[object]]:
    width = len(computed.columns)
    rows = []
    for done in computed.done:
        cells = list(done.row.cells or ())
        own = [_cell(cells[i]) if i < len(cells) else "" for i in range(width)]
        rows.append([*own, *result_cells(done.outcome)])
    return rows


def _header(computed: Computed) -> list[str]:
    return [*(name for name, _ in computed.columns), *RESULT_COLUMNS]


def _write_csv(computed: Computed, out: Path | None, encoding: str) -> None:
    if out is None:
        sheet = CsvSheet(sys.stdout)
        sheet.writerow(_header(computed))
        for row in _result_rows(computed):
            sheet.writerow(row)
        return
    with csv_output(out, encoding) as sheet:
        sheet.writerow(_header(computed))
        for row in _result_rows(computed):
            sheet.writerow(row)


def _write_xlsx(computed: Computed, out: Path, lang: Lang) -> None:
    """The results workbook for people (:class:`~tokko.io.workbook.ResultsWorkbook`)."""
    with ResultsWorkbook(out, lang, [name for name, _ in computed.columns]) as book:
        for done in computed.done:
            book.row(done.row.cells or (), done.outcome)
        for d in computed.result.declarations:
            book.summary(d.entity_code or "", d.entity_name or "", d.fiscal_year,
                         d.rules_version, d.counts, d.totals, d.warnings)
        for problem in computed.problems:
            book.error(problem)
        for done in computed.done:
            for problem in done.outcome.problems:
                book.error(problem)
        book.info(rules=computed.result.rules,
                  files=[d.row.file for d in computed.done if d.row.file])
