"""Matching a row's words against the rule file: technologies, expense kinds, businesses.

Every value that is matched is folded the same way (issue 12 item 2): width, case, blanks and
middle dots do not matter, and an invisible character never changes what a value matches —
``住\\u200b民記録`` is a standardization target like ``住民記録``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokko
from tokko.model.codes import ErrorCode
from tokko.model.problem import InvalidValue
from tokko.rules.ruleset import RuleVersion

SOME = settings(max_examples=150, deadline=None)
RULES_2021: RuleVersion = tokko.load_rules().for_year(2021)

INVISIBLE = st.sampled_from(
    [
        "\u200b",
        "\u00ad",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\ufe0f",
        "\u200c",
        "\u2061",
        "\U000e0041",
        "\x00",
        "\x1b",
    ]
)


@pytest.mark.parametrize(
    ("typed", "canonical", "eligible"),
    [
        ("AI", "AI", True),
        ("ai", "AI", True),
        ("ＡＩ", "AI", True),
        ("RPA", "RPA", True),
        ("AI+RPA", "AI+RPA", True),
        ("AI＋RPA", "AI+RPA", True),
        ("AI・RPA", "AI+RPA", True),
        ("AI-OCR", "AI", True),
        ("ＡＩ－ＯＣＲ", "AI", True),
        ("人工知能", "AI", True),
        ("IoT", "IOT", False),
        ("AI+IoT", "AI+IOT", False),
    ],
)
def test_technology(typed: str, canonical: str, eligible: bool) -> None:
    """Technologies: width and case folded, AI-OCR is AI, a combination is eligible when every
    part is (SPEC §3)."""
    found = RULES_2021.technology(typed)
    assert (found.canonical, found.eligible) == (canonical, eligible)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("introduction", "introduction"),
        ("導入・構築", "introduction"),
        ("導入構築", "introduction"),
        ("導入 ・ 構築", "introduction"),
        ("利用料・ライセンス料", "license"),
        ("ライセンス", "license"),
        ("ＬＩＣＥＮＳＥ", "license"),
        ("研修", "training"),
        ("機器購入", "hardware"),
        ("人件費", "personnel"),
        ("その他", "other"),
        ("コンサル", "consulting"),
    ],
)
def test_expense_kind(typed: str, kind: str) -> None:
    """Expense kinds by id, Japanese name or alias, folded."""
    assert RULES_2021.expense_kind(typed).id == kind


def test_unknown_expense_kind_lists_the_kinds() -> None:
    """An unknown kind is UNKNOWN_VALUE listing the kinds in the language of the message."""
    with pytest.raises(InvalidValue) as caught:
        RULES_2021.expense_kind("交際費")
    problem = caught.value.problem
    assert problem.code is ErrorCode.UNKNOWN_VALUE
    assert "導入・構築（introduction）" in problem.message("ja")
    assert "introduction (導入・構築)" in problem.message("en")


@pytest.mark.parametrize(
    ("area", "business"),
    [
        ("住民記録システムの入力", "住民基本台帳"),
        ("介護保険の認定調査", "介護保険"),
        ("戸籍の附票", "戸籍の附票"),
        ("戸籍", "戸籍"),
        ("子ども 子育て支援", "子ども・子育て支援"),
        ("ｺｾｷ", None),
        ("会計伝票の入力", None),
        ("", None),
    ],
)
def test_standardization_target(area: str, business: str | None) -> None:
    """A business area naming a standardization target (or an alias) matches it, the longest
    term winning (戸籍の附票 over 戸籍)."""
    found = RULES_2021.standardization_target(area)
    assert (found.business.name if found else None) == business


VALUES = {
    "technology": (RULES_2021.technology, ["AI", "AI+RPA", "AI-OCR", "ＲＰＡ", "IoT"]),
    "expense_kind": (
        lambda v: RULES_2021.expense_kind(v).id,
        ["導入・構築", "license", "研修", "機器購入"],
    ),
    "business": (
        RULES_2021.standardization_target,
        ["住民記録システム", "介護保険の認定", "会計伝票の入力", "戸籍の附票の発行"],
    ),
}


@st.composite
def sprinkled(draw: st.DrawFn) -> tuple[str, str, str]:
    """What is matched, one of its values, and that value with invisible characters inserted."""
    name = draw(st.sampled_from(sorted(VALUES)))
    value = draw(st.sampled_from(VALUES[name][1]))
    out = list(value)
    for _ in range(draw(st.integers(1, 4))):
        out.insert(draw(st.integers(0, len(out))), draw(INVISIBLE))
    return name, value, "".join(out)


@SOME
@given(sprinkled())
def test_invisible_characters_never_change_a_match(case: tuple[str, str, str]) -> None:
    """Inserting invisible characters anywhere in a technology, an expense kind or a business
    area never changes what it matches."""
    name, value, with_invisible = case
    match = VALUES[name][0]
    assert match(with_invisible) == match(value)
