"""The API's answers that the library has no model for; each built from the library's models.

The declaration (:class:`~tokko.model.declaration.Declaration`), the result
(:class:`~tokko.model.result.Result`, :class:`~tokko.model.result.ItemResult`,
:class:`~tokko.model.result.RowError`, :class:`~tokko.model.result.RulesRef`) and the rule file
(:class:`~tokko.rules.schema.RuleFile`) are the library's own; what is here wraps them: the
answer of a
declaration file (the result and the rows' own words), of a batch (its report and summary), the
rule versions, the local governments and the health of the server.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tokko.model.declaration import (
    AGREEMENT_FIELDS,
    ROW_FIELDS,
    Agreement,
    Declaration,
    ExpenseItem,
)
from tokko.model.result import (
    Result,
    RowError,
    SourceRef,
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputRow(_Out):
    """What a row of a declaration file said, to show beside its result."""

    row: int | None
    file: str | None = None
    item_id: str | None = None
    description: str | None = None
    business_area: str | None = None
    technology: str | None = None
    expense_kind: str | None = None


class Calculated(_Out):
    """A declaration file computed: its result (SPEC §6) and the words of its rows."""

    file: str = Field(description="the file's name as uploaded")
    result: Result
    inputs: list[InputRow]


class SummaryRow(_Out):
    """One line of the batch summary (SPEC §6 summary CSV)."""

    entity_code: str
    entity_name: str
    fiscal_year: int
    rules_version: str
    items: int
    eligible_items: int
    excluded_items: int
    error_items: int
    warning_items: int
    amount: str
    specific_revenue: str
    net: str
    excluded: str
    measure_by_rate: str
    fiscal_strength_index: str | None = None
    fiscal_strength_multiplier: str | None = None
    measure_exact: str
    measure: str
    warnings: list[str] = Field(default_factory=list)


class BatchReport(_Out):
    """What a batch did (the closing line of ``tokko batch``)."""

    rows: int
    error_rows: int
    warning_rows: int
    warnings: dict[str, int] = Field(description="rows per warning code")
    file_problems: int
    entities: int
    files: list[str] = Field(description="the files' names as uploaded")
    ok: bool = Field(description="every row computed and every file read whole")


class BatchSummary(_Out):
    """A batch as JSON: its report, the summary per government and year, and the errors (the
    first ``errors_shown`` of ``errors_total``: all of them are in the XLSX and the CSVs)."""

    report: BatchReport
    summary: list[SummaryRow]
    errors: list[RowError]
    errors_total: int


class RuleInfo(_Out):
    """A rule version of the rules in force, its coverage and its sources."""

    measure: str
    version: str
    path: str
    sha256: str
    name_ja: str
    name_en: str
    effective_from: int
    effective_until: int | None = Field(description="last fiscal year in force (None: open)")
    confirmed_through: int | None = None
    sources: dict[str, SourceRef] = Field(default_factory=dict)


class Government(_Out):
    """A local government of the code list (JIS X 0402)."""

    code: str
    name: str
    prefecture: str
    city: str
    kind: str
    kana: str


class CodesResult(_Out):
    """Local governments matching a query, and how many more matched."""

    query: str
    governments: list[Government]
    more: int = 0
    message: str | None = Field(
        default=None, description="why a code names no government, in words"
    )


class Health(_Out):
    """Whether the server is up, which tokko, which rules."""

    status: str = Field(description="ok, or degraded while changed rule files are refused")
    tokko_version: str
    rules: list[str] = Field(description="measure version sha256 of each rule version in force")
    rules_refused: str | None = Field(
        default=None, description="why the last change of the rule files was refused"
    )


def check_request_schema() -> dict[str, Any]:
    """The JSON Schema of the ``/check`` body, derived from the fields' declaration: every field
    of a row (SPEC §3) plus the agreement's parties and date for the joint rate."""
    item = ExpenseItem.model_json_schema()["properties"]
    own = Declaration.model_json_schema()["properties"]
    agreement = Agreement.model_json_schema()["properties"]
    properties = {f.name: item.get(f.name) or own[f.name] for f in ROW_FIELDS}
    names = {f.name for f in AGREEMENT_FIELDS}
    assert {"parties", "concluded_on"} <= names
    properties["agreement_parties"] = agreement["parties"]
    properties["agreement_concluded_on"] = agreement["concluded_on"]
    return {
        "title": "CheckRequest",
        "description": "One expense (the fields of SPEC §3; entity_code optional: without it "
        "the condition that the declaring government be a party is not checked). "
        "With procurement joint and agreement_parties, an agreement with those "
        "parties is assumed, concluded on the first day of the fiscal year unless "
        "agreement_concluded_on says otherwise.",
        "type": "object",
        "properties": properties,
        "required": ["fiscal_year", "technology", "expense_kind", "amount"],
        "additionalProperties": False,
    }
