"""What the engine reads of one rule file: its validated content as plain, immutable data.

:mod:`tokko.rulefile` validates a file with pydantic; :class:`RuleData` is built from the JSON
form of the validated file (``RuleFile.model_dump(mode="json", by_alias=True)``), which is what
:mod:`tokko.rulecache` keeps on disk. So a command that only computes (``tokko check``) needs
neither pydantic nor a second validation once a file's content has been validated.

Every policy value is a :class:`Sourced`: the value, the rule key it comes from, its source id and
the note that says when it is an interpretation; explanations cite these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Sourced(NamedTuple, Generic[T]):
    """A policy value, the rule key it was read from, its source id and note."""

    key: str
    value: T
    source: str
    note: str | None = None


class Source(NamedTuple):
    """A document a value rests on: a statute, a ministry notice, an audit report."""

    title: str
    issuer: str
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class ExpenseKind(NamedTuple):
    """One expense kind (経費区分) and whether the measure counts it."""

    id: str
    name_ja: str
    aliases: tuple[str, ...]
    eligible: bool
    source: str
    note: str | None = None


class ExcludedBusiness(NamedTuple):
    """One standardization-target business (標準化対象事務) and its common names."""

    name: str
    aliases: tuple[str, ...] = ()


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _sourced(data: Mapping[str, Any], key: str, convert: Callable[[Any], T]) -> Sourced[T]:
    node: Any = data
    for part in key.split("."):
        node = node[part]
    return Sourced(key, convert(node["value"]), node["source"], node.get("note"))


class RuleData(NamedTuple):
    """One version of one measure, validated, as the engine and the explanations read it."""

    measure_id: str
    version: str
    name_ja: str
    name_en: str
    effective_from: int
    effective_until: int | None
    confirmed_through: int | None
    confirmed_through_note: str | None
    sources: Mapping[str, Source]
    rate_standard: Sourced[Decimal]
    rate_joint: Sourced[Decimal]
    agreement_required: Sourced[bool]
    min_parties: Sourced[int]
    declarer_must_be_party: Sourced[bool]
    concluded_by_fiscal_year_end: Sourced[bool]
    technologies: Sourced[tuple[str, ...]]
    technology_aliases: Mapping[str, str]
    expense_kinds: tuple[ExpenseKind, ...]
    excluded_businesses: Sourced[tuple[ExcludedBusiness, ...]]
    deduct_specific_revenue: Sourced[bool]
    rounding_unit: Sourced[Decimal]
    rounding_mode: Sourced[str]
    rounding_scope: Sourced[str]
    exclusion_order: Sourced[tuple[str, ...]]
    duplicate_contract: Sourced[bool]
    joint_shares_within_contract_total: Sourced[bool]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuleData:
        """Build from a validated file's JSON form; a KeyError or ValueError means it is not one."""
        measure = data["measure"]
        aliases = data["technologies"].get("aliases")
        businesses = data["excluded_businesses"]
        return cls(
            measure_id=measure["id"],
            version=measure["version"],
            name_ja=measure["name_ja"],
            name_en=measure["name_en"],
            effective_from=int(measure["effective_from"]),
            effective_until=measure.get("effective_until"),
            confirmed_through=measure.get("confirmed_through"),
            confirmed_through_note=measure.get("confirmed_through_note"),
            sources={
                key: Source(s["title"], s["issuer"],
                            dt.date.fromisoformat(s["date"]) if s.get("date") else None,
                            s.get("url"), s.get("note"))
                for key, s in data["sources"].items()
            },
            rate_standard=_sourced(data, "rates.standard", Decimal),
            rate_joint=_sourced(data, "rates.joint", Decimal),
            agreement_required=_sourced(data, "joint_procurement.agreement_required", bool),
            min_parties=_sourced(data, "joint_procurement.min_parties", int),
            declarer_must_be_party=_sourced(data, "joint_procurement.declarer_must_be_party",
                                            bool),
            concluded_by_fiscal_year_end=_sourced(
                data, "joint_procurement.concluded_by_fiscal_year_end", bool),
            technologies=_sourced(data, "technologies.eligible", _tuple),
            technology_aliases=dict(aliases["value"]) if aliases else {},
            expense_kinds=tuple(
                ExpenseKind(k["id"], k["name_ja"], _tuple(k.get("aliases", ())),
                            bool(k["eligible"]), k["source"], k.get("note"))
                for k in data["expense_kinds"]
            ),
            excluded_businesses=Sourced(
                "excluded_businesses",
                tuple(ExcludedBusiness(b["name"], _tuple(b.get("aliases", ())))
                      for b in businesses["list"]),
                businesses["source"], businesses.get("note"),
            ),
            deduct_specific_revenue=_sourced(data, "specific_revenue.deduct", bool),
            rounding_unit=_sourced(data, "rounding.unit", Decimal),
            rounding_mode=_sourced(data, "rounding.mode", str),
            rounding_scope=_sourced(data, "rounding.scope", str),
            exclusion_order=_sourced(data, "exclusion_order", _tuple),
            duplicate_contract=_sourced(data, "audit_checks.duplicate_contract", bool),
            joint_shares_within_contract_total=_sourced(
                data, "audit_checks.joint_shares_within_contract_total", bool),
        )

    def rate(self, joint: bool) -> Sourced[Decimal]:
        """``rates.joint`` or ``rates.standard``."""
        return self.rate_joint if joint else self.rate_standard
