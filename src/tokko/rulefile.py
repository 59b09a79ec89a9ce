"""The schema of one rule file (``rules/<measure>/<year>.toml``), as pydantic models.

The models mirror the structure of the measure: rates, the conditions of the joint rate, what is
eligible, what is excluded, the specific-revenue deduction, rounding. Every value that is policy is
a :class:`Sourced` table — ``value``, ``source`` (an id of ``[sources]``) and, where the value is an
interpretation rather than a quoted rule, a ``note``. Unknown keys are refused (``extra="forbid"``),
so a misspelt key never silently falls back to a default.

A model checks what one table can tell by itself; what is wrong across tables (a citation of an
undefined source, ``exclusion_order``, one name given to two expense kinds) is checked by
:mod:`tokko.rulecheck` on the parsed file, so that every problem is reported in one round.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tokko.money import ROUNDING_MODES

Rate = Annotated[Decimal, Field(ge=0, le=1)]
SourceId = Annotated[str, Field(min_length=1)]
ExclusionStep = Literal["technology", "expense_kind", "standardization_target"]


def _refuse(english: str, japanese: str) -> PydanticCustomError:
    """A rule of the schema broken, in both languages (see :mod:`tokko.rulecheck`)."""
    return PydanticCustomError("tokko_rule", "{en}", {"en": english, "ja": japanese})


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
            raise _refuse("a source needs a date, or a note saying why it has none",
                          "出典には日付、または日付がない理由の注記（note）が必要です")
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
            raise _refuse("effective_until is before effective_from",
                          "effective_until が effective_from より前です")
        if self.confirmed_through is not None and self.confirmed_through < self.effective_from:
            raise _refuse("confirmed_through is before effective_from",
                          "confirmed_through が effective_from より前です")
        return self


class Rates(_Model):
    """措置率: the standard rate and the rate for joint procurement under an agreement."""

    standard: SourcedRate
    joint: SourcedRate

    @model_validator(mode="after")
    def _joint_not_below_standard(self) -> Rates:
        if self.joint.value < self.standard.value:
            raise _refuse("rates.joint is below rates.standard",
                          "共同調達の措置率（rates.joint）が標準の措置率（rates.standard）より低いです")
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
                    raise _refuse(
                        f"alias {alias!r} points at {target!r}, not an eligible technology",
                        f"別名「{alias}」の指す「{target}」は対象の技術（eligible）にありません",
                    )
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
            modes = ", ".join(sorted(ROUNDING_MODES))
            raise _refuse(f"unknown rounding mode; expected one of {modes}",
                          f"端数処理の方法が分かりません。次のいずれかが必要です: {modes}")
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
