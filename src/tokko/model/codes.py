"""The closed vocabularies of SPEC §4: reasons, warnings and errors, and the rule key each cites.

Every code names the rule-file key it comes from (:data:`RULE_KEYS`), so a result can always
point at the line of the rule file that produced it; codes about the input's form cite none.
Their words, in Japanese and English, are in :mod:`tokko.messages` (``code.<CODE>``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class ReasonCode(StrEnum):
    """Why an item got its rate; every computed item has exactly one."""

    STANDARD_RATE = "STANDARD_RATE"
    JOINT_RATE = "JOINT_RATE"
    EXCLUDED_STANDARDIZATION_TARGET = "EXCLUDED_STANDARDIZATION_TARGET"
    EXCLUDED_TECHNOLOGY = "EXCLUDED_TECHNOLOGY"
    EXCLUDED_EXPENSE_KIND = "EXCLUDED_EXPENSE_KIND"
    EXCLUDED_NOT_FIRST_YEAR = "EXCLUDED_NOT_FIRST_YEAR"


class WarningCode(StrEnum):
    """The item (or, for ``FISCAL_STRENGTH_NOT_APPLIED``, the declaration) is computed, but a
    reviewer must look."""

    JOINT_WITHOUT_AGREEMENT = "JOINT_WITHOUT_AGREEMENT"
    AGREEMENT_UNKNOWN = "AGREEMENT_UNKNOWN"
    AGREEMENT_NOT_PARTY = "AGREEMENT_NOT_PARTY"
    AGREEMENT_TOO_FEW_PARTIES = "AGREEMENT_TOO_FEW_PARTIES"
    AGREEMENT_NOT_CONCLUDED = "AGREEMENT_NOT_CONCLUDED"
    REVENUE_EXCEEDS_AMOUNT = "REVENUE_EXCEEDS_AMOUNT"
    DUPLICATE_CONTRACT = "DUPLICATE_CONTRACT"
    JOINT_SHARES_EXCEED_CONTRACT = "JOINT_SHARES_EXCEED_CONTRACT"
    RULES_UNCONFIRMED_FOR_YEAR = "RULES_UNCONFIRMED_FOR_YEAR"
    JOINT_RATE_NOT_IN_FORCE = "JOINT_RATE_NOT_IN_FORCE"
    INTRODUCTION_YEAR_MISSING = "INTRODUCTION_YEAR_MISSING"
    CODE_LEADING_ZERO_RESTORED = "CODE_LEADING_ZERO_RESTORED"
    FISCAL_STRENGTH_NOT_APPLIED = "FISCAL_STRENGTH_NOT_APPLIED"


class ErrorCode(StrEnum):
    """A row that cannot be computed, a column nobody knows, a rule file refused."""

    INVALID_CODE = "INVALID_CODE"
    UNKNOWN_ENTITY = "UNKNOWN_ENTITY"
    AMBIGUOUS_CODE = "AMBIGUOUS_CODE"
    INVALID_FISCAL_YEAR = "INVALID_FISCAL_YEAR"
    NO_RULES_FOR_YEAR = "NO_RULES_FOR_YEAR"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    MISSING_FIELD = "MISSING_FIELD"
    DUPLICATE_ITEM_ID = "DUPLICATE_ITEM_ID"
    UNKNOWN_VALUE = "UNKNOWN_VALUE"
    INVALID_FISCAL_STRENGTH_INDEX = "INVALID_FISCAL_STRENGTH_INDEX"
    FISCAL_STRENGTH_INDEX_CONFLICT = "FISCAL_STRENGTH_INDEX_CONFLICT"
    #: On a file: a column that is none of the fields (SPEC §3, Columns).
    UNKNOWN_COLUMN = "UNKNOWN_COLUMN"
    #: On a rule file: a shipped (measure, version) reused with other bytes (SPEC §2).
    RULE_VERSION_CONFLICT = "RULE_VERSION_CONFLICT"
    #: On a rule file: anything else that refuses it (a missing key, a bad value…). tokko's own
    #: code: SPEC §4 names none; it never appears on a row, the run stops (exit 3).
    INVALID_RULE_FILE = "INVALID_RULE_FILE"


Code = ReasonCode | WarningCode | ErrorCode
Kind = Literal["reason", "warning", "error"]

#: The rule-file key each code comes from (None: a code about the input's form).
RULE_KEYS: dict[Code, str | None] = {
    ReasonCode.STANDARD_RATE: "rates.standard",
    ReasonCode.JOINT_RATE: "rates.joint",
    ReasonCode.EXCLUDED_STANDARDIZATION_TARGET: "excluded_businesses",
    ReasonCode.EXCLUDED_TECHNOLOGY: "technologies",
    ReasonCode.EXCLUDED_EXPENSE_KIND: "expense_kinds",
    ReasonCode.EXCLUDED_NOT_FIRST_YEAR: "expense_kinds.first_year_only",
    WarningCode.JOINT_WITHOUT_AGREEMENT: "joint_procurement.agreement_required",
    WarningCode.AGREEMENT_UNKNOWN: "joint_procurement.agreement_required",
    WarningCode.AGREEMENT_NOT_PARTY: "joint_procurement.declarer_must_be_party",
    WarningCode.AGREEMENT_TOO_FEW_PARTIES: "joint_procurement.min_parties",
    WarningCode.AGREEMENT_NOT_CONCLUDED: "joint_procurement.concluded_by_fiscal_year_end",
    WarningCode.REVENUE_EXCEEDS_AMOUNT: "specific_revenue.deduct",
    WarningCode.DUPLICATE_CONTRACT: "audit_checks.duplicate_contract",
    WarningCode.JOINT_SHARES_EXCEED_CONTRACT: "audit_checks.joint_shares_within_contract_total",
    WarningCode.RULES_UNCONFIRMED_FOR_YEAR: "measure.confirmed_through",
    WarningCode.JOINT_RATE_NOT_IN_FORCE: "rates.joint",
    WarningCode.INTRODUCTION_YEAR_MISSING: "expense_kinds.first_year_only",
    WarningCode.CODE_LEADING_ZERO_RESTORED: None,
    WarningCode.FISCAL_STRENGTH_NOT_APPLIED: "fiscal_strength",
    ErrorCode.INVALID_CODE: None,
    ErrorCode.UNKNOWN_ENTITY: None,
    ErrorCode.AMBIGUOUS_CODE: None,
    ErrorCode.INVALID_FISCAL_YEAR: None,
    ErrorCode.NO_RULES_FOR_YEAR: "measure.effective_from",
    ErrorCode.INVALID_AMOUNT: None,
    ErrorCode.MISSING_FIELD: None,
    ErrorCode.DUPLICATE_ITEM_ID: None,
    ErrorCode.UNKNOWN_VALUE: "expense_kinds",
    ErrorCode.INVALID_FISCAL_STRENGTH_INDEX: None,
    ErrorCode.FISCAL_STRENGTH_INDEX_CONFLICT: None,
    ErrorCode.UNKNOWN_COLUMN: None,
    ErrorCode.RULE_VERSION_CONFLICT: "measure.version",
    ErrorCode.INVALID_RULE_FILE: None,
}

_BY_VALUE: dict[str, Code] = {str(code): code for code in RULE_KEYS}


def code_of(value: str) -> Code:
    """The code spelled ``value``; KeyError for a string that is no code."""
    return _BY_VALUE[value]


def kind_of(code: Code | str) -> Kind:
    """``"reason"``, ``"warning"`` or ``"error"``; a code may be given as its string
    (``"REVENUE_EXCEEDS_AMOUNT"``). KeyError for a string that is no code."""
    if not isinstance(code, ReasonCode | WarningCode | ErrorCode):
        code = code_of(code)
    if isinstance(code, ReasonCode):
        return "reason"
    if isinstance(code, WarningCode):
        return "warning"
    return "error"


ALL_CODES: tuple[Code, ...] = tuple(RULE_KEYS)
