"""``tokko batch FILE...``: many governments' rows streamed to results, a summary and errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from tokko.batch import run_batch
from tokko.cli import render
from tokko.cli.common import rules_of, user_errors
from tokko.cli.i18n import t
from tokko.cli.settings import (
    EXIT_ROW_ERRORS,
    BatchFormat,
    Encoding,
    Settings,
    Unit,
)


def run(
    settings: Settings,
    inputs: Sequence[Path],
    *,
    out: Path,
    summary: Path | None,
    errors: Path | None,
    agreements: Path | None,
    output_format: BatchFormat,
    unit: Unit,
    sheet: str | None,
    encoding: Encoding,
    rules_dir: Path | None,
    jobs: int | None = None,
) -> None:
    """Run :func:`tokko.batch.run_batch` with a progress bar on a terminal; exit 1 on row errors."""
    lang = settings.lang
    if output_format is BatchFormat.csv:
        # Not given: beside the results, so that the summary and the errors are never lost.
        summary = summary or out.with_name(f"{out.stem}-summary{out.suffix or '.csv'}")
        errors = errors or out.with_name(f"{out.stem}-errors{out.suffix or '.csv'}")
    if output_format is BatchFormat.xlsx and (summary is not None or errors is not None):
        render.line((t("batch_xlsx_ignores", lang, out=out), "warn"), stderr=True)
        summary = errors = None
    phases = {"scan": t("phase.scan", lang), "compute": t("phase.compute", lang)}
    with user_errors(lang), render.progress(phases, t("rows_per_second", lang)) as progress:
        report = run_batch(
            inputs, out=out, summary=summary, errors=errors, agreements=agreements,
            rules=rules_of(settings, rules_dir), unit=unit.factor, sheet=sheet,
            output_format=output_format.value, encoding=encoding.value, progress=progress,
            jobs=jobs,
        )
    render.line(t("batch_done", lang, rows=f"{report.rows:,}", errors=f"{report.error_rows:,}",
                  agreements=f"{report.agreement_errors:,}", entities=f"{report.entities:,}"))
    for path in (out, summary, errors):
        if path is not None:
            render.line((t("written", lang, path=path), "dim"))
    if not report.ok:
        raise typer.Exit(EXIT_ROW_ERRORS)
