"""``tokko template``: the workbook an officer fills in, with the lists of the rules in force."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import rules_of, user_errors
from tokko.cli.options import (
    LangOption,
    MeasureOption,
    RulesOption,
    UnitOption,
    both,
    settings,
)
from tokko.errors import UsageError
from tokko.io.paths import check_outputs
from tokko.io.template import DEFAULT_NAME, write_template
from tokko.messages import t
from tokko.model.fiscal_year import parse_fiscal_year


@app.command(
    "template", cls=Command, help=t("template.cmd", "ja") + "\n\n" + t("template.cmd", "en")
)
def template_command(
    ctx: typer.Context,
    *,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "--output",
            "-o",
            dir_okay=False,
            show_default=False,
            help=both("template.help.out"),
        ),
    ] = None,
    fiscal_year: Annotated[
        str | None,
        typer.Option(
            "--fiscal-year", "-y", show_default=False, help=both("template.help.fiscal_year")
        ),
    ] = None,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    target = out if out is not None else Path(DEFAULT_NAME)
    with user_errors(run.lang):
        if out is None and target.exists():  # never overwrite a filled template unasked
            raise UsageError("template.exists", path=str(target))
        check_outputs([], [target])
        year = parse_fiscal_year(fiscal_year) if fiscal_year is not None else None
        write_template(target, run.lang, rules=rules_of(run), fiscal_year=year)
    render.line((t("written", run.lang, path=target), "dim"), stderr=True)
