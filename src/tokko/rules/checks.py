"""Checking a rule file: every problem at once, each a :class:`~tokko.model.problem.Problem`.

Two kinds of problem, found in one round:

- what the schema (:mod:`tokko.rules.schema`) refuses, from pydantic's errors
  (:func:`schema_problems`);
- what is wrong across keys — a citation of a source ``[sources]`` lacks, an
  ``exclusion_order`` that does not name each step once, a name given twice (an expense kind, a
  business, an alias, a technology) — checked on the parsed TOML itself, so that they are
  reported even when other keys are wrong (:func:`cross_problems`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from tokko.messages import has
from tokko.model.codes import ErrorCode
from tokko.model.problem import Problem
from tokko.model.text import fold


def problem(file: str, key: str, detail: str, **params: object) -> Problem:
    """A problem of a rule file at ``key``."""
    return Problem(
        ErrorCode.INVALID_RULE_FILE, detail, MappingProxyType(params), file=file, key=key or "—"
    )


def key_path(loc: tuple[int | str, ...]) -> str:
    """``("rates", "joint", "value")`` → ``rates.joint.value``; ``("kinds", 2)`` → ``kinds[2]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_problems(error: ValidationError, file: str) -> list[Problem]:
    """One problem per pydantic error: its key path, and what was expected."""
    problems = []
    for detail in error.errors():
        loc = tuple(
            p for p in detail["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        context: dict[str, Any] = dict(detail.get("ctx") or {})
        kind = str(detail["type"])
        if kind == "tokko_rule":
            problems.append(problem(file, key_path(loc), context["detail"], **context["params"]))
        elif has(f"pydantic.{kind}"):
            problems.append(
                problem(
                    file,
                    key_path(loc),
                    f"pydantic.{kind}",
                    **{k: str(v) for k, v in context.items()},
                )
            )
        else:
            message = str(detail["msg"]).removeprefix("Value error, ")
            problems.append(problem(file, key_path(loc), "pydantic.other", text=message))
    return problems


# ── checks across keys, on the parsed TOML ──────────────────────────────────────────────────


def cross_problems(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """What is wrong across keys, found even where other keys are wrong."""
    return [
        *_unknown_citations(raw, file),
        *_exclusion_order(raw, file),
        *_kind_names(raw, file),
        *_business_names(raw, file),
        *_technologies(raw, file),
    ]


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


def _unknown_citations(raw: Mapping[str, Any], file: str) -> list[Problem]:
    sources = raw.get("sources")
    if not isinstance(sources, Mapping):
        return []  # the schema reports the missing [sources]
    return [
        problem(file, path, "rule.unknown_source", source=source)
        for path, source in _citations(raw, "")
        if source not in sources
    ]


def _exclusion_order(raw: Mapping[str, Any], file: str) -> list[Problem]:
    table = raw.get("exclusion_order")
    order = table.get("value") if isinstance(table, Mapping) else None
    steps = ["technology", "expense_kind", "first_year"]
    if isinstance(raw.get("excluded_businesses"), Mapping):
        steps.insert(2, "standardization_target")
    if not isinstance(order, list) or not all(isinstance(s, str) for s in order):
        return []  # the schema reports a missing list
    if sorted(order) == sorted(steps):
        return []
    return [problem(file, "exclusion_order.value", "rule.exclusion_order", steps=", ".join(steps))]


def _twice(file: str, names: list[tuple[str, str, str]], detail: str) -> list[Problem]:
    """``names`` are (key, name, owner): a name (folded) met a second time — for another owner,
    or the same one — is a problem at the later key."""
    seen: dict[str, str] = {}
    found = []
    for key, name, owner in names:
        folded = fold(name).replace(" ", "").casefold()
        if folded in seen:
            found.append(problem(file, key, detail, name=name, first=seen[folded], second=owner))
        else:
            seen[folded] = owner
    return found


def _kind_names(raw: Mapping[str, Any], file: str) -> list[Problem]:
    kinds = raw.get("expense_kinds")
    if not isinstance(kinds, list):
        return []
    names = []
    for index, kind in enumerate(kinds):
        if not isinstance(kind, Mapping) or not isinstance(kind.get("id"), str):
            continue
        aliases = kind.get("aliases")
        for name in (
            kind["id"],
            kind.get("name_ja"),
            *(aliases if isinstance(aliases, list) else []),
        ):
            if isinstance(name, str):
                names.append((f"expense_kinds[{index}]", name, kind["id"]))
    return _twice(file, names, "rule.name_twice.kind")


def _business_names(raw: Mapping[str, Any], file: str) -> list[Problem]:
    table = raw.get("excluded_businesses")
    businesses = table.get("list") if isinstance(table, Mapping) else None
    if not isinstance(businesses, list):
        return []
    names = []
    for index, business in enumerate(businesses):
        if not isinstance(business, Mapping) or not isinstance(business.get("name"), str):
            continue
        aliases = business.get("aliases")
        for name in (business["name"], *(aliases if isinstance(aliases, list) else [])):
            if isinstance(name, str):
                names.append((f"excluded_businesses.list[{index}]", name, business["name"]))
    return _twice(file, names, "rule.name_twice.business")


def _technologies(raw: Mapping[str, Any], file: str) -> list[Problem]:
    table = raw.get("technologies")
    if not isinstance(table, Mapping):
        return []
    eligible = table.get("eligible")
    values = eligible.get("value") if isinstance(eligible, Mapping) else None
    names = [("technologies.eligible.value", v, v) for v in values or () if isinstance(v, str)]
    found = []
    seen: set[str] = set()
    for key, name, _ in names:
        folded = fold(name).casefold()
        if folded in seen:
            found.append(problem(file, key, "rule.name_twice.technology", name=name))
        seen.add(folded)
    aliases = table.get("aliases")
    mapping = aliases.get("value") if isinstance(aliases, Mapping) else None
    if isinstance(mapping, Mapping):
        for alias in mapping:
            folded = fold(str(alias)).casefold()
            if folded in seen:
                found.append(
                    problem(
                        file, "technologies.aliases.value", "rule.name_twice.technology", name=alias
                    )
                )
            seen.add(folded)
    return found
