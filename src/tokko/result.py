"""The result of a calculation (SPEC §6): per item, per declaration, and the errors.

These models are the stable JSON format other tools parse: amounts are decimal strings, codes
are the SPEC §4 vocabulary. ``Result.model_dump_json()`` gives the document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from tokko.engine import Status
from tokko.explanation import Step
from tokko.money import plain

__all__ = [
    "Amount",
    "Counts",
    "DeclarationResult",
    "ItemResult",
    "Result",
    "RowError",
    "RulesRef",
    "SourceRef",
    "Status",
    "Step",
    "Totals",
]

#: A yen amount or a rate, serialised as a plain decimal string (``"360000"``, ``"0.25"``).
Amount = Annotated[Decimal, PlainSerializer(plain, return_type=str, when_used="always")]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SourceRef(_Out):
    """A source a rule value rests on, as the rule file states it."""

    title: str
    issuer: str
    date: str | None = None
    url: str | None = None


class RulesRef(_Out):
    """The rule version a result used, and the SHA-256 of the exact bytes of its file."""

    measure: str
    version: str
    sha256: str
    path: str
    sources: dict[str, SourceRef] = Field(default_factory=dict)


class RowError(_Out):
    """A bad cell: where it is (file, row as a spreadsheet shows it, column) and why."""

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
    """Declaration totals; ``amount = net + excluded + specific_revenue`` holds exactly."""

    amount: Amount
    specific_revenue: Amount
    net: Amount
    excluded: Amount
    measure_exact: Amount
    measure: Amount

    @property
    def reconciled(self) -> bool:
        """``amount = net + excluded + specific_revenue``, exactly."""
        return self.amount == self.net + self.excluded + self.specific_revenue


class Counts(_Out):
    """How many items (input rows) the declaration had, by status."""

    items: int
    eligible: int
    excluded: int
    error: int


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
    explanation: list[Step] = Field(default_factory=list)


class Result(_Out):
    """Everything one calculation produced (SPEC §6)."""

    tokko_version: str
    rules: RulesRef | list[RulesRef]
    declarations: list[DeclarationResult]
    errors: list[RowError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no row was an error (exit code 0 on the command line)."""
        return not self.errors
