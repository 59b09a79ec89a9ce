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
from decimal import Decimal
from typing import Literal

from tokko.messages import Lang, has, t
from tokko.rules.fiscal_strength import interval

Kind = Literal["added", "removed", "changed", "reordered"]

#: Lists whose elements are matched by a field rather than by position.
_KEYED = {"expense_kinds": "id", "excluded_businesses.list": "name"}
#: Mappings whose keys are names of things (a source id, an alias), shown in 「」.
_NAMED = {"sources", "technologies.aliases.value"}
_QUALIFIERS = ("value", "source", "note_ja", "note_en", "also_cites")


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


def describe(change: Change, lang: Lang) -> str:
    """What changed, in words: 「経費区分「hardware」の対象・対象外」, "standard rate"."""
    tokens = list(change.path)
    qualifier = ""
    if tokens and tokens[-1] in _QUALIFIERS:
        last = tokens.pop()
        qualifier = "" if last == "value" else t(f"diff.qualifier.{last}", lang)
    keys = [token[1:-1] for token in tokens if token.startswith("[")]
    normal = ""
    for token in tokens:
        normal += "[*]" if token.startswith("[") else (f".{token}" if normal else token)
    if not has(f"diff.{normal}"):
        return change.key
    text = t(f"diff.{normal}", lang, k=keys[-1] if keys else "")
    return text + qualifier


def shown(value: object, change: Change, lang: Lang) -> str:
    """A value as a finance officer reads it."""
    if value is None:
        return "—"
    field = change.path[-1] if change.path else ""
    if isinstance(value, bool):
        if field == "eligible":
            return t("eligible_kind" if value else "ineligible_kind", lang)
        return t("yes" if value else "no", lang)
    if _dotted(change.path) == "fiscal_strength.multipliers":
        if isinstance(value, Mapping):
            return _bracket(value, lang)
        if isinstance(value, list | tuple):  # the whole table, bracket by bracket
            return ("；" if lang == "ja" else "; ").join(
                shown(v, change, lang) for v in value
            ) or "—"
    if isinstance(value, Mapping):
        return _shown_mapping(value, lang)
    if isinstance(value, list | tuple):
        return _join([shown(v, change, lang) for v in value], lang)
    return str(value)


def _bracket(value: Mapping[str, object], lang: Lang) -> str:
    """A bracket of the multiplier table: 「市町村: 0.40を超え0.80以下 → × 0.8」."""

    def bound(key: str) -> Decimal | None:
        found = value.get(key)
        return None if found is None else Decimal(str(found))

    who = t(f"show.fs_entities.{value.get('entities') or 'both'}", lang)
    span = t("fs.bracket", lang, range=interval(bound("above"), bound("up_to")))
    return f"{who}: {span} → × {value.get('value')}"


def _join(parts: Sequence[str], lang: Lang) -> str:
    return ("、" if lang == "ja" else ", ").join(parts) if parts else "—"


def _aliases(value: Mapping[str, object], lang: Lang) -> str:
    aliases = value.get("aliases")
    return _join([str(a) for a in aliases] if isinstance(aliases, list | tuple) else [], lang)


def _shown_mapping(value: Mapping[str, object], lang: Lang) -> str:
    if "id" in value and "eligible" in value:  # an expense kind
        status = t("eligible_kind" if value["eligible"] else "ineligible_kind", lang)
        return (
            f"{value.get('name_ja')} ({value['id']}): {status}; "
            f"{t('aliases', lang)}: {_aliases(value, lang)}"
        )
    if "name" in value and "aliases" in value:  # a standardization-target business
        return f"{value['name']}; {t('aliases', lang)}: {_aliases(value, lang)}"
    if "title" in value and "issuer" in value:  # a source
        date = value.get("date") or ""
        return f"{value['title']} ({value['issuer']}{', ' + str(date) if date else ''})"
    if "value" in value:  # a sourced value
        return str(value["value"])
    return "; ".join(f"{k}={v}" for k, v in value.items())
