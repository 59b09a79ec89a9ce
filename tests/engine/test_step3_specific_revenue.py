"""SPEC §4 step 3: net = amount − specific revenue, never below 0 (REVENUE_EXCEEDS_AMOUNT),
as ``specific_revenue.deduct`` says (tokko.engine.steps.deduct_specific_revenue, measure)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import tokko
from tokko.engine.steps import Context, decide, deduct_specific_revenue, measure
from tokko.model.codes import WarningCode
from tokko.rules.ruleset import RuleVersion

V2021 = tokko.load_rules().for_year(2021)
D = Decimal


@pytest.mark.parametrize(
    ("amount", "revenue", "net", "deducted", "warning"),
    [
        (1000000, 0, 1000000, 0, None),
        (1000000, 400000, 600000, 400000, None),
        (1000000, 1000000, 0, 1000000, None),
        (1000000, 1000001, 0, 1000000, WarningCode.REVENUE_EXCEEDS_AMOUNT),
        (0, 5, 0, 0, WarningCode.REVENUE_EXCEEDS_AMOUNT),
        (0, 0, 0, 0, None),
    ],
)
def test_revenue_is_deducted(
    amount: int, revenue: int, net: int, deducted: int, warning: WarningCode | None
) -> None:
    """The revenue is deducted; above the amount, net is 0, only the amount counts as
    deducted, and a warning says so; equal to the amount is no warning."""
    assert deduct_specific_revenue(D(amount), D(revenue), V2021) == (D(net), D(deducted), warning)


def test_no_deduction_when_the_rule_file_says_so(
    rule_data: Callable[[], dict[str, Any]], make_version: Callable[[Any], RuleVersion]
) -> None:
    """With specific_revenue.deduct = false, net is the whole amount, nothing is deducted and
    revenue above the amount is no warning."""
    data = rule_data()
    data["specific_revenue"]["deduct"]["value"] = False
    version = make_version(data)
    assert deduct_specific_revenue(D(1000000), D(400000), version) == (D(1000000), D(0), None)
    assert deduct_specific_revenue(D(100), D(400), version) == (D(100), D(0), None)


def test_the_warning_is_on_excluded_items_too() -> None:
    """An excluded item whose revenue exceeds its amount also warns (SPEC is silent; the
    golden case revenue-exceeds-amount pins it), with net 0 and measure 0."""
    decision = decide(
        "AI", "hardware", "", None, "single", None, Context("011002", 2021, V2021, {})
    )
    outcome = measure(decision, D(300000), D(500000), V2021)
    assert (outcome.status, outcome.net, outcome.deducted, outcome.measure) == (
        "excluded",
        D(0),
        D(300000),
        D(0),
    )
    assert outcome.warnings == (WarningCode.REVENUE_EXCEEDS_AMOUNT,)


def test_check_item_deducts_specific_revenue() -> None:
    """Specific revenue is deducted before the rate: (1,000,000 − 400,000) × 0.3 = 180,000."""
    item = tokko.check_item(
        technology="RPA",
        expense_kind="license",
        amount=1000000,
        specific_revenue="400,000",
        fiscal_year=2022,
    )
    assert (item.net, item.measure) == (Decimal(600000), Decimal(180000))


def test_deduction_reconciles_in_the_result() -> None:
    """The result states what was deducted per item and in total; amount = net + excluded +
    specific_revenue holds exactly."""
    declaration = {
        "entity_code": "011002",
        "fiscal_year": "R3",
        "items": [
            {
                "item_id": "1",
                "description": "d",
                "technology": "AI",
                "expense_kind": "introduction",
                "amount": 1000000,
                "specific_revenue": 1200000,
            },
            {
                "item_id": "2",
                "description": "d",
                "technology": "AI",
                "expense_kind": "introduction",
                "amount": 500000,
                "specific_revenue": 123456,
            },
        ],
    }
    declared = tokko.calculate(declaration).declarations[0]
    assert [(i.specific_revenue, i.net) for i in declared.items] == [
        (D(1000000), D(0)),
        (D(123456), D(376544)),
    ]
    totals = declared.totals
    assert totals.specific_revenue == D(1123456)
    assert totals.amount == totals.net + totals.excluded + totals.specific_revenue
    assert declared.reconciled
