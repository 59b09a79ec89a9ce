"""SPEC §4 step 5: measure = net × rate, exact (Decimal, never float), not rounded per item
unless ``rounding.scope`` says so; an excluded item's measure is 0
(tokko.engine.steps.apply_rate, measure, evaluate)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import tokko
from tokko.engine.steps import Context, apply_rate, decide, evaluate, measure
from tokko.model.codes import ReasonCode, WarningCode
from tokko.model.money import MAX_YEN
from tokko.rules.ruleset import RuleVersion

V2021 = tokko.load_rules().for_year(2021)
D = Decimal


@pytest.mark.parametrize(
    ("net", "rate", "expected"),
    [
        ("1234567", "0.3", "370370.1"),
        ("1201665", "0.3", "360499.5"),
        ("1", "0.3", "0.3"),
        ("0", "0.5", "0"),
        (str(MAX_YEN - 1), "0.3", "299999999999999.7"),
        (str(MAX_YEN - 1), "0.5", "499999999999999.5"),
    ],
)
def test_measure_is_exact(net: str, rate: str, expected: str) -> None:
    """net × rate keeps every digit, up to the largest amount accepted, and is a Decimal."""
    got = apply_rate(D(net), D(rate), V2021)
    assert isinstance(got, Decimal)
    assert got == D(expected)


def _with_rounding(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    scope: str,
    mode: str = "half_up",
    unit: int = 1000,
) -> RuleVersion:
    data = rule_data()
    data["rounding"]["scope"]["value"] = scope
    data["rounding"]["mode"]["value"] = mode
    data["rounding"]["unit"]["value"] = D(unit)
    return make_version(data)


@pytest.mark.parametrize(
    ("mode", "unit", "net", "expected"),
    [
        ("half_up", 1000, "1201665", "360000"),
        ("half_up", 1000, "1201667", "361000"),
        ("half_up", 1000, "1201666", "360000"),  # 360,499.8: under 500
        ("half_even", 1000, "1205000", "362000"),  # 361,500 → the even 362,000
        ("half_even", 1000, "1201666", "360000"),  # 360,499.8 → 360,000 (below half)
        ("half_even", 1000, "1208333", "362000"),  # 362,499.9 → 362,000 (below half)
        ("half_even", 1000, "1201667", "361000"),  # 360,500.1 → 361,000 (above half)
        ("down", 1000, "1203330", "360000"),
        ("up", 1000, "1200010", "361000"),
        ("half_up", 1, "1201665", "360500"),
        ("down", 100, "1201665", "360400"),
    ],
)
def test_item_scope_rounds_each_item(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    mode: str,
    unit: int,
    net: str,
    expected: str,
) -> None:
    """With rounding.scope = "item", each item's measure is rounded by the file's unit and
    mode (half_up, half_even, down, up)."""
    version = _with_rounding(rule_data, make_version, "item", mode, unit)
    assert apply_rate(D(net), D("0.3"), version) == D(expected)


@pytest.mark.parametrize("scope", ["declaration", "none"])
def test_other_scopes_leave_the_item_exact(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    scope: str,
) -> None:
    """With scope "declaration" or "none" an item's measure is never rounded."""
    version = _with_rounding(rule_data, make_version, scope)
    assert apply_rate(D("1201665"), D("0.3"), version) == D("360499.5")


def test_an_excluded_item_measures_zero() -> None:
    """An excluded item has rate 0 and measure 0; its net is still worked out (step 3)."""
    decision = decide(
        "IoT", "introduction", "", None, "single", None, Context("011002", 2021, V2021, {})
    )
    outcome = measure(decision, D(500000), D(100000), V2021)
    assert (outcome.status, outcome.net, outcome.rate, outcome.measure) == (
        "excluded",
        D(400000),
        D(0),
        D(0),
    )
    assert outcome.reason is ReasonCode.EXCLUDED_TECHNOLOGY


def test_an_unconfirmed_year_warns_on_every_computed_item() -> None:
    """Past confirmed_through, eligible and excluded items alike warn
    RULES_UNCONFIRMED_FOR_YEAR."""
    context = Context("011002", 2026, V2021, {})
    for technology in ("AI", "IoT"):
        decision = decide(technology, "introduction", "", None, "single", None, context)
        outcome = measure(decision, D(1000), D(0), V2021)
        assert outcome.warnings == (WarningCode.RULES_UNCONFIRMED_FOR_YEAR,)


def test_evaluate_composes_steps_2_to_5() -> None:
    """evaluate runs the steps on a validated item: (4,800,000 − 800,000) × 0.5 = 2,000,000."""
    item = tokko.ExpenseItem(
        item_id="1",
        description="d",
        technology="AI",
        expense_kind="導入・構築",
        amount="4,800,000",
        specific_revenue="800,000",
        procurement="共同",
        agreement_id="A",
    )
    agreement = tokko.Agreement(
        agreement_id="A", concluded_on="2021/6/1", parties=["010006", "011002"]
    )
    outcome = evaluate(item, Context("010006", 2021, V2021, {"A": agreement}))
    assert (
        outcome.status,
        outcome.amount,
        outcome.deducted,
        outcome.net,
        outcome.rate,
        outcome.measure,
    ) == ("eligible", D(4800000), D(800000), D(4000000), D("0.5"), D(2000000))
    assert (outcome.reason, outcome.warnings, outcome.problems) == (ReasonCode.JOINT_RATE, (), ())


def test_the_item_measure_in_the_result_is_not_rounded() -> None:
    """Under the shipped rules (scope declaration) the result shows the item's exact measure."""
    item = tokko.check_item(
        technology="AI", expense_kind="introduction", amount=1201665, fiscal_year="R3"
    )
    assert item.measure == D("360499.5")
