"""The web page for finance officers (``/``) and the API's own documentation page (``/docs``).

Both are package files — ``templates/*.html`` filled here with the catalog's words (escaped),
``static/*.js`` and ``static/*.css`` served as they are — with no build step and nothing loaded
from elsewhere (the prefecture's network has no internet). No script is inline: the words the
scripts need travel in a ``<script type="application/json">`` block, which a browser never runs,
so the Content-Security-Policy can forbid inline scripts.

The page is Japanese unless ``?lang=en``; its drop-down lists (fiscal years, technologies,
expense kinds) come from the rules in force when the page is asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from tokko._version import __version__
from tokko.messages import CATALOG, Lang, t
from tokko.model.codes import RULE_KEYS
from tokko.model.fiscal_year import fiscal_year_label
from tokko.rules.ruleset import RuleSet

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
#: Catalog families the page's script shows (codes, statuses, steps, column labels…).
_FAMILIES = (
    "code.",
    "status.",
    "step.",
    "outcome.",
    "column.",
    "kind.",
    "serve.",
    "fiscal_strength.missing.",
    "help.",
)
#: The command line's words the page's script reuses.
_WORDS = (
    "rate",
    "measure",
    "net",
    "reason",
    "warnings",
    "errors",
    "rule_file",
    "basis",
    "note",
    "source",
    "key",
    "value",
    "input",
    "outcome",
    "total_amount",
    "total_revenue",
    "total_net",
    "total_excluded",
    "measure_by_rate",
    "fiscal_strength_multiplier",
    "measure_exact",
    "measure_rounded",
    "reconciliation",
    "reconciled",
    "not_reconciled",
    "reconciliation_legend",
    "counts",
    "counts_text",
    "file",
    "row",
    "column",
    "code",
    "message",
    "error_list",
    "entity_code",
    "entity_name",
    "version",
    "yen",
    "measure_item_note",
    "batch_done",
    "item",
    "result",
    "sha256",
    "fiscal_year",
    "declaration_total",
    "error_prefix",
)


def words(lang: Lang) -> dict[str, str]:
    """The catalog entries the scripts need, in ``lang`` (placeholders left as they are)."""
    found = {
        key: (msg.ja if lang == "ja" else msg.en)
        for key, msg in CATALOG.items()
        if key.startswith(_FAMILIES) or key in _WORDS
    }
    found.update({f"rulekey.{code}": key for code, key in RULE_KEYS.items() if key})
    return found


def _data_block(data: object) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _fiscal_year(today: dt.date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def _year_label(year: int, lang: Lang) -> str:
    label = fiscal_year_label(year)
    return f"{year}年度（{label}）" if lang == "ja" else f"FY{year} ({label})"


def _options(choices: list[tuple[str, str]], selected: str | None = None) -> str:
    return "".join(
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
        f"{escape(label)}</option>"
        for value, label in choices
    )


def choices(rules: RuleSet, lang: Lang, today: dt.date | None = None) -> dict[str, str]:
    """The drop-down lists of the form, from the rules in force."""
    versions = list(rules)
    now = _fiscal_year(today or dt.date.today())
    first = min(v.file.measure.effective_from for v in versions)
    last = max(
        [
            now + 1,
            *(v.file.measure.effective_from for v in versions),
            *(v.file.measure.confirmed_through or 0 for v in versions),
        ]
    )
    covered = [y for y in range(first, last + 1) if any(v.covers(y) for v in versions)]
    default = now if now in covered else (covered[-1] if covered else first)
    years = [(str(y), _year_label(y, lang)) for y in range(first, last + 1)]
    technologies: list[str] = []
    for version in versions:
        technologies += [
            name for name in version.file.technologies.eligible.value if name not in technologies
        ]
    combined = ["+".join(technologies)] if len(technologies) > 1 else []
    tech = [(name, name) for name in (*technologies, *combined)]
    tech.append(("other", t("serve.page.technology_other", lang)))
    kinds: dict[str, str] = {}
    for version in reversed(versions):  # the latest version's names first
        for kind in version.file.expense_kinds:
            kinds.setdefault(
                kind.id, kind.name_ja if lang == "ja" else f"{kind.id} ({kind.name_ja})"
            )
    return {
        "fiscal_year_options": _options(years, str(default)),
        "introduced_in_options": _options([("", t("serve.page.not_given", lang)), *years]),
        "technology_options": _options(tech),
        "expense_kind_options": _options(list(kinds.items())),
        "procurement_options": _options(
            [("single", t("serve.page.single", lang)), ("joint", t("serve.page.joint", lang))]
        ),
    }


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _labels(lang: Lang) -> dict[str, str]:
    """Every ``serve.page.*`` word and the column labels and help, escaped for HTML, under
    names a template can use (``page_title``, ``column_amount``, ``help_amount``…)."""
    found: dict[str, str] = {}
    for key, msg in CATALOG.items():
        text = msg.ja if lang == "ja" else msg.en
        for prefix, name in (("serve.page.", "page_"), ("column.", "column_"), ("help.", "help_")):
            if key.startswith(prefix) and "." not in key[len(prefix) :]:
                found[name + key[len(prefix) :]] = escape(text)
    return found


def render_page(rules: RuleSet, lang: Lang, token_required: bool) -> str:
    """The web page in ``lang``."""
    other: Lang = "en" if lang == "ja" else "ja"
    values: dict[str, Any] = {
        **_labels(lang),
        **choices(rules, lang),
        "lang": lang,
        "other_lang": other,
        "other_lang_name": "English" if other == "en" else "日本語",
        "version": escape(__version__),
        "rules_versions": escape(", ".join(f"{v.measure} {v.version}" for v in rules)),
        "token_required": "true" if token_required else "false",
        "words": _data_block(words(lang)),
    }
    return _template("page.html").substitute(values)


def render_docs(lang: Lang) -> str:
    """The API's documentation page in ``lang`` (its script reads ``/openapi.json``)."""
    other: Lang = "en" if lang == "ja" else "ja"
    return _template("docs.html").substitute(
        {
            **_labels(lang),
            "lang": lang,
            "other_lang": other,
            "other_lang_name": "English" if other == "en" else "日本語",
            "version": escape(__version__),
            "words": _data_block(words(lang)),
        }
    )


def _page_lang(request: Request) -> Lang:
    return "en" if request.query_params.get("lang", "").lower().startswith("en") else "ja"


def install(app: FastAPI, *, token_required: bool) -> None:
    """Add the page, the docs page and the static files to ``app``."""

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        rules = request.app.state.tokko.live.current()
        return HTMLResponse(render_page(rules, _page_lang(request), token_required))

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(render_docs(_page_lang(request)))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
