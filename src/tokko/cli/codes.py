"""``tokko codes NAME|CODE``: find a local government by name (kanji or kana) or by code."""

from __future__ import annotations

from typing import Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import fail, user_errors
from tokko.cli.options import (
    EXIT_ROW_ERRORS,
    LangOption,
    MeasureOption,
    RulesOption,
    UnitOption,
    both,
    settings,
)
from tokko.messages import t
from tokko.model.localgov import lookup, search
from tokko.model.text import fold


@app.command("codes", cls=Command, help=t("cmd.codes", "ja") + "\n\n" + t("cmd.codes", "en"))
def codes_command(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(metavar="NAME|CODE", show_default=False, help=both("help.codes_query"))
    ],
    *,
    limit: Annotated[int, typer.Option("--limit", min=1, help=both("help.limit"))] = 50,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    del rules, unit, measure  # no rules or amounts here; accepted as before the command (§5)
    language = settings(ctx, lang=lang).lang
    found = search(query)
    if not found:
        if fold(query).isdigit():
            with user_errors(language):  # lookup says why a code names nobody (exit 1)
                lookup(fold(query))
        raise fail(t("codes_none", language, query=query), language, EXIT_ROW_ERRORS)
    shown = found[:limit]
    more = len(found) - len(shown)
    render.table(
        [
            render.Col(t("entity_code", language), no_wrap=True),
            render.Col(t("entity_name", language)),
            render.Col(t("prefecture", language)),
            render.Col(t("kind", language)),
            render.Col(t("kana", language)),
        ],
        [
            [
                (g.code, "code"),
                (g.name, "title"),
                g.prefecture,
                t(f"kind.{g.kind.value}", language),
                fold(g.city_kana or g.prefecture_kana),
            ]
            for g in shown
        ],
        caption=t("codes_more", language, n=more) if more else None,
    )
