"""The schema of one rule file (``rules/<measure>/<year>.toml``), as pydantic models.

The models mirror the structure of the measure: rates, the conditions of the joint rate, what is
eligible, what is excluded, the specific-revenue deduction, rounding. Every value that is policy is
a :class:`Sourced` table — ``value``, ``source`` (an id of ``[sources]``) and, where the value is an
interpretation rather than a quoted rule, a ``note``. Unknown keys are refused (``extra="forbid"``),
so a misspelt key never silently falls back to a default.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tokko.money import ROUNDING_MODES
from tokko.text import fold

Rate = Annotated[Decimal, Field(ge=0, le=1)]
SourceId = Annotated[str, Field(min_length=1)]
ExclusionStep = Literal["technology", "expense_kind", "standardization_target"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Sourced(_Model):
    """A policy value with the source it rests on and, for an interpretation, a note.

    One subclass per kind of value (plain classes: a generic model costs start-up time).
    """

    source: SourceId
    note: str | None = None
    also_cites: tuple[SourceId, ...] = ()


class SourcedRate(Sourced):
    value: Rate


class SourcedFlag(Sourced):
    value: bool


class SourcedCount(Sourced):
    value: Annotated[int, Field(ge=1)]


class SourcedNames(Sourced):
    value: tuple[Annotated[str, Field(min_length=1)], ...]


class SourcedAliases(Sourced):
    value: dict[str, str]


class SourcedUnit(Sourced):
    value: Annotated[Decimal, Field(gt=0)]


class SourcedText(Sourced):
    value: str


class SourcedScope(Sourced):
    value: Literal["declaration", "item", "none"]


class SourcedOrder(Sourced):
    value: tuple[ExclusionStep, ...]


class Source(_Model):
    """A document a value rests on: a statute, a ministry notice, an audit report."""

    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    date: dt.date | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    note: str | None = None

    @model_validator(mode="after")
    def _date_or_why_not(self) -> Source:
        if self.date is None and not self.note:
            raise ValueError("a source needs a date, or a note saying why it has none")
        return self


class Measure(_Model):
    """Which measure this file encodes, and the fiscal years it covers."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str = Field(min_length=1)
    name_ja: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    effective_from: int = Field(ge=1989, le=2199)
    effective_until: int | None = Field(default=None, ge=1989, le=2199)
    confirmed_through: int | None = Field(default=None, ge=1989, le=2199)
    confirmed_through_note: str | None = None

    @model_validator(mode="after")
    def _years_in_order(self) -> Measure:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise ValueError("effective_until is before effective_from")
        if self.confirmed_through is not None and self.confirmed_through < self.effective_from:
            raise ValueError("confirmed_through is before effective_from")
        return self


class Rates(_Model):
    """措置率: the standard rate and the rate for joint procurement under an agreement."""

    standard: SourcedRate
    joint: SourcedRate

    @model_validator(mode="after")
    def _joint_not_below_standard(self) -> Rates:
        if self.joint.value < self.standard.value:
            raise ValueError("rates.joint is below rates.standard")
        return self


class JointProcurement(_Model):
    """The conditions under which the joint rate applies."""

    agreement_required: SourcedFlag
    min_parties: SourcedCount
    declarer_must_be_party: SourcedFlag
    concluded_by_fiscal_year_end: SourcedFlag


class Technologies(_Model):
    """Eligible technologies and the spellings that mean one of them (AI-OCR is AI)."""

    eligible: SourcedNames
    aliases: SourcedAliases | None = None

    @model_validator(mode="after")
    def _aliases_name_eligible(self) -> Technologies:
        if self.aliases is not None:
            known = {t.upper() for t in self.eligible.value}
            for alias, target in self.aliases.value.items():
                if target.upper() not in known:
                    raise ValueError(f"alias {alias!r} points at {target!r}, not an eligible technology")
        return self


class ExpenseKind(_Model):
    """One expense kind (経費区分) and whether the measure counts it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_ja: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    eligible: bool
    source: SourceId
    note: str | None = None


class ExcludedBusiness(_Model):
    """One standardization-target business (標準化対象事務) and its common names."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class ExcludedBusinesses(_Model):
    """The businesses whose work is excluded, with one source for the list."""

    source: SourceId
    note: str | None = None
    also_cites: tuple[SourceId, ...] = ()
    businesses: tuple[ExcludedBusiness, ...] = Field(alias="list", min_length=1)


class SpecificRevenue(_Model):
    """特定財源: deducted before the rate applies."""

    deduct: SourcedFlag


class Rounding(_Model):
    """端数計算: the unit (yen), the mode and which sums are rounded."""

    unit: SourcedUnit
    mode: SourcedText
    scope: SourcedScope

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, mode: SourcedText) -> SourcedText:
        if mode.value not in ROUNDING_MODES:
            raise ValueError(f"unknown rounding mode; expected one of {sorted(ROUNDING_MODES)}")
        return mode


class AuditChecks(_Model):
    """The review checks over several rows (SPEC §4, batch-level checks)."""

    duplicate_contract: SourcedFlag
    joint_shares_within_contract_total: SourcedFlag


class RuleFile(_Model):
    """One version of one measure, exactly as its TOML file states it."""

    measure: Measure
    sources: dict[str, Source] = Field(min_length=1)
    rates: Rates
    joint_procurement: JointProcurement
    technologies: Technologies
    expense_kinds: tuple[ExpenseKind, ...] = Field(min_length=1)
    excluded_businesses: ExcludedBusinesses
    specific_revenue: SpecificRevenue
    rounding: Rounding
    exclusion_order: SourcedOrder
    audit_checks: AuditChecks

    @model_validator(mode="after")
    def _consistent(self) -> RuleFile:
        order = self.exclusion_order.value
        if len(order) != 3 or len(set(order)) != 3:
            raise ValueError("exclusion_order must name technology, expense_kind and "
                             "standardization_target once each")
        seen: dict[str, str] = {}
        for kind in self.expense_kinds:
            for name in (kind.id, kind.name_ja, *kind.aliases):
                folded = fold(name).casefold()
                if seen.setdefault(folded, kind.id) != kind.id:
                    raise ValueError(f"expense kind name {name!r} is given to both "
                                     f"{seen[folded]!r} and {kind.id!r}")
        return self

    def unknown_citations(self) -> list[tuple[str, str]]:
        """(key path, source id) for every citation of a source ``[sources]`` lacks."""
        return [(key, source) for key, source in self.citations() if source not in self.sources]

    def citations(self) -> list[tuple[str, str]]:
        """Every (key path, source id) pair the file cites."""
        found: list[tuple[str, str]] = []

        def walk(node: object, path: str) -> None:
            if isinstance(node, Sourced | ExcludedBusinesses):
                found.append((path, node.source))
                found.extend((path + ".also_cites", s) for s in node.also_cites)
            elif isinstance(node, ExpenseKind):
                found.append((path, node.source))
            if isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    walk(getattr(node, name), f"{path}.{name}" if path else name)
            elif isinstance(node, tuple):
                for i, child in enumerate(node):
                    walk(child, f"{path}[{i}]")

        walk(self, "")
        return found
