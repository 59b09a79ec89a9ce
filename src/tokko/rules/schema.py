"""The schema of one rule file (``rules/<measure>/<year>.toml``): the only model of a rule file.

The models follow the structure of the measure: rates, the conditions of the joint rate, what is
eligible, what is excluded, the first-year rule, the specific-revenue deduction, the
fiscal-strength adjustment, rounding. Every value that is policy is a sourced table — ``value``,
``source`` (an id of ``[sources]``) and, where the value is an interpretation rather than a
quoted rule, ``note_ja`` / ``note_en``. Unknown keys are refused (``extra="forbid"``), so a
misspelt key never silently falls back to a default.

A model checks what one table can tell by itself; what is wrong across tables (a citation of an
undefined source, ``exclusion_order``, a name given twice) is checked by
:mod:`tokko.rules.checks` on the parsed file, so that every problem is reported in one round.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tokko.messages import Lang
from tokko.model.money import ROUNDING_MODES
from tokko.rules.fiscal_strength import FiscalStrength, refuse

Rate = Annotated[Decimal, Field(ge=0, le=1)]
SourceId = Annotated[str, Field(min_length=1)]
ExclusionStep = Literal["technology", "expense_kind", "standardization_target", "first_year"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Noted(_Model):
    """A note in each language, for a value that is an interpretation rather than a quote."""

    note_ja: str | None = None
    note_en: str | None = None

    def note(self, lang: Lang) -> str | None:
        """The note in ``lang`` (the other language's when only that one is written)."""
        return (self.note_ja or self.note_en) if lang == "ja" else (self.note_en or self.note_ja)


class Sourced(Noted):
    """A policy value with the source it rests on (one subclass per kind of value)."""

    source: SourceId
    also_cites: tuple[SourceId, ...] = ()


class SourcedRate(Sourced):
    value: Rate


class SourcedFlag(Sourced):
    value: Annotated[bool, Field(strict=True)]  # true or false, never "yes"


class SourcedCount(Sourced):
    value: Annotated[int, Field(ge=1)]


class SourcedNames(Sourced):
    value: tuple[Annotated[str, Field(min_length=1)], ...]


class SourcedAliases(Sourced):
    value: dict[str, str]


class SourcedUnit(Sourced):
    value: Annotated[Decimal, Field(gt=0)]


class SourcedMode(Sourced):
    value: str

    @field_validator("value")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        if value not in ROUNDING_MODES:
            raise refuse("rule.rounding_mode", modes=", ".join(sorted(ROUNDING_MODES)))
        return value


class SourcedScope(Sourced):
    value: Literal["declaration", "item", "none"]


class SourcedOrder(Sourced):
    value: tuple[ExclusionStep, ...]


class Source(Noted):
    """A document a value rests on: a statute, a ministry notice, a report, a newspaper."""

    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    date: dt.date | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")

    @model_validator(mode="after")
    def _date_or_why_not(self) -> Source:
        if self.date is None and not (self.note_ja or self.note_en):
            raise refuse("rule.source_date")
        return self


class Measure(_Model):
    """Which measure this file encodes, and the fiscal years it covers."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    name_ja: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    effective_from: int = Field(ge=1989, le=2199)
    effective_until: int | None = Field(default=None, ge=1989, le=2199)
    confirmed_through: int | None = Field(default=None, ge=1989, le=2199)
    confirmed_through_note_ja: str | None = None
    confirmed_through_note_en: str | None = None

    @field_validator("version")
    @classmethod
    def _plain_version(cls, version: str) -> str:
        """No blank, no invisible character, nothing NFKC would change (full-width digits): a
        version that merely looks like a shipped one ("2021.2" with a zero-width space or a
        trailing blank) must not pass for another version than the shipped one
        (RULE_VERSION_CONFLICT is decided on the exact text). "2021.2-県" is fine."""
        if (
            not version
            or not version.isprintable()  # blanks other than " ", Cf, Cc…
            or " " in version
            or unicodedata.normalize("NFKC", version) != version
        ):
            raise refuse("rule.version_form", version=ascii(version))
        return version

    @model_validator(mode="after")
    def _years_in_order(self) -> Measure:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise refuse("rule.until_before_from")
        if self.confirmed_through is not None and self.confirmed_through < self.effective_from:
            raise refuse("rule.confirmed_before_from")
        return self

    def confirmed_through_note(self, lang: Lang) -> str | None:
        ja, en = self.confirmed_through_note_ja, self.confirmed_through_note_en
        return (ja or en) if lang == "ja" else (en or ja)


class Rates(_Model):
    """措置率: the standard rate and, from fiscal 2021, the rate for joint procurement under an
    agreement (absent: the version has no joint rate)."""

    standard: SourcedRate
    joint: SourcedRate | None = None

    @model_validator(mode="after")
    def _joint_not_below_standard(self) -> Rates:
        if self.joint is not None and self.joint.value < self.standard.value:
            raise refuse("rule.joint_below_standard")
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
                    raise refuse("rule.alias_target", alias=alias, target=target)
        return self


class ExpenseKind(Noted):
    """One expense kind (経費区分), whether the measure counts it, and whether only in the
    fiscal year the AI/RPA was introduced."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_ja: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    eligible: bool
    source: SourceId
    first_year_only: SourcedFlag | None = None

    @property
    def first_year(self) -> bool:
        """Counted only in the fiscal year of introduction (SPEC §1)."""
        return self.first_year_only is not None and self.first_year_only.value


class ExcludedBusiness(_Model):
    """One standardization-target business (標準化対象事務) and its common names."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class ExcludedBusinesses(Sourced):
    """The businesses whose work is excluded, with one source for the list."""

    businesses: tuple[ExcludedBusiness, ...] = Field(alias="list", min_length=1)


class SpecificRevenue(_Model):
    """特定財源: deducted before the rate applies."""

    deduct: SourcedFlag


class Rounding(_Model):
    """端数計算: the unit (yen), the mode and which sums are rounded."""

    unit: SourcedUnit
    mode: SourcedMode
    scope: SourcedScope


class AuditChecks(_Model):
    """The review checks over several rows (SPEC §4, batch-level checks)."""

    duplicate_contract: SourcedFlag
    joint_shares_within_contract_total: SourcedFlag


class RuleFile(_Model):
    """One version of one measure, exactly as its TOML file states it."""

    measure: Measure
    sources: dict[str, Source] = Field(min_length=1)
    rates: Rates
    #: The conditions of the joint rate; absent with it (fiscal 2020).
    joint_procurement: JointProcurement | None = None
    technologies: Technologies
    expense_kinds: tuple[ExpenseKind, ...] = Field(min_length=1)
    excluded_businesses: ExcludedBusinesses | None = None
    specific_revenue: SpecificRevenue
    fiscal_strength: FiscalStrength
    rounding: Rounding
    exclusion_order: SourcedOrder
    audit_checks: AuditChecks

    @model_validator(mode="after")
    def _joint_conditions_with_the_joint_rate(self) -> RuleFile:
        if (self.rates.joint is None) != (self.joint_procurement is None):
            raise refuse("rule.joint_conditions")
        return self

    @model_validator(mode="after")
    def _rounded_after_the_multiplier(self) -> RuleFile:
        # SPEC §4 step 8: rounding happens once, after the multiplier; a per-item rounding
        # would round before it.
        if self.fiscal_strength.has_table and self.rounding.scope.value == "item":
            raise refuse("rule.item_rounding_with_multipliers")
        return self
