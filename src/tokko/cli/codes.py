"""``tokko codes NAME|CODE``: find a local government by name (kanji or kana) or by code."""

from __future__ import annotations

from tokko.cli import render
from tokko.cli.common import fail, user_errors
from tokko.cli.i18n import t
from tokko.cli.settings import EXIT_ROW_ERRORS, Settings
from tokko.localgov import lookup, search
from tokko.text import fold


def run(settings: Settings, query: str, *, limit: int) -> None:
    """Print the matches of :func:`tokko.localgov.search`; exit 1 (with the reason) when none."""
    lang = settings.lang
    found = search(query)
    if not found:
        if fold(query).isdigit():
            with user_errors(lang):  # lookup says why a code names nobody (exit 1)
                lookup(fold(query))
        raise fail(t("codes_none", lang, query=query), lang, EXIT_ROW_ERRORS)
    shown = found[:limit]
    more = len(found) - len(shown)
    render.table(
        [render.Col(t("entity_code", lang), no_wrap=True), render.Col(t("entity_name", lang)),
         render.Col(t("prefecture", lang)), render.Col(t("kind", lang)),
         render.Col(t("kana", lang))],
        [[(g.code, "code"), (g.name, "title"), g.prefecture, t(f"kind.{g.kind.value}", lang),
          fold(g.city_kana or g.prefecture_kana)] for g in shown],
        caption=t("codes_more", lang, n=more) if more else None,
    )
