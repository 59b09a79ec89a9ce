"""What tokko writes (SPEC §6): per item, per declaration, the rules used, and the errors.

These models are the stable JSON format other tools parse: amounts are decimal strings, codes
are the SPEC §4 vocabulary. ``Result.model_dump_json()`` gives the document. They are built by
the engine from values it computed itself, so they are constructed without a second validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from tokko.model.fiscal_strength import index_text
from tokko.model.money import plain

#: What became of an item.
Status = Literal["eligible", "excluded", "error"]

#: A yen amount, a rate or an index, serialised as a plain decimal string (``"360000"``).
Amount = Annotated[Decimal, PlainSerializer(plain, return_type=str, when_used="always")]
#: A fiscal strength index, serialised as the ordinance writes it, with two decimals (``"0.40"``)
#: as the summary CSV writes it.
Index = Annotated[Decimal, PlainSerializer(index_text, return_type=str, when_used="always")]


@dataclass(frozen=True, slots=True)
class Step:
    """One step from input to amount: the rule key applied, its source, the value it holds,
    what went in and what came out, and the rule file's note when the value is an
    interpretation."""

    step: str
    key: str | None = None
    source: str | None = None
    value: str | None = None
    input: str | None = None
    outcome: str | None = None
    note: str | None = None


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SourceRef(_Out):
    """A source a rule value rests on, as the rule file states it."""

    title: str
    issuer: str
    date: str | None = None
    url: str | None = None


class RulesRef(_Out):
    """A rule version a result used, and the SHA-256 of the exact bytes of its file."""

    measure: str
    version: str
    sha256: str
    path: str
    sources: dict[str, SourceRef] = Field(default_factory=dict)


class RowError(_Out):
    """A problem, as the result JSON writes it: where (file, row as a spreadsheet shows it,
    column), the code, and the message in the language asked for."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    code: str
    message: str


class ItemResult(_Out):
    """The outcome of one item (one input row)."""

    item_id: str | None
    row: int | None = None
    status: Status
    amount: Amount | None = None
    specific_revenue: Amount | None = None
    net: Amount | None = None
    rate: Amount | None = None
    measure: Amount | None = None
    reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    explanation: list[Step] = Field(default_factory=list)


class Totals(_Out):
    """Declaration totals (SPEC §4 steps 6–8).

    ``amount = net + excluded + specific_revenue`` holds exactly; ``measure_by_rate`` is the sum
    of the items' measures, ``measure_exact`` that sum times the fiscal-strength multiplier
    (when it applies), and ``measure`` ``measure_exact`` after the rule file's rounding.
    """

    amount: Amount
    specific_revenue: Amount
    net: Amount
    excluded: Amount
    measure_by_rate: Amount
    fiscal_strength_index: Index | None = None
    fiscal_strength_multiplier: Amount | None = None
    measure_exact: Amount
    measure: Amount

    @property
    def reconciled(self) -> bool:
        """``amount = net + excluded + specific_revenue``, exactly."""
        return self.amount == self.net + self.excluded + self.specific_revenue


class Counts(_Out):
    """How many items (input rows) the declaration had, by status, and how many carry a
    warning."""

    items: int
    eligible: int
    excluded: int
    error: int
    warning: int = 0


class DeclarationResult(_Out):
    """One local government, one fiscal year."""

    entity_code: str | None
    entity_name: str | None
    fiscal_year: int | None
    rules_version: str | None = None
    items: list[ItemResult]
    totals: Totals
    #: ``totals.amount = totals.net + totals.excluded + totals.specific_revenue`` holds exactly.
    reconciled: bool
    counts: Counts
    #: Warnings on the declaration as a whole (``FISCAL_STRENGTH_NOT_APPLIED``).
    warnings: list[str] = Field(default_factory=list)
    explanation: list[Step] = Field(default_factory=list)


class Result(_Out):
    """Everything one calculation produced (SPEC §6)."""

    tokko_version: str
    #: Every rule version the run used, one entry each.
    rules: list[RulesRef]
    declarations: list[DeclarationResult]
    errors: list[RowError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no row was an error and no column was unknown (exit code 0)."""
        return not self.errors


class FiscalStrengthAdjustment(_Out):
    """The fiscal-strength adjustment (SPEC §4 step 7) as it would apply to one expense."""

    applies: bool = Field(description="the rule version adjusts by fiscal strength")
    index: Index | None = None
    multiplier: Amount | None = None
    missing: str | None = Field(
        default=None, description="table, index or table_and_index: why not applied"
    )
    message: str | None = Field(default=None, description="why not applied, in words")
    measure_adjusted: Amount | None = Field(
        default=None, description="the item's measure times the multiplier, when applied"
    )


class CheckResult(_Out):
    """One expense checked: the item (with its explanation), the rule version, the
    adjustment, and the errors in words (``tokko check --format json`` and ``POST
    /api/v1/check``)."""

    tokko_version: str
    rules: RulesRef | None = None
    item: ItemResult
    fiscal_strength: FiscalStrengthAdjustment
    errors: list[RowError] = Field(default_factory=list)
