"""What changed between two rule versions, in words a finance officer reads (``tokko rules diff``).

:func:`diff` compares two :func:`tokko.ruleset.rule_values` documents recursively: lists of
expense kinds and of excluded businesses are matched by their id or name, so that a business
added to the standardization-target list reads as "added", not as twenty shifted rows.
:func:`describe` names each change (「措置率（標準）」, "standard rate") and :func:`shown`
writes its values (対象/対象外, はい/いいえ, lists joined).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from tokko.cli.i18n import t

Kind = Literal["added", "removed", "changed", "reordered"]

#: Lists whose elements are matched by a field rather than by position.
_KEYED = {"expense_kinds": "id", "excluded_businesses.list": "name"}
#: Mappings whose keys are names of things (a source id, an alias), shown in 「」.
_NAMED = {"sources", "technologies.aliases.value"}
_QUALIFIERS = {
    "value": ("", ""),
    "source": ("の出典", " (source)"),
    "note": ("の注記", " (note)"),
    "also_cites": ("のその他の出典", " (also cites)"),
}
_LABELS: dict[str, tuple[str, str]] = {
    "measure.id": ("措置のID", "measure id"),
    "measure.version": ("版", "version"),
    "measure.name_ja": ("措置の名称（日本語）", "name of the measure (Japanese)"),
    "measure.name_en": ("措置の名称（英語）", "name of the measure (English)"),
    "measure.effective_from": ("適用開始年度", "first fiscal year in force"),
    "measure.effective_until": ("適用終了年度", "last fiscal year in force"),
    "measure.confirmed_through": ("出典で確認済みの最終年度", "confirmed by sources through"),
    "measure.confirmed_through_note": ("出典で確認済みの最終年度の注記",
                                       "note on the years confirmed"),
    "sources": ("出典", "sources"),
    "sources[*]": ("出典「{k}」", "source '{k}'"),
    "sources[*].title": ("出典「{k}」の表題", "title of source '{k}'"),
    "sources[*].issuer": ("出典「{k}」の発出者", "issuer of source '{k}'"),
    "sources[*].date": ("出典「{k}」の日付", "date of source '{k}'"),
    "sources[*].url": ("出典「{k}」のURL", "URL of source '{k}'"),
    "sources[*].note": ("出典「{k}」の注記", "note on source '{k}'"),
    "rates.standard": ("措置率（標準）", "standard rate"),
    "rates.joint": ("措置率（協定による共同調達）", "joint-procurement rate"),
    "joint_procurement.agreement_required": ("共同調達の条件: 協定の締結が必要",
                                             "joint rate condition: agreement required"),
    "joint_procurement.min_parties": ("共同調達の条件: 協定の最少構成団体数",
                                      "joint rate condition: minimum number of parties"),
    "joint_procurement.declarer_must_be_party": (
        "共同調達の条件: 申告団体が協定の構成団体であること",
        "joint rate condition: the declaring government is a party"),
    "joint_procurement.concluded_by_fiscal_year_end": (
        "共同調達の条件: 年度末までに協定を締結",
        "joint rate condition: agreement concluded by the end of the fiscal year"),
    "technologies.eligible": ("対象技術", "eligible technologies"),
    "technologies.aliases": ("技術の別名", "technology aliases"),
    "technologies.aliases.value[*]": ("技術の別名「{k}」", "technology alias '{k}'"),
    "expense_kinds": ("経費区分", "expense kinds"),
    "expense_kinds[*]": ("経費区分「{k}」", "expense kind '{k}'"),
    "expense_kinds[*].eligible": ("経費区分「{k}」の対象・対象外",
                                  "whether expense kind '{k}' is eligible"),
    "expense_kinds[*].aliases": ("経費区分「{k}」の別名", "aliases of expense kind '{k}'"),
    "expense_kinds[*].name_ja": ("経費区分「{k}」の名称", "Japanese name of expense kind '{k}'"),
    "excluded_businesses": ("対象外の標準化対象事務", "excluded standardization-target work"),
    "excluded_businesses.list": ("標準化対象事務の一覧", "standardization-target businesses"),
    "excluded_businesses.list[*]": ("標準化対象事務「{k}」",
                                    "standardization-target business '{k}'"),
    "excluded_businesses.list[*].aliases": ("標準化対象事務「{k}」の別名",
                                            "aliases of standardization-target business '{k}'"),
    "specific_revenue.deduct": ("特定財源の控除", "deduction of specific revenue"),
    "rounding.unit": ("端数処理の単位（円）", "rounding unit (yen)"),
    "rounding.mode": ("端数処理の方法", "rounding mode"),
    "rounding.scope": ("端数処理の対象", "what is rounded"),
    "exclusion_order": ("除外理由の優先順", "order of exclusion reasons"),
    "audit_checks.duplicate_contract": ("審査: 同じ契約番号の重複", "review: repeated contract"),
    "audit_checks.joint_shares_within_contract_total": (
        "審査: 共同調達の負担額の合計と契約総額", "review: joint shares within the contract total"),
}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: where (path tokens), what kind, the value before and after."""

    path: tuple[str, ...]
    kind: Kind
    before: object = None
    after: object = None

    @property
    def key(self) -> str:
        """The key path as a rule file's reader writes it: ``expense_kinds[hardware].eligible``."""
        out = ""
        for token in self.path:
            out += token if token.startswith("[") or not out else f".{token}"
        return out


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(p for p in path if not p.startswith("["))


def _element_key(item: object, field: str) -> str | None:
    if isinstance(item, Mapping) and isinstance(item.get(field), str):
        return str(item[field])
    return None


def diff(a: object, b: object, path: tuple[str, ...] = ()) -> list[Change]:
    """Every difference between two rule documents (or parts of them), in document order."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        named = _dotted(path) in _NAMED
        changes: list[Change] = []
        for key in [*a, *(k for k in b if k not in a)]:
            token = f"[{key}]" if named else str(key)
            if key not in b:
                changes.append(Change((*path, token), "removed", a[key], None))
            elif key not in a:
                changes.append(Change((*path, token), "added", None, b[key]))
            else:
                changes += diff(a[key], b[key], (*path, token))
        return changes
    if isinstance(a, list) and isinstance(b, list):
        return _diff_lists(a, b, path)
    if a != b:
        return [Change(path, "changed", a, b)]
    return []


def _diff_lists(a: list[object], b: list[object], path: tuple[str, ...]) -> list[Change]:
    field = _KEYED.get(_dotted(path))
    keys_a = [_element_key(x, field) for x in a] if field else []
    keys_b = [_element_key(x, field) for x in b] if field else []
    if field and None not in keys_a and None not in keys_b:
        by_a = dict(zip(keys_a, a, strict=True))
        by_b = dict(zip(keys_b, b, strict=True))
        changes: list[Change] = []
        for key in [*keys_a, *(k for k in keys_b if k not in by_a)]:
            token = f"[{key}]"
            if key not in by_b:
                changes.append(Change((*path, token), "removed", by_a[key], None))
            elif key not in by_a:
                changes.append(Change((*path, token), "added", None, by_b[key]))
            else:
                changes += diff(by_a[key], by_b[key], (*path, token))
        return changes
    if all(not isinstance(x, Mapping | list) for x in (*a, *b)):
        removed = [x for x in a if x not in b]
        added = [x for x in b if x not in a]
        changes = [Change(path, "removed", x, None) for x in removed]
        changes += [Change(path, "added", None, x) for x in added]
        if not changes and a != b:
            changes.append(Change(path, "reordered", a, b))
        return changes
    return [] if a == b else [Change(path, "changed", a, b)]


def describe(change: Change, lang: str) -> str:
    """What changed, in words: 「経費区分「hardware」の対象・対象外」, "standard rate"."""
    tokens = list(change.path)
    qualifier = ("", "")
    if tokens and tokens[-1] in _QUALIFIERS:
        qualifier = _QUALIFIERS[tokens.pop()]
    keys = [token[1:-1] for token in tokens if token.startswith("[")]
    normal = ""
    for token in tokens:
        normal += "[*]" if token.startswith("[") else (f".{token}" if normal else token)
    labels = _LABELS.get(normal)
    if labels is None:
        return change.key
    text = labels[0] if lang == "ja" else labels[1]
    if keys:
        text = text.format(k=keys[-1])
    return text + (qualifier[0] if lang == "ja" else qualifier[1])


def shown(value: object, change: Change, lang: str) -> str:
    """A value as a finance officer reads it."""
    if value is None:
        return "—"
    field = change.path[-1] if change.path else ""
    if isinstance(value, bool):
        if field == "eligible":
            return t("eligible_kind" if value else "ineligible_kind", lang)
        return t("yes" if value else "no", lang)
    if isinstance(value, Mapping):
        return _shown_mapping(value, lang)
    if isinstance(value, list | tuple):
        return _join([shown(v, change, lang) for v in value], lang)
    return str(value)


def _join(parts: Sequence[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(parts) if parts else "—"


def _aliases(value: Mapping[str, object], lang: str) -> str:
    aliases = value.get("aliases")
    return _join([str(a) for a in aliases] if isinstance(aliases, list | tuple) else [], lang)


def _shown_mapping(value: Mapping[str, object], lang: str) -> str:
    if "id" in value and "eligible" in value:  # an expense kind
        status = t("eligible_kind" if value["eligible"] else "ineligible_kind", lang)
        return (f"{value.get('name_ja')} ({value['id']}): {status}; "
                f"{t('aliases', lang)}: {_aliases(value, lang)}")
    if "name" in value and "aliases" in value:  # a standardization-target business
        return f"{value['name']}; {t('aliases', lang)}: {_aliases(value, lang)}"
    if "title" in value and "issuer" in value:  # a source
        date = value.get("date") or ""
        return f"{value['title']} ({value['issuer']}{', ' + str(date) if date else ''})"
    if "value" in value:  # a sourced value
        return str(value["value"])
    return "; ".join(f"{k}={v}" for k, v in value.items())
