"""``tokko rules list|show|diff|validate`` and ``tokko --version``: the rule versions."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tokko import RuleSet, RuleVersion, __version__, load_rules
from tokko.cli import render
from tokko.cli.common import cite, fail, print_problems, rules_of, user_errors
from tokko.cli.i18n import pick, t, yes_no
from tokko.cli.rulediff import describe, diff, shown
from tokko.cli.settings import EXIT_UNREADABLE, EXIT_USAGE, Settings, ShowFormat
from tokko.errors import RuleFileError, RuleProblem
from tokko.fiscal_year import fiscal_year_label
from tokko.money import plain
from tokko.rulefile import Sourced
from tokko.ruleset import (
    check_rules,
    coverage_problems,
    parse_rule_file,
    rule_values,
    shipped_rules_dir,
)


def _coverage(version: RuleVersion, lang: str) -> str:
    start = version.file.measure.effective_from
    until = version.until
    if lang == "ja":
        first = f"{start}年度（{fiscal_year_label(start)}）"
        last = f"{until}年度（{fiscal_year_label(until)}）" if until is not None else t(
            "open_end", lang)
        return f"{first}〜{last}"
    return f"FY{start}–" + (f"FY{until}" if until is not None else " " + t("open_end", lang))


def _confirmed(version: RuleVersion, lang: str) -> str:
    through = version.file.measure.confirmed_through
    if through is None:
        return "—"
    return f"{through}年度まで" if lang == "ja" else f"FY{through}"


def print_version(lang: str) -> None:
    """``tokko --version``: tokko's version, then each shipped rule version and its coverage."""
    typer.echo(f"tokko {__version__}")
    with user_errors(lang):
        rules = load_rules(shipped_rules_dir())
    for v in rules:
        typer.echo("  " + t("version_line", lang, measure=v.measure, version=v.version,
                            path=v.path, coverage=_coverage(v, lang),
                            confirmed=_confirmed(v, lang)))


# ── list ─────────────────────────────────────────────────────────────────────────────────────


def run_list(settings: Settings) -> None:
    """The rule versions of the rule set in a table."""
    lang = settings.lang
    with user_errors(lang):
        rules = rules_of(settings)
    rows: list[list[render.Cell]] = []
    for v in rules:
        titles = "\n".join(f"{s.title}（{s.issuer}）" if lang == "ja" else f"{s.title} ({s.issuer})"
                           for s in v.file.sources.values())
        rows.append([v.measure, (v.version, "title"), v.path, _coverage(v, lang),
                     _confirmed(v, lang), (v.sha256[:12], "dim"), titles])
    render.table(
        [render.Col(t("measure_id", lang), no_wrap=True), render.Col(t("version", lang),
                                                                      no_wrap=True),
         render.Col(t("path", lang), no_wrap=True), render.Col(t("coverage", lang)),
         render.Col(t("confirmed_through", lang)), render.Col(t("sha256", lang), no_wrap=True),
         render.Col(t("sources", lang))],
        rows,
        title=(t("rules_title", lang, root=rules.root or ""), "title"),
    )


# ── show ─────────────────────────────────────────────────────────────────────────────────────


def _resolve(rules: RuleSet, wanted: str, lang: str) -> RuleVersion:
    """A version (``2021.1``), a file of the set (``ai-rpa/2021.toml``) or a rule file's path."""
    candidate = Path(wanted)
    if candidate.is_file():
        version, problems = parse_rule_file(candidate.read_bytes(), str(candidate))
        if version is None:
            raise RuleFileError(problems)
        return version
    for measure in rules.measures:
        try:
            return rules.get(wanted, measure)
        except KeyError:
            continue
    known = ", ".join(f"{v.version} ({v.path})" for v in rules)
    raise fail(t("unknown_version", lang, version=wanted, known=known or "—"), lang, EXIT_USAGE)


def run_show(settings: Settings, version: str, *, output_format: ShowFormat) -> None:
    """One version in full: tables of every value with its source and note, or its JSON."""
    lang = settings.lang
    with user_errors(lang):
        chosen = _resolve(rules_of(settings), version, lang)
    if output_format is ShowFormat.json:
        typer.echo(json.dumps(rule_values(chosen), ensure_ascii=False, indent=2))
        return
    _show(chosen, lang)


def _sourced(v: RuleVersion, label: str, sourced: Sourced, shown: str,
             lang: str) -> list[render.Cell]:
    """One row: what, the value as shown, its source and its note."""
    return [label, (shown, "title"), cite(v, sourced.source, lang), (pick(sourced.note, lang),
                                                                     "dim")]


def _show(v: RuleVersion, lang: str) -> None:
    f = v.file
    m = f.measure
    render.fields([
        (t("measure_id", lang), f"{m.name_ja}" if lang == "ja" else m.name_en),
        (t("id", lang), m.id),
        (t("version", lang), (m.version, "title")),
        (t("path", lang), f"{v.path}  sha256 {v.sha256}"),
        (t("coverage", lang), _coverage(v, lang)),
        (t("confirmed_through", lang), _confirmed(v, lang)),
        (t("note", lang), (pick(m.confirmed_through_note, lang), "dim")),
    ], title=(f"{m.id} {m.version}", "title"))
    value_cols = [render.Col(t("what", lang)), render.Col(t("value", lang)),
                  render.Col(t("source", lang)), render.Col(t("note", lang))]
    render.table(
        [render.Col(t("id", lang), no_wrap=True), render.Col(t("name", lang)),
         render.Col(t("issuer", lang)), render.Col(t("date", lang), no_wrap=True),
         render.Col(t("url", lang)), render.Col(t("note", lang))],
        [[(key, "key"), s.title, s.issuer, s.date.isoformat() if s.date else "—", s.url or "",
          (pick(s.note, lang), "dim")] for key, s in f.sources.items()],
        title=(t("section.sources", lang), "title"))
    jp = f.joint_procurement
    ja = lang == "ja"
    render.table(value_cols, [
        _sourced(v, "標準" if ja else "standard", f.rates.standard, plain(f.rates.standard.value),
                 lang),
        _sourced(v, "協定による共同調達" if ja else "joint, under an agreement", f.rates.joint,
                 plain(f.rates.joint.value), lang),
    ], title=(t("section.rates", lang), "title"))
    render.table(value_cols, [
        _sourced(v, "協定の締結が必要" if ja else "agreement required", jp.agreement_required,
                 yes_no(jp.agreement_required.value, lang), lang),
        _sourced(v, "協定の最少構成団体数" if ja else "minimum parties", jp.min_parties,
                 str(jp.min_parties.value), lang),
        _sourced(v, "申告団体が構成団体であること" if ja else "declarer must be a party",
                 jp.declarer_must_be_party, yes_no(jp.declarer_must_be_party.value, lang), lang),
        _sourced(v, "年度末までに協定を締結" if ja else "concluded by fiscal-year end",
                 jp.concluded_by_fiscal_year_end,
                 yes_no(jp.concluded_by_fiscal_year_end.value, lang), lang),
    ], title=(t("section.joint", lang), "title"))
    tech = f.technologies
    tech_rows = [_sourced(v, "対象" if ja else "eligible", tech.eligible,
                          ", ".join(tech.eligible.value), lang)]
    if tech.aliases is not None:
        tech_rows.append(_sourced(v, t("aliases", lang), tech.aliases, ", ".join(
            f"{k} → {target}" for k, target in tech.aliases.value.items()), lang))
    render.table(value_cols, tech_rows, title=(t("section.technologies", lang), "title"))
    render.table(
        [render.Col(t("id", lang), no_wrap=True), render.Col(t("name", lang)),
         render.Col(t("eligibility", lang), no_wrap=True), render.Col(t("aliases", lang)),
         render.Col(t("source", lang)), render.Col(t("note", lang))],
        [[(k.id, "key"), k.name_ja,
          (t("eligible_kind", lang), "ok") if k.eligible else (t("ineligible_kind", lang), "warn"),
          "、".join(k.aliases), cite(v, k.source, lang), (pick(k.note, lang), "dim")]
         for k in f.expense_kinds],
        title=(t("section.expense_kinds", lang), "title"))
    excluded = f.excluded_businesses
    sources = [cite(v, s, lang) for s in (excluded.source, *excluded.also_cites)]
    render.table(
        [render.Col("#", "right"), render.Col(t("name", lang)), render.Col(t("aliases", lang))],
        [[str(i), (b.name, "title"), "、".join(b.aliases)]
         for i, b in enumerate(excluded.businesses, start=1)],
        title=(t("section.excluded", lang, n=len(excluded.businesses)), "title"),
        caption=(f"{t('source', lang)}: " + " / ".join(sources) + "\n"
                 + f"{t('note', lang)}: {pick(excluded.note, lang)}", "dim"))
    rounding = f.rounding
    render.table(value_cols, [
        _sourced(v, t("section.revenue", lang), f.specific_revenue.deduct,
                 yes_no(f.specific_revenue.deduct.value, lang), lang),
        _sourced(v, "単位（円）" if ja else "unit (yen)", rounding.unit,
                 plain(rounding.unit.value), lang),
        _sourced(v, "方法" if ja else "mode", rounding.mode, rounding.mode.value, lang),
        _sourced(v, "対象" if ja else "scope", rounding.scope, rounding.scope.value, lang),
        _sourced(v, t("section.order", lang), f.exclusion_order,
                 " → ".join(f.exclusion_order.value), lang),
        _sourced(v, "契約番号の重複" if ja else "repeated contract",
                 f.audit_checks.duplicate_contract,
                 yes_no(f.audit_checks.duplicate_contract.value, lang), lang),
        _sourced(v, "共同調達の負担額の合計と契約総額" if ja
                 else "joint shares within contract total",
                 f.audit_checks.joint_shares_within_contract_total,
                 yes_no(f.audit_checks.joint_shares_within_contract_total.value, lang), lang),
    ], title=(f"{t('section.revenue', lang)} / {t('section.rounding', lang)} / "
              f"{t('section.audit', lang)}", "title"))


# ── diff ─────────────────────────────────────────────────────────────────────────────────────


def run_diff(settings: Settings, first: str, second: str) -> None:
    """What changed from version ``first`` to version ``second``, in words."""
    lang = settings.lang
    with user_errors(lang):
        rules = rules_of(settings)
        a = _resolve(rules, first, lang)
        b = _resolve(rules, second, lang)
    changes = diff(rule_values(a), rule_values(b))
    render.line((t("diff_title", lang, a=f"{a.version} ({a.path})", b=f"{b.version} ({b.path})"),
                 "title"))
    if not changes:
        render.line(t("diff_none", lang))
        return
    render.table(
        [render.Col(t("what", lang)), render.Col(t("change", lang), no_wrap=True),
         render.Col(t("before", lang)), render.Col(t("after", lang)),
         render.Col(t("key", lang))],
        [[describe(c, lang), (t(c.kind, lang), {"added": "ok", "removed": "bad"}.get(c.kind,
                                                                                  "warn")),
          shown(c.before, c, lang), shown(c.after, c, lang), (c.key, "key")] for c in changes],
        caption=t("diff_count", lang, n=len(changes)),
    )


# ── validate ─────────────────────────────────────────────────────────────────────────────────


def _candidates(path: Path) -> list[RuleVersion]:
    """The rule files of ``path`` that parse, named as :func:`tokko.ruleset.check_rules` does."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*.toml") if p.is_file())
    found = []
    for file in files:
        name = file.name if path.is_file() else file.relative_to(path).as_posix()
        try:
            version, _ = parse_rule_file(file.read_bytes(), name)
        except OSError:
            continue
        if version is not None:
            found.append(version)
    return found


def run_validate(settings: Settings, path: Path) -> None:
    """Every problem of a candidate rule file or folder; exit 3 when there is any."""
    lang = settings.lang
    problems: list[RuleProblem] = list(check_rules(path))
    candidates = _candidates(path) if path.exists() else []
    if candidates:
        try:
            loaded = rules_of(settings)
        except RuleFileError:
            render.line((t("coverage_skipped", lang), "warn"), stderr=True)
        else:
            # A candidate stands in for a loaded version that is the same file or the same version.
            same_bytes = {c.sha256 for c in candidates}
            same_version = {(c.measure, c.version) for c in candidates}
            kept = [v for v in loaded if v.sha256 not in same_bytes
                    and (v.measure, v.version) not in same_version]
            seen = {(p.file, p.key, p.reason) for p in problems}
            problems += [p for p in coverage_problems([*kept, *candidates])
                         if (p.file, p.key, p.reason) not in seen]
    if problems:
        render.errors([t("invalid", lang, n=len(problems))], heading=t("error_prefix", lang))
        print_problems(problems, lang, stderr=True)
        raise typer.Exit(EXIT_UNREADABLE)
    render.line((t("valid", lang, files=str(path), versions=", ".join(
        f"{c.measure} {c.version}: {_coverage(c, lang)}" for c in candidates)), "ok"))
