"""``tokko batch FILE...``: many governments' rows to results, a summary and errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tokko.batch import run_batch
from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import code_text, rules_of, user_errors
from tokko.cli.options import (
    EXIT_ROW_ERRORS,
    AgreementsOption,
    BatchFormat,
    Encoding,
    EncodingOption,
    IgnoreOption,
    IndicesOption,
    LangOption,
    MeasureOption,
    RulesOption,
    SheetOption,
    UnitOption,
    both,
    settings,
)
from tokko.messages import t


@app.command("batch", cls=Command, help=t("cmd.batch", "ja") + "\n\n" + t("cmd.batch", "en"))
def batch_command(
    ctx: typer.Context,
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", show_default=False, help=both("help.batch_inputs")),
    ],
    *,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "--output",
            "-o",
            dir_okay=False,
            show_default=False,
            help=both("help.batch_out"),
        ),
    ],
    summary: Annotated[
        Path | None,
        typer.Option("--summary", dir_okay=False, show_default=False, help=both("help.summary")),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option("--errors", dir_okay=False, show_default=False, help=both("help.errors")),
    ] = None,
    agreements: AgreementsOption = None,
    fiscal_strength: IndicesOption = None,
    output_format: Annotated[
        BatchFormat, typer.Option("--format", help=both("help.batch_format"))
    ] = BatchFormat.csv,
    sheet: SheetOption = None,
    encoding: EncodingOption = Encoding.utf8,
    ignore_column: IgnoreOption = None,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    if output_format is BatchFormat.csv:
        # Not given: beside the results, so that the summary and the errors are never lost.
        summary = summary or out.with_name(f"{out.stem}-summary{out.suffix or '.csv'}")
        errors = errors or out.with_name(f"{out.stem}-errors{out.suffix or '.csv'}")
    elif summary is not None or errors is not None:
        render.line((t("batch_xlsx_ignores", run.lang, out=out), "warn"), stderr=True)
        summary = errors = None
    phases = {"scan": t("phase.scan", run.lang), "compute": t("phase.compute", run.lang)}
    with user_errors(run.lang), render.progress(phases, t("rows_per_second", run.lang)) as bar:
        report = run_batch(
            inputs,
            out=out,
            summary=summary,
            errors=errors,
            agreements=agreements,
            fiscal_strength=fiscal_strength,
            rules=rules_of(run),
            unit=run.unit.factor,
            sheet=sheet,
            output_format=output_format.value,
            encoding=encoding.value,
            lang=run.lang,
            ignore_columns=ignore_column or (),
            progress=bar,
        )
    language = run.lang
    render.line(
        t(
            "batch_done",
            language,
            rows=f"{report.rows:,}",
            warnings=f"{report.warning_rows:,}",
            errors=f"{report.error_rows:,}",
            files=f"{report.file_problems:,}",
            entities=f"{report.entities:,}",
        )
    )
    for code, count in sorted(report.warnings.items(), key=lambda kv: (-kv[1], kv[0])):
        render.line(
            (
                f"  {code_text(code, language)}（{code}）: {count:,}"
                if language == "ja"
                else f"  {code_text(code, language)} ({code}): {count:,}",
                "warn",
            )
        )
    for version in report.rules:
        render.line(
            (
                t(
                    "rules_used",
                    language,
                    measure=version.measure,
                    version=version.version,
                    path=version.path,
                    sha256=version.sha256,
                ),
                "dim",
            )
        )
    for path in (out, summary, errors):
        if path is not None:
            render.line((t("written", language, path=path), "dim"))
    for file, other in report.unread_sheets:
        render.line((t("hint.unread_sheet", language, file=file, sheet=other), "warn"), stderr=True)
    if report.escaped:
        render.line((t("output.escaped", language, n=f"{report.escaped:,}"), "warn"), stderr=True)
    if report.rows == 0:
        render.errors([t("file.nothing", language)], heading=t("error_prefix", language))
    if not report.ok:
        raise typer.Exit(EXIT_ROW_ERRORS)
