"""Checking a candidate rule file: every problem at once, each in Japanese and English.

Two kinds of problem, found in one round:

- what the schema (:mod:`tokko.rulefile`) refuses, from pydantic's errors, its English reason
  given in Japanese as well (:func:`schema_problems`);
- what is wrong across keys — a citation of a source ``[sources]`` lacks, an ``exclusion_order``
  that does not name each step once, one expense-kind name given to two kinds — checked on the
  parsed TOML itself, so that they are reported even when other keys are wrong
  (:func:`cross_problems`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from tokko.errors import RuleProblem
from tokko.text import fold

#: The steps ``exclusion_order`` must name, once each.
EXCLUSION_STEPS = ("technology", "expense_kind", "standardization_target")

#: pydantic error types in Japanese; ``{name}`` are the error's context values.
_JA: dict[str, str] = {
    "missing": "必須の項目がありません",
    "extra_forbidden": "規則ファイルにない項目です（綴りの誤りではありませんか）",
    "greater_than_equal": "{ge} 以上が必要です",
    "less_than_equal": "{le} 以下が必要です",
    "greater_than": "{gt} より大きい値が必要です",
    "less_than": "{lt} より小さい値が必要です",
    "string_type": "文字列が必要です",
    "string_too_short": "空にはできません",
    "string_pattern_mismatch": "形式が違います（{pattern}）",
    "int_type": "整数が必要です",
    "int_parsing": "整数が必要です",
    "int_from_float": "整数が必要です",
    "bool_type": "true または false が必要です",
    "bool_parsing": "true または false が必要です",
    "decimal_type": "数値が必要です",
    "decimal_parsing": "数値が必要です",
    "date_type": "日付（例: 2021-04-01）が必要です",
    "date_parsing": "日付（例: 2021-04-01）が必要です",
    "date_from_datetime_parsing": "日付（例: 2021-04-01）が必要です",
    "date_from_datetime_inexact": "時刻のない日付（例: 2021-04-01）が必要です",
    "literal_error": "次のいずれかが必要です: {expected}",
    "too_short": "少なくとも {min_length} 個必要です",
    "dict_type": "表（テーブル）が必要です",
    "model_type": "表（テーブル）が必要です",
    "model_attributes_type": "表（テーブル）が必要です",
    "list_type": "配列が必要です",
    "tuple_type": "配列が必要です",
}


def key_path(loc: tuple[int | str, ...]) -> str:
    """``("rates", "joint", "value")`` → ``rates.joint.value``; ``("kinds", 2)`` → ``kinds[2]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _japanese(detail: Mapping[str, Any], english: str) -> str:
    context = detail.get("ctx") or {}
    if "ja" in context:  # a rule of tokko.rulefile, stated in both languages
        return str(context["ja"])
    template = _JA.get(str(detail["type"]))
    if template is None:
        return english
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return english


def schema_problems(error: ValidationError, file: str) -> list[RuleProblem]:
    """One problem per pydantic error: its key path, reason in English and in Japanese."""
    problems = []
    for detail in error.errors():
        english = str(detail["msg"]).removeprefix("Value error, ")
        loc = tuple(p for p in detail["loc"]
                    if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(RuleProblem(file, key_path(loc), english, _japanese(detail, english)))
    return problems


# ── checks across keys, on the parsed TOML ──────────────────────────────────────────────────


def cross_problems(raw: Mapping[str, Any], file: str) -> list[RuleProblem]:
    """What is wrong across keys, found even where other keys are wrong."""
    return [*_unknown_citations(raw, file), *_exclusion_order(raw, file),
            *_kind_names(raw, file)]


def _citations(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every (key path, source id) a table cites with ``source`` or ``also_cites``."""
    if isinstance(node, Mapping):
        source = node.get("source")
        if isinstance(source, str):
            yield path, source
        cites = node.get("also_cites")
        if isinstance(cites, list):
            yield from ((f"{path}.also_cites", c) for c in cites if isinstance(c, str))
        for name, child in node.items():
            if name not in ("sources", "value"):  # a value is data, never a citation
                yield from _citations(child, f"{path}.{name}" if path else str(name))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _citations(child, f"{path}[{i}]")


def _unknown_citations(raw: Mapping[str, Any], file: str) -> list[RuleProblem]:
    sources = raw.get("sources")
    if not isinstance(sources, Mapping):
        return []  # the schema reports the missing [sources]
    return [
        RuleProblem(file, path, f"cites source {source!r}, which [sources] does not define",
                    f"出典「{source}」を挙げていますが、[sources] にありません")
        for path, source in _citations(raw, "")
        if source not in sources
    ]


def _exclusion_order(raw: Mapping[str, Any], file: str) -> list[RuleProblem]:
    table = raw.get("exclusion_order")
    order = table.get("value") if isinstance(table, Mapping) else None
    if not isinstance(order, list) or not all(step in EXCLUSION_STEPS for step in order):
        return []  # the schema reports a missing list or an unknown step
    if sorted(order) == sorted(EXCLUSION_STEPS):
        return []
    steps = ", ".join(EXCLUSION_STEPS)
    return [RuleProblem(file, "exclusion_order.value",
                        f"exclusion_order must name {steps} once each",
                        f"exclusion_order には {steps} を1回ずつ書きます")]


def _kind_names(raw: Mapping[str, Any], file: str) -> list[RuleProblem]:
    kinds = raw.get("expense_kinds")
    if not isinstance(kinds, list):
        return []
    problems = []
    seen: dict[str, str] = {}
    for index, kind in enumerate(kinds):
        if not isinstance(kind, Mapping) or not isinstance(kind.get("id"), str):
            continue
        aliases = kind.get("aliases")
        names = [kind["id"], kind.get("name_ja"), *(aliases if isinstance(aliases, list) else [])]
        for name in names:
            if not isinstance(name, str):
                continue
            folded = fold(name).casefold()
            owner = seen.setdefault(folded, kind["id"])
            if owner != kind["id"]:
                problems.append(RuleProblem(
                    file, f"expense_kinds[{index}]",
                    f"expense kind name {name!r} is given to both {owner!r} and {kind['id']!r}",
                    f"経費区分の名前「{name}」が「{owner}」と「{kind['id']}」の両方にあります",
                ))
    return problems
