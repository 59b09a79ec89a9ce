"""``tokko calc FILE``: one declaration as an itemized table with totals, or JSON, CSV, XLSX.

Also how ``calc`` and ``explain`` read a declaration file (:func:`compute_file`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import typer

from tokko import DeclarationResult, Result, calculate_rows
from tokko.cli import render
from tokko.cli.common import fail, print_errors, rules_of, user_errors, yen
from tokko.cli.i18n import code_text, heading, t
from tokko.cli.settings import EXIT_ROW_ERRORS, EXIT_USAGE, CalcFormat, Encoding, Settings, Unit
from tokko.declaration import ITEM_FIELDS
from tokko.fiscal_year import fiscal_year_label
from tokko.io import agreement_errors, read_agreements, read_declaration_file
from tokko.io.output import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    CsvSheet,
    XlsxSheet,
    csv_sheet,
    workbook,
)
from tokko.money import plain
from tokko.text import fold


def run(
    settings: Settings,
    file: Path,
    *,
    output_format: CalcFormat,
    output: Path | None,
    unit: Unit,
    sheet: str | None,
    agreements: Path | None,
    encoding: Encoding,
) -> None:
    """Compute one declaration file and write it; exit 1 when some rows were errors."""
    lang = settings.lang
    if output_format is CalcFormat.xlsx and output is None:
        raise fail(t("xlsx_needs_output", lang), lang, EXIT_USAGE)
    with user_errors(lang):
        result, finder = compute_file(file, settings, unit=unit, sheet=sheet,
                                      agreements=agreements, explain=False)
        if output_format is CalcFormat.json:
            _write_text(result.model_dump_json(indent=2) + "\n", output)
        elif output_format is CalcFormat.csv:
            _write_csv(result, finder, output, encoding)
        elif output_format is CalcFormat.xlsx:
            assert output is not None
            _write_xlsx(result, finder, output)
        else:
            _write_table(result, finder, output, lang)
    if output is not None:
        render.line((t("written", lang, path=output), "dim"), stderr=True)
    if output_format is not CalcFormat.table or output is not None:
        print_errors(result.errors, lang)
    if result.errors:
        raise typer.Exit(EXIT_ROW_ERRORS)


# ── a declaration file ──────────────────────────────────────────────────────────────────────


class RowFinder:
    """The input row of each item of a result.

    An item carries its row number but not its file, nor what the result does not need (the
    description, the business area); one file's rows are told apart by number, and by item id
    where a JSON list of declarations repeats the numbers.
    """

    def __init__(self) -> None:
        self._rows: dict[int | None, list[dict[str, object]]] = {}

    def add(self, number: int | None, data: dict[str, object]) -> None:
        self._rows.setdefault(number, []).append(data)

    def take(self, number: int | None, item_id: str | None) -> dict[str, object]:
        """The first unused input row with this number and item id (else with this number)."""
        candidates = self._rows.get(number)
        if not candidates:
            return {}
        for index, data in enumerate(candidates):
            if _id(data.get("item_id")) == (item_id or ""):
                return candidates.pop(index)
        return candidates.pop(0)


def _id(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fold(str(value))


def compute_file(
    path: Path,
    settings: Settings,
    *,
    unit: Unit,
    sheet: str | None,
    agreements: Path | None,
    explain: bool,
) -> tuple[Result, RowFinder]:
    """Read one declaration file (and an agreements file) and compute it, with its input rows."""
    rules = rules_of(settings)
    rows, found_agreements, errors = read_declaration_file(path, unit=unit.factor, sheet=sheet)
    if agreements is not None:
        more, problems = read_agreements(agreements, sheet=sheet)
        found_agreements = [*found_agreements, *more]
        errors = [*errors, *agreement_errors(problems)]
    result = calculate_rows(rows, rules, found_agreements, unit=unit.factor, errors=errors,
                            explain=explain)
    finder = RowFinder()
    for row in rows:
        finder.add(row.number, dict(row.data))
    return result, finder


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


# ── the table ────────────────────────────────────────────────────────────────────────────────


def _write_table(result: Result, finder: RowFinder, output: Path | None, lang: str) -> None:
    """The tables, totals and error list: a report, on the screen or in a text file."""
    if output is None:
        _tables(result, finder, None, lang)
        print_errors(result.errors, lang, stderr=False)
        return
    with output.open("w", encoding="utf-8") as stream:
        _tables(result, finder, stream, lang)
        print_errors(result.errors, lang, file=stream, stderr=False)


def _tables(result: Result, finder: RowFinder, file: IO[str] | None, lang: str) -> None:
    for declaration in result.declarations:
        render.table(_columns(lang), _item_rows(declaration, finder, lang),
                     title=(declaration_title(declaration, lang), "title"), file=file)
        render.fields(_totals(declaration, lang), file=file)
        render.line("", file=file)


def declaration_title(declaration: DeclarationResult, lang: str) -> str:
    """札幌市（011002） 令和3年度（2021） — 規則 2021.1."""
    code = declaration.entity_code or ""
    if declaration.entity_name:
        name = f"{declaration.entity_name}（{code}）" if lang == "ja" else (
            f"{declaration.entity_name} ({code})")
    else:
        name = f"{code} {t('unknown_entity', lang)}".strip()
    year = declaration.fiscal_year
    if year is None:
        year_text = t("unknown_year", lang)
    else:
        year_text = f"{fiscal_year_label(year)}（{year}）" if lang == "ja" else f"FY{year}"
    return t("declaration_title", lang, name=name, year=year_text,
             version=declaration.rules_version or "—")


def _columns(lang: str) -> list[render.Col]:
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


def _item_rows(
    declaration: DeclarationResult, finder: RowFinder, lang: str
) -> list[list[render.Cell]]:
    rows: list[list[render.Cell]] = []
    for item in declaration.items:
        data = finder.take(item.row, item.item_id)
        description = str(data.get("description") or "").strip()
        label = f"{item.item_id or '—'} {description}".strip()
        if item.status == "error":
            reason: render.Cell = [(t("status.error", lang) + ": ", "bad"),
                                   ("、".join(item.errors) if lang == "ja"
                                    else ", ".join(item.errors), "code")]
        else:
            style = "ok" if item.status == "eligible" else "warn"
            reason = [(code_text(code, lang), style) for code in item.reasons]
        warnings = "\n".join(code_text(code, lang) for code in item.warnings)
        rows.append([
            label,
            str(data.get("business_area") or ""),
            yen(item.amount),
            yen(item.specific_revenue),
            yen(item.net),
            plain(item.rate) if item.rate is not None else "—",
            yen(item.measure),
            reason,
            (warnings, "warn"),
        ])
    return rows


def _totals(declaration: DeclarationResult, lang: str) -> list[tuple[str, render.Cell]]:
    totals, counts = declaration.totals, declaration.counts
    mark = ("✓ " + t("reconciled", lang), "ok") if totals.reconciled else (
        "✗ " + t("not_reconciled", lang), "bad")
    equation = (
        f"{yen(totals.amount)} = {yen(totals.net)} + "
        f"{yen(totals.excluded)} + {yen(totals.specific_revenue)}  "
    )
    legend = t("reconciliation_legend", lang)
    return [
        (t("counts", lang), t("counts_text", lang, items=counts.items, eligible=counts.eligible,
                               excluded=counts.excluded, error=counts.error)),
        (t("total_amount", lang), yen(totals.amount)),
        (t("total_revenue", lang), yen(totals.specific_revenue)),
        (t("total_net", lang), yen(totals.net)),
        (t("total_excluded", lang), yen(totals.excluded)),
        (t("measure_exact", lang), yen(totals.measure_exact)),
        (t("measure_rounded", lang), (yen(totals.measure), "amount")),
        (t("reconciliation", lang), [(equation, ""), mark, (" " + legend, "dim")]),
    ]


# ── CSV and XLSX ─────────────────────────────────────────────────────────────────────────────


def _cell(value: object, *, spreadsheet: bool) -> object:
    if value is None:
        return ""
    if isinstance(value, str) or (spreadsheet and isinstance(value, int)):
        return value
    return str(value)


def _result_rows(result: Result, finder: RowFinder, *, spreadsheet: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    for declaration in result.declarations:
        for item in declaration.items:
            data = finder.take(item.row, item.item_id)
            own = [_cell(data.get(f), spreadsheet=spreadsheet)
                   for f in ("entity_code", "fiscal_year", *ITEM_FIELDS)]
            outcome = [
                item.status, ";".join(item.reasons), ";".join(item.warnings),
                *("" if v is None else plain(v) for v in (item.net, item.rate, item.measure)),
            ]
            rows.append([*own, *outcome])
    return rows


def _header() -> list[str]:
    return ["entity_code", "fiscal_year", *ITEM_FIELDS, *RESULT_COLUMNS]


def _write_csv(result: Result, finder: RowFinder, output: Path | None, encoding: str) -> None:
    rows = _result_rows(result, finder, spreadsheet=False)
    if output is None:
        sheet = CsvSheet(sys.stdout)
        sheet.writerow(_header())
        for row in rows:
            sheet.writerow(row)
        return
    with csv_sheet(output, encoding) as sheet:
        sheet.writerow(_header())
        for row in rows:
            sheet.writerow(row)


def _write_xlsx(result: Result, finder: RowFinder, output: Path) -> None:
    with workbook(output) as book:
        results = XlsxSheet(book.create_sheet("results"))
        results.writerow(_header())
        for row in _result_rows(result, finder, spreadsheet=True):
            results.writerow(row)
        summary = XlsxSheet(book.create_sheet("summary"))
        summary.writerow(list(SUMMARY_COLUMNS))
        for d in result.declarations:
            totals, counts = d.totals, d.counts
            summary.writerow([
                d.entity_code or "", d.entity_name or "", d.fiscal_year or "", counts.items,
                counts.eligible, counts.excluded, counts.error, plain(totals.amount),
                plain(totals.specific_revenue), plain(totals.net), plain(totals.excluded),
                plain(totals.measure_exact), plain(totals.measure),
            ])
        errors = XlsxSheet(book.create_sheet("errors"))
        errors.writerow(list(ERROR_COLUMNS))
        for e in result.errors:
            errors.writerow([e.file or "", e.row if e.row is not None else "", e.column or "",
                             e.code, e.message])
