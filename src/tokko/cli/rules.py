"""``tokko rules list|show|diff|validate`` and ``tokko --version``: the rule versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tokko._version import __version__
from tokko.cli import render
from tokko.cli.app import Command, rules_app
from tokko.cli.common import cite, fail, print_rule_problems, user_errors
from tokko.cli.options import (
    EXIT_UNREADABLE,
    EXIT_USAGE,
    LangOption,
    MeasureOption,
    RulesOption,
    ShowFormat,
    UnitOption,
    both,
    settings,
)
from tokko.errors import RuleFileError
from tokko.messages import Lang, aside, t
from tokko.model.fiscal_year import fiscal_year_label
from tokko.model.money import plain
from tokko.model.problem import Problem
from tokko.rules.diff import describe, diff, shown
from tokko.rules.ruleset import (
    RuleSet,
    RuleVersion,
    coverage_problems,
    load_rules,
    parse_rule_file,
    read_rules,
    rule_files,
    rule_values,
    shipped_rules_dir,
)
from tokko.rules.schema import JointProcurement, Source, Sourced

VersionArgument = Annotated[str, typer.Argument(show_default=False, help=both("help.version"))]


def _coverage(version: RuleVersion, lang: Lang) -> str:
    start = version.file.measure.effective_from
    until = version.until
    if lang == "ja":
        first = f"{start}年度（{fiscal_year_label(start)}）"
        last = (
            f"{until}年度（{fiscal_year_label(until)}）"
            if until is not None
            else t("open_end", lang)
        )
        return f"{first}〜{last}"
    return f"FY{start}–" + (f"FY{until}" if until is not None else " " + t("open_end", lang))


def _confirmed(version: RuleVersion, lang: Lang) -> str:
    through = version.file.measure.confirmed_through
    if through is None:
        return "—"
    return f"{through}年度まで" if lang == "ja" else f"FY{through}"


def _yes(value: object, lang: Lang) -> str:
    return t("yes" if value else "no", lang)


def print_version(lang: Lang) -> None:
    """``tokko --version``: tokko's version, then each shipped rule version and its coverage."""
    typer.echo(f"tokko {__version__}")
    with user_errors(lang):
        rules = load_rules(shipped_rules_dir())
    for v in rules:
        typer.echo(
            "  "
            + t(
                "version_line",
                lang,
                measure=v.measure,
                version=v.version,
                path=v.path,
                coverage=_coverage(v, lang),
                confirmed=_confirmed(v, lang),
            )
        )


# ── list ─────────────────────────────────────────────────────────────────────────────────────


@rules_app.command(
    "list", cls=Command, help=t("cmd.rules_list", "ja") + "\n\n" + t("cmd.rules_list", "en")
)
def rules_list(
    ctx: typer.Context,
    *,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    with user_errors(run.lang):
        found = load_rules(run.rules_dir, measure=run.measure)
    language = run.lang
    rows: list[list[render.Cell]] = []
    for v in found:
        titles = "\n".join(
            f"{s.title}（{s.issuer}）" if language == "ja" else f"{s.title} ({s.issuer})"
            for s in v.file.sources.values()
        )
        rows.append(
            [
                v.measure,
                (v.version, "title"),
                v.path,
                _coverage(v, language),
                _confirmed(v, language),
                (v.sha256[:12], "dim"),
                titles,
            ]
        )
    render.table(
        [
            render.Col(t("measure_id", language), no_wrap=True),
            render.Col(t("version", language), no_wrap=True),
            render.Col(t("path", language), no_wrap=True),
            render.Col(t("coverage", language)),
            render.Col(t("confirmed_through", language)),
            render.Col(t("sha256", language), no_wrap=True),
            render.Col(t("sources", language)),
        ],
        rows,
        title=(t("rules_title", language, root=found.root or ""), "title"),
    )


# ── show ─────────────────────────────────────────────────────────────────────────────────────


def _resolve(rules: RuleSet, wanted: str, lang: Lang) -> RuleVersion:
    """A version (``2021.1``), a file of the set (``ai-rpa/2021.toml``) or a rule file's path."""
    candidate = Path(wanted)
    if candidate.is_file():
        version, problems = parse_rule_file(candidate.read_bytes(), str(candidate))
        if version is None:
            raise RuleFileError(problems)
        return version
    try:
        return rules.get(wanted)
    except KeyError:
        known = ", ".join(f"{v.version} ({v.path})" for v in rules)
        raise fail(
            t("unknown_version", lang, version=wanted, known=known or "—"), lang, EXIT_USAGE
        ) from None


@rules_app.command(
    "show", cls=Command, help=t("cmd.rules_show", "ja") + "\n\n" + t("cmd.rules_show", "en")
)
def rules_show(
    ctx: typer.Context,
    version: VersionArgument,
    *,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", help=both("help.format"))
    ] = ShowFormat.table,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    with user_errors(run.lang):
        chosen = _resolve(load_rules(run.rules_dir, measure=run.measure), version, run.lang)
    if output_format is ShowFormat.json:
        typer.echo(json.dumps(rule_values(chosen), ensure_ascii=False, indent=2))
        return
    _show(chosen, run.lang)


def _sourced(
    v: RuleVersion, label: str, sourced: Sourced, value: str, lang: Lang
) -> list[render.Cell]:
    """One row: what, the value as shown, its source and its note."""
    return [
        label,
        (value, "title"),
        cite(v, sourced.source, lang),
        (sourced.note(lang) or "", "dim"),
    ]


def _source_cell(key: str, s: Source, lang: Lang) -> list[render.Styled]:
    """A source as stacked lines (id and title; issuer and date; URL; note): readable at any
    width, where six narrow columns broke every word."""
    issued = f"{s.issuer}  {s.date.isoformat() if s.date else '—'}"
    pieces: list[render.Styled] = [(key, "key"), ("  ", ""), (s.title, "title")]
    under: list[render.Styled] = [(issued, "")]
    if s.url:
        under.append((s.url, ""))
    if note := s.note(lang):
        under.append((note, "dim"))
    for piece in under:
        pieces += [(render.BREAK, ""), piece]
    return pieces


def _show(v: RuleVersion, lang: Lang) -> None:
    f = v.file
    m = f.measure
    render.fields(
        [
            (t("measure_id", lang), m.name_ja if lang == "ja" else m.name_en),
            (t("id", lang), m.id),
            (t("version", lang), (m.version, "title")),
            (t("path", lang), f"{v.path}  sha256 {v.sha256}"),
            (t("coverage", lang), _coverage(v, lang)),
            (t("confirmed_through", lang), _confirmed(v, lang)),
            (t("note", lang), (m.confirmed_through_note(lang) or "", "dim")),
        ],
        title=(f"{m.id} {m.version}", "title"),
    )
    value_cols = [
        render.Col(t("what", lang)),
        render.Col(t("value", lang)),
        render.Col(t("source", lang)),
        render.Col(t("note", lang)),
    ]
    render.table(
        [render.Col(t("source", lang))],
        [[_source_cell(key, s, lang)] for key, s in f.sources.items()],
        apart=True,
        title=(t("section.sources", lang), "title"),
    )
    rates = [
        _sourced(
            v, t("show.rate_standard", lang), f.rates.standard, plain(f.rates.standard.value), lang
        )
    ]
    if f.rates.joint is not None:
        rates.append(
            _sourced(v, t("show.rate_joint", lang), f.rates.joint, plain(f.rates.joint.value), lang)
        )
    else:
        rates.append([t("show.rate_joint", lang), (t("show.none", lang), "title"), "", ""])
    render.table(value_cols, rates, title=(t("section.rates", lang), "title"))
    jp = f.joint_procurement
    if jp is not None:
        _show_joint(v, jp, value_cols, lang)
    tech = f.technologies
    tech_rows = [
        _sourced(v, t("eligible_kind", lang), tech.eligible, ", ".join(tech.eligible.value), lang)
    ]
    if tech.aliases is not None:
        tech_rows.append(
            _sourced(
                v,
                t("aliases", lang),
                tech.aliases,
                ", ".join(f"{k} → {target}" for k, target in tech.aliases.value.items()),
                lang,
            )
        )
    render.table(value_cols, tech_rows, title=(t("section.technologies", lang), "title"))
    render.table(
        [
            render.Col(t("id", lang), no_wrap=True),
            render.Col(t("name", lang)),
            render.Col(t("eligibility", lang), no_wrap=True),
            render.Col(t("show.first_year_only", lang), no_wrap=True),
            render.Col(t("aliases", lang)),
            render.Col(t("source", lang)),
            render.Col(t("note", lang)),
        ],
        [
            [
                (k.id, "key"),
                k.name_ja,
                (t("eligible_kind", lang), "ok")
                if k.eligible
                else (t("ineligible_kind", lang), "warn"),
                _yes(k.first_year, lang),
                "、".join(k.aliases),
                cite(v, k.source, lang),
                (
                    "\n".join(
                        n
                        for n in (
                            k.note(lang),
                            k.first_year_only.note(lang) if k.first_year_only else None,
                        )
                        if n
                    ),
                    "dim",
                ),
            ]
            for k in f.expense_kinds
        ],
        title=(t("section.expense_kinds", lang), "title"),
    )
    excluded = f.excluded_businesses
    if excluded is not None:
        sources = [cite(v, s, lang) for s in (excluded.source, *excluded.also_cites)]
        render.table(
            [render.Col("#", "right"), render.Col(t("name", lang)), render.Col(t("aliases", lang))],
            [
                [str(i), (b.name, "title"), "、".join(b.aliases)]
                for i, b in enumerate(excluded.businesses, start=1)
            ],
            title=(t("section.excluded", lang, n=len(excluded.businesses)), "title"),
            caption=(
                f"{t('source', lang)}: "
                + " / ".join(sources)
                + "\n"
                + f"{t('note', lang)}: {excluded.note(lang) or ''}",
                "dim",
            ),
        )
    else:
        render.line((t("show.no_excluded", lang), "title"))
    _show_fiscal_strength(v, lang)
    rounding = f.rounding
    render.table(
        value_cols,
        [
            _sourced(
                v,
                t("section.revenue", lang),
                f.specific_revenue.deduct,
                _yes(f.specific_revenue.deduct.value, lang),
                lang,
            ),
            _sourced(
                v, t("show.rounding_unit", lang), rounding.unit, plain(rounding.unit.value), lang
            ),
            _sourced(v, t("show.rounding_mode", lang), rounding.mode, rounding.mode.value, lang),
            _sourced(v, t("show.rounding_scope", lang), rounding.scope, rounding.scope.value, lang),
            _sourced(
                v,
                t("section.order", lang),
                f.exclusion_order,
                " → ".join(f.exclusion_order.value),
                lang,
            ),
            _sourced(
                v,
                t("show.duplicate_contract", lang),
                f.audit_checks.duplicate_contract,
                _yes(f.audit_checks.duplicate_contract.value, lang),
                lang,
            ),
            _sourced(
                v,
                t("show.joint_shares", lang),
                f.audit_checks.joint_shares_within_contract_total,
                _yes(f.audit_checks.joint_shares_within_contract_total.value, lang),
                lang,
            ),
        ],
        title=(
            f"{t('section.revenue', lang)} / {t('section.rounding', lang)} / "
            f"{t('section.audit', lang)}",
            "title",
        ),
    )


def _show_joint(
    v: RuleVersion, jp: JointProcurement, value_cols: list[render.Col], lang: Lang
) -> None:
    """The conditions of the joint rate."""
    render.table(
        value_cols,
        [
            _sourced(
                v,
                t("show.agreement_required", lang),
                jp.agreement_required,
                _yes(jp.agreement_required.value, lang),
                lang,
            ),
            _sourced(
                v, t("show.min_parties", lang), jp.min_parties, str(jp.min_parties.value), lang
            ),
            _sourced(
                v,
                t("show.declarer_must_be_party", lang),
                jp.declarer_must_be_party,
                _yes(jp.declarer_must_be_party.value, lang),
                lang,
            ),
            _sourced(
                v,
                t("show.concluded_by_fiscal_year_end", lang),
                jp.concluded_by_fiscal_year_end,
                _yes(jp.concluded_by_fiscal_year_end.value, lang),
                lang,
            ),
        ],
        title=(t("section.joint", lang), "title"),
    )


def _show_fiscal_strength(v: RuleVersion, lang: Lang) -> None:
    """The fiscal-strength adjustment: whether it applies, and its table (or that it has none)."""
    fs = v.file.fiscal_strength
    applies = fs.applies
    rows: list[list[render.Cell]] = [
        [
            t("show.fs_applies", lang),
            (_yes(applies.value, lang), "title"),
            cite(v, applies.source, lang),
            (applies.note(lang) or "", "dim"),
        ]
    ]
    if applies.value and not fs.has_table:
        rows.append([t("show.fs_table", lang), (t("show.fs_no_table", lang), "warn"), "", ""])
    for bracket in fs.multipliers:
        who = t(f"show.fs_entities.{bracket.entities or 'both'}", lang)
        rows.append(
            [
                t("fs.bracket", lang, range=bracket.interval()) + aside(who, lang),
                (f"× {plain(bracket.value)}", "title"),
                cite(v, bracket.source, lang),
                (bracket.note(lang) or "", "dim"),
            ]
        )
    render.table(
        [
            render.Col(t("what", lang)),
            render.Col(t("value", lang)),
            render.Col(t("source", lang)),
            render.Col(t("note", lang)),
        ],
        rows,
        title=(t("step.fiscal_strength", lang), "title"),
    )


# ── diff ─────────────────────────────────────────────────────────────────────────────────────


@rules_app.command(
    "diff", cls=Command, help=t("cmd.rules_diff", "ja") + "\n\n" + t("cmd.rules_diff", "en")
)
def rules_diff(
    ctx: typer.Context,
    first: Annotated[
        str, typer.Argument(metavar="A", show_default=False, help=both("help.diff_a"))
    ],
    second: Annotated[
        str, typer.Argument(metavar="B", show_default=False, help=both("help.diff_b"))
    ],
    *,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    language = run.lang
    with user_errors(language):
        found = load_rules(run.rules_dir, measure=run.measure)
        a = _resolve(found, first, language)
        b = _resolve(found, second, language)
    changes = diff(rule_values(a), rule_values(b))
    render.line(
        (
            t("diff_title", language, a=f"{a.version} ({a.path})", b=f"{b.version} ({b.path})"),
            "title",
        )
    )
    if not changes:
        render.line(t("diff_none", language))
        return
    render.table(
        [
            render.Col(t("what", language)),
            render.Col(t("change", language), no_wrap=True),
            render.Col(t("before", language)),
            render.Col(t("after", language)),
            render.Col(t("key", language)),
        ],
        [
            [
                describe(c, language),
                (t(c.kind, language), {"added": "ok", "removed": "bad"}.get(c.kind, "warn")),
                shown(c.before, c, language),
                shown(c.after, c, language),
                (c.key, "key"),
            ]
            for c in changes
        ],
        caption=t("diff_count", language, n=len(changes)),
    )


# ── validate ─────────────────────────────────────────────────────────────────────────────────


@rules_app.command(
    "validate",
    cls=Command,
    help=t("cmd.rules_validate", "ja") + "\n\n" + t("cmd.rules_validate", "en"),
)
def rules_validate(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE_OR_DIR", show_default=False, help=both("help.validate_path")),
    ],
    *,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    language = run.lang
    candidates, problems = read_rules(path)
    if not path.exists():
        candidates = []
    elif candidates or rule_files(path):
        try:
            loaded = load_rules(run.rules_dir)
        except RuleFileError:
            render.line((t("coverage_skipped", language), "warn"), stderr=True)
        else:
            # A candidate stands in for a loaded version that is the same file or version.
            same_bytes = {c.sha256 for c in candidates}
            same_version = {(c.measure, c.version) for c in candidates}
            kept = [
                v
                for v in loaded
                if v.sha256 not in same_bytes and (v.measure, v.version) not in same_version
            ]
            seen = {(p.file, p.key, p.detail) for p in problems}
            problems += [
                p
                for p in coverage_problems([*kept, *candidates])
                if (p.file, p.key, p.detail) not in seen
            ]
    if problems:
        _refused(problems, language)
    render.line(
        (
            t(
                "valid",
                language,
                files=str(path),
                versions=", ".join(
                    f"{c.measure} {c.version}: {_coverage(c, language)}" for c in candidates
                ),
            ),
            "ok",
        )
    )


def _refused(problems: list[Problem], lang: Lang) -> None:
    render.errors([t("invalid", lang, n=len(problems))], heading=t("error_prefix", lang))
    print_rule_problems(problems, lang, stderr=True)
    raise typer.Exit(EXIT_UNREADABLE)
