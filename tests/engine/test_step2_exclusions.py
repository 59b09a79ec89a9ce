"""SPEC §4 step 2: the exclusions — not AI/RPA, an ineligible expense kind, a
standardization-target business, a first-year-only kind after its first year — each read from
the rule file, the first in ``exclusion_order`` recorded (tokko.engine.steps.classify, decide)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import tokko
from tokko.engine.steps import Context, classify, decide
from tokko.model.codes import ReasonCode, WarningCode
from tokko.rules.ruleset import RuleVersion

SHIPPED = tokko.load_rules()
V2021 = SHIPPED.for_year(2021)
V2020 = SHIPPED.for_year(2020)


def _exclusions(
    technology: str = "AI",
    kind: str = "introduction",
    area: str = "",
    introduced: int | None = None,
    year: int = 2021,
    rules: RuleVersion = V2021,
) -> tuple[str, ...]:
    return classify(technology, kind, area, introduced, year, rules)[0]


@pytest.mark.parametrize(
    ("technology", "canonical", "eligible"),
    [
        ("AI", "AI", True),
        ("RPA", "RPA", True),
        ("ＡＩ", "AI", True),
        ("rpa", "RPA", True),
        ("AI-OCR", "AI", True),
        ("人工知能", "AI", True),
        ("AI+RPA", "AI+RPA", True),
        ("AI・RPA", "AI+RPA", True),
        ("IoT", "IOT", False),
        ("AI+IoT", "AI+IOT", False),
        ("ドローン", "ドローン", False),
    ],
)
def test_technology(technology: str, canonical: str, eligible: bool) -> None:
    """technologies.eligible and its aliases: width and case folded, AI-OCR is AI, a
    combination is eligible when every part is."""
    _, found, _, _ = classify(technology, "introduction", "", None, 2021, V2021)
    assert (found.canonical, found.eligible) == (canonical, eligible)
    assert ("technology" in _exclusions(technology)) is not eligible


@pytest.mark.parametrize(
    ("kind", "kind_id", "eligible"),
    [
        ("introduction", "introduction", True),
        ("導入・構築", "introduction", True),
        ("構築費", "introduction", True),
        ("利用料・ライセンス料", "license", True),
        ("研修", "training", True),
        ("BPR", "consulting", True),
        ("機器購入", "hardware", False),
        ("ハードウェア", "hardware", False),
        ("人件費", "personnel", False),
        ("その他", "other", False),
    ],
)
def test_expense_kind(kind: str, kind_id: str, eligible: bool) -> None:
    """expense_kinds[].eligible: the kind is found by id, Japanese name or alias; the last
    three kinds of the 2021 file are excluded."""
    _, _, found, _ = classify("AI", kind, "", None, 2021, V2021)
    assert (found.id, found.eligible) == (kind_id, eligible)
    assert ("expense_kind" in _exclusions(kind=kind)) is not eligible


@pytest.mark.parametrize(
    ("area", "business"),
    [
        ("住民記録システムへの異動届入力", "住民基本台帳"),
        ("市県民税の特別徴収", "個人住民税"),
        ("戸籍の附票の写しの交付", "戸籍の附票"),
        ("戸籍謄本の交付", "戸籍"),
        ("介護保険の認定調査", "介護保険"),
        ("住\u200b民記録", "住民基本台帳"),
        # abbreviations in common use (the rule file's aliases, an interpretation)
        ("国保の資格確認", "国民健康保険"),
        ("後期高齢者の保険料", "後期高齢者医療"),
        ("要介護認定", "介護保険"),
        ("保育園入所の受付", "子ども・子育て支援"),
        ("市民税課の課税事務", "個人住民税"),
        ("法人市民税の申告", "法人住民税"),
        ("児童扶養の現況届", "児童扶養手当"),
        ("住民異動届の入力", "住民基本台帳"),
        ("固定資産台帳の整備", None),  # public accounting's ledger, no tax work
        ("財務会計の伝票入力", None),
        ("ｺｳｾｷ", None),
        ("住民からの問い合わせ対応", None),
        ("", None),
    ],
)
def test_standardization_target(area: str, business: str | None) -> None:
    """excluded_businesses: a name or alias found inside free text (the longest wins, an
    invisible character changes nothing); other work is not a target."""
    _, _, _, found = classify("AI", "introduction", area, None, 2021, V2021)
    assert (found.business.name if found else None) == business
    assert ("standardization_target" in _exclusions(area=area)) is (business is not None)


def test_fiscal_2020_excludes_no_standardization_target() -> None:
    """The 2020.1 rules have no excluded_businesses: 住民記録 work is eligible in fiscal 2020."""
    assert V2020.file.excluded_businesses is None
    assert _exclusions(area="住民記録", year=2020, rules=V2020) == ()


@pytest.mark.parametrize(
    ("kind", "introduced", "excluded"),
    [
        ("license", 2020, True),
        ("license", 2019, True),
        ("license", 2021, False),
        ("license", None, False),
        ("introduction", 2019, False),
        ("training", 2020, False),
    ],
)
def test_first_year_only(kind: str, introduced: int | None, excluded: bool) -> None:
    """expense_kinds[].first_year_only: a licence introduced before the fiscal year is
    excluded; in its first year, or with no year given, it is not; other kinds never are."""
    assert ("first_year" in _exclusions(kind=kind, introduced=introduced)) is excluded


def test_every_exclusion_is_found_and_the_first_is_the_reason() -> None:
    """All exclusions that apply are listed in exclusion_order; the item's reason is the first."""
    context = Context("011002", 2021, V2021, {})
    everything = decide("IoT", "機器購入", "住民記録", 2020, "single", None, context)
    assert everything.facts.exclusions == ("technology", "expense_kind", "standardization_target")
    assert everything.reason is ReasonCode.EXCLUDED_TECHNOLOGY
    licence = decide("RPA", "license", "住民票の発行", 2020, "single", None, context)
    assert licence.facts.exclusions == ("standardization_target", "first_year")
    assert licence.reason is ReasonCode.EXCLUDED_STANDARDIZATION_TARGET
    assert (licence.status, licence.rate, licence.warnings) == ("excluded", Decimal(0), ())


def test_the_order_is_the_rule_files(
    rule_data: Callable[[], dict[str, Any]], make_version: Callable[[Any], RuleVersion]
) -> None:
    """exclusion_order is rule data: reversed, the same item records the other reason."""
    data = rule_data()
    data["exclusion_order"]["value"] = [
        "first_year",
        "standardization_target",
        "expense_kind",
        "technology",
    ]
    version = make_version(data)
    context = Context("011002", 2021, version, {})
    decision = decide("IoT", "license", "住民記録", 2019, "single", None, context)
    assert decision.facts.exclusions == ("first_year", "standardization_target", "technology")
    assert decision.reason is ReasonCode.EXCLUDED_NOT_FIRST_YEAR


def test_eligibility_is_the_rule_files(
    rule_data: Callable[[], dict[str, Any]], make_version: Callable[[Any], RuleVersion]
) -> None:
    """Whether a kind counts, and whether only in the first year, comes from the rule file:
    a file that makes equipment eligible and licences count every year changes both."""
    data = rule_data()
    kinds = {kind["id"]: kind for kind in data["expense_kinds"]}
    kinds["hardware"]["eligible"] = True
    del kinds["license"]["first_year_only"]
    version = make_version(data)
    assert _exclusions(kind="機器購入", rules=version) == ()
    assert _exclusions(kind="license", introduced=2019, rules=version) == ()
    context = Context("011002", 2021, version, {})
    assert decide("AI", "license", "", None, "single", None, context).warnings == ()


def test_a_missing_year_of_introduction_warns_only_on_eligible_first_year_kinds() -> None:
    """INTRODUCTION_YEAR_MISSING is on an eligible licence without introduced_in, not on an
    excluded one, not on a kind that counts every year."""
    context = Context("011002", 2021, V2021, {})
    assert decide("AI", "license", "", None, "single", None, context).warnings == (
        WarningCode.INTRODUCTION_YEAR_MISSING,
    )
    assert decide("IoT", "license", "", None, "single", None, context).warnings == ()
    assert decide("AI", "研修", "", None, "single", None, context).warnings == ()


def test_check_item_excluded() -> None:
    """A standardization-target business is excluded: rate 0, measure 0, with the reason."""
    item = tokko.check_item(
        technology="AI-OCR",
        expense_kind="introduction",
        amount=900000,
        business_area="住民記録",
        fiscal_year="R3",
    )
    assert (item.status, item.rate, item.measure) == ("excluded", Decimal(0), Decimal(0))
    assert item.reasons == ["EXCLUDED_STANDARDIZATION_TARGET"]


def test_an_unknown_kind_is_an_error_not_a_guess() -> None:
    """A kind the rule file does not name raises UNKNOWN_VALUE (step 1 reports it)."""
    with pytest.raises(tokko.TokkoError) as caught:
        classify("AI", "交際費", "", None, 2021, V2021)
    assert str(caught.value.problem.code) == "UNKNOWN_VALUE"  # type: ignore[attr-defined]
