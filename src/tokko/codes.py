"""The closed vocabularies of SPEC §4: reasons, warnings and errors, each in Japanese and English.

Every code names the rule-file key it comes from (``rule_key``), so a result can always point at
the line of the rule file that produced it. Error codes about the input's form cite no rule key.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class ReasonCode(StrEnum):
    """Why an item got its rate; every computed item has exactly one."""

    STANDARD_RATE = "STANDARD_RATE"
    JOINT_RATE = "JOINT_RATE"
    EXCLUDED_STANDARDIZATION_TARGET = "EXCLUDED_STANDARDIZATION_TARGET"
    EXCLUDED_TECHNOLOGY = "EXCLUDED_TECHNOLOGY"
    EXCLUDED_EXPENSE_KIND = "EXCLUDED_EXPENSE_KIND"


class WarningCode(StrEnum):
    """The item is computed, but a reviewer must look."""

    JOINT_WITHOUT_AGREEMENT = "JOINT_WITHOUT_AGREEMENT"
    AGREEMENT_UNKNOWN = "AGREEMENT_UNKNOWN"
    AGREEMENT_NOT_PARTY = "AGREEMENT_NOT_PARTY"
    AGREEMENT_TOO_FEW_PARTIES = "AGREEMENT_TOO_FEW_PARTIES"
    AGREEMENT_NOT_CONCLUDED = "AGREEMENT_NOT_CONCLUDED"
    REVENUE_EXCEEDS_AMOUNT = "REVENUE_EXCEEDS_AMOUNT"
    DUPLICATE_CONTRACT = "DUPLICATE_CONTRACT"
    JOINT_SHARES_EXCEED_CONTRACT = "JOINT_SHARES_EXCEED_CONTRACT"
    RULES_UNCONFIRMED_FOR_YEAR = "RULES_UNCONFIRMED_FOR_YEAR"


class ErrorCode(StrEnum):
    """The row cannot be computed."""

    INVALID_CODE = "INVALID_CODE"
    UNKNOWN_ENTITY = "UNKNOWN_ENTITY"
    INVALID_FISCAL_YEAR = "INVALID_FISCAL_YEAR"
    NO_RULES_FOR_YEAR = "NO_RULES_FOR_YEAR"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    MISSING_FIELD = "MISSING_FIELD"
    DUPLICATE_ITEM_ID = "DUPLICATE_ITEM_ID"
    UNKNOWN_VALUE = "UNKNOWN_VALUE"


class CodeInfo(NamedTuple):
    """What a code means, in both languages, and the rule-file key it comes from."""

    code: str
    kind: str  # "reason", "warning" or "error"
    ja: str
    en: str
    rule_key: str | None

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


def _info(code: StrEnum, ja: str, en: str, rule_key: str | None) -> CodeInfo:
    kind = {ReasonCode: "reason", WarningCode: "warning", ErrorCode: "error"}[type(code)]
    return CodeInfo(str(code), kind, ja, en, rule_key)


CODES: dict[str, CodeInfo] = {
    info.code: info
    for info in (
        _info(
            ReasonCode.STANDARD_RATE,
            "標準の措置率を適用しました",
            "The standard rate applies",
            "rates.standard",
        ),
        _info(
            ReasonCode.JOINT_RATE,
            "協定を締結した共同調達の措置率を適用しました",
            "The joint-procurement rate applies (agreement concluded)",
            "rates.joint",
        ),
        _info(
            ReasonCode.EXCLUDED_STANDARDIZATION_TARGET,
            "システム標準化の対象事務のため措置の対象外です",
            "Excluded: the work is a target of the national system standardization",
            "excluded_businesses",
        ),
        _info(
            ReasonCode.EXCLUDED_TECHNOLOGY,
            "AI・RPA以外の技術のため措置の対象外です",
            "Excluded: the technology is neither AI nor RPA",
            "technologies",
        ),
        _info(
            ReasonCode.EXCLUDED_EXPENSE_KIND,
            "措置の対象とならない経費区分です",
            "Excluded: this kind of expense is not eligible",
            "expense_kinds",
        ),
        _info(
            WarningCode.JOINT_WITHOUT_AGREEMENT,
            "共同調達ですが協定番号がないため、標準の措置率を適用しました",
            "Joint procurement without an agreement number: the standard rate was applied",
            "joint_procurement.agreement_required",
        ),
        _info(
            WarningCode.AGREEMENT_UNKNOWN,
            "協定番号に該当する協定が見つからないため、標準の措置率を適用しました",
            "The agreement number names no known agreement: the standard rate was applied",
            "joint_procurement.agreement_required",
        ),
        _info(
            WarningCode.AGREEMENT_NOT_PARTY,
            "申告団体が協定の構成団体に含まれていないため、標準の措置率を適用しました",
            "The declaring government is not a party to the agreement: the standard rate was applied",
            "joint_procurement.declarer_must_be_party",
        ),
        _info(
            WarningCode.AGREEMENT_TOO_FEW_PARTIES,
            "協定の構成団体数が最少団体数に満たないため、標準の措置率を適用しました",
            "The agreement has fewer parties than required: the standard rate was applied",
            "joint_procurement.min_parties",
        ),
        _info(
            WarningCode.AGREEMENT_NOT_CONCLUDED,
            "協定が当該年度末までに締結されていないため、標準の措置率を適用しました",
            "The agreement was not concluded by the end of the fiscal year: "
            "the standard rate was applied",
            "joint_procurement.concluded_by_fiscal_year_end",
        ),
        _info(
            WarningCode.REVENUE_EXCEEDS_AMOUNT,
            "特定財源が事業費を超えています。控除後の額を0としました",
            "Specific revenue exceeds the amount: the net cost was set to 0",
            "specific_revenue.deduct",
        ),
        _info(
            WarningCode.DUPLICATE_CONTRACT,
            "同じ契約番号が重複して計上されています（二重計上の疑い）",
            "The same contract number is declared more than once (possible double counting)",
            "audit_checks.duplicate_contract",
        ),
        _info(
            WarningCode.JOINT_SHARES_EXCEED_CONTRACT,
            "共同調達の各団体の負担額の合計が契約総額を超えています",
            "The joint shares declared under this contract add up to more than its total",
            "audit_checks.joint_shares_within_contract_total",
        ),
        _info(
            WarningCode.RULES_UNCONFIRMED_FOR_YEAR,
            "この年度の規則は出典で確認されていません（前の年度の規則を延長して計算）",
            "The rules are not confirmed by their sources for this fiscal year "
            "(computed by extending an earlier year's rules)",
            "measure.confirmed_through",
        ),
        _info(
            ErrorCode.INVALID_CODE,
            "団体コードが正しくありません",
            "Invalid local government code",
            None,
        ),
        _info(
            ErrorCode.UNKNOWN_ENTITY,
            "団体コードに該当する地方公共団体がありません",
            "No local government has this code",
            None,
        ),
        _info(
            ErrorCode.INVALID_FISCAL_YEAR,
            "年度が読めません",
            "Invalid fiscal year",
            None,
        ),
        _info(
            ErrorCode.NO_RULES_FOR_YEAR,
            "この年度に適用される規則ファイルがありません",
            "No rule file is in force for this fiscal year",
            "measure.effective_from",
        ),
        _info(
            ErrorCode.INVALID_AMOUNT,
            "金額が正しくありません",
            "Invalid amount",
            None,
        ),
        _info(
            ErrorCode.MISSING_FIELD,
            "必須の項目が空です",
            "A required field is empty",
            None,
        ),
        _info(
            ErrorCode.DUPLICATE_ITEM_ID,
            "項目番号が重複しています（先の行を採用し、この行は計算しません）",
            "Repeated item number: the first row stands and this one is not computed",
            None,
        ),
        _info(
            ErrorCode.UNKNOWN_VALUE,
            "認識できない値です",
            "Unrecognised value",
            "expense_kinds",
        ),
    )
}


def describe(code: str, lang: str = "ja") -> str:
    """The short message of a code in ``lang`` (``"ja"`` or ``"en"``)."""
    return CODES[code].text(lang)
