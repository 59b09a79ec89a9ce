"""``tokko fiscal-strength-index``: the fiscal strength index from three years' figures, rounded
as 特別交付税に関する省令 第2条 rounds it, so that nobody rounds it by hand."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import user_errors
from tokko.cli.options import (
    LangOption,
    MeasureOption,
    RulesOption,
    UnitOption,
    both,
    settings,
)
from tokko.messages import t
from tokko.model.fiscal_strength import fiscal_strength_index, year_ratios
from tokko.model.money import parse_yen

_SEPARATORS = re.compile(r"[;、；\s]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


def _figures(text: str) -> list[Decimal]:
    """Three amounts (yen or 千円 alike: only their ratios count), separated by ``;``, ``、``
    or blanks; or by commas when no amount is written with thousands separators."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if len(parts) == 1 and "," in parts[0] and not _GROUPED.fullmatch(parts[0]):
        parts = [p for p in parts[0].split(",") if p]
    return [parse_yen(part) for part in parts]


@app.command(
    "fiscal-strength-index", cls=Command, help=t("cmd.index", "ja") + "\n\n" + t("cmd.index", "en")
)
def index_command(
    ctx: typer.Context,
    *,
    revenue: Annotated[
        str, typer.Option("--revenue", "-r", show_default=False, help=both("help.index_revenue"))
    ],
    demand: Annotated[
        str, typer.Option("--demand", "-d", show_default=False, help=both("help.index_demand"))
    ],
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    del rules, unit, measure  # the index uses no rules; accepted as before the command (§5)
    language = settings(ctx, lang=lang).lang
    with user_errors(language):
        revenues, demands = _figures(revenue), _figures(demand)
        index = fiscal_strength_index(revenues, demands)
    ratios = year_ratios(revenues, demands)
    render.fields(
        [
            *(
                (t("index.year_ratio", language, year=n), f"{ratio:.2f}")
                for n, ratio in enumerate(ratios, start=1)
            ),
            (t("column.fiscal_strength_index", language), (f"{index:.2f}", "amount")),
        ]
    )
