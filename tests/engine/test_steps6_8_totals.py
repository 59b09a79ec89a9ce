"""SPEC §4 steps 6–8, per declaration: measure_by_rate = Σ measure (exact); the fiscal-strength
adjustment (the bracket of the government's index in the rule file's table, the prefecture
table for a prefecture); measure = measure_exact rounded once, after the multiplier
(tokko.engine.totals: Tally, adjust, round_total, totals)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tokko
from tokko.engine.steps import Outcome
from tokko.engine.totals import Tally, adjust, round_total, totals
from tokko.model.codes import ReasonCode, WarningCode
from tokko.model.localgov import get
from tokko.rules.ruleset import RuleVersion

D = Decimal
V2021 = tokko.load_rules().for_year(2021)
SAPPORO = get("011002")
HOKKAIDO = get("010006")
AGREEMENTS = [{"agreement_id": "OK", "concluded_on": "2021-04-01", "parties": ["010006", "011002"]}]


def _outcome(
    status: str,
    amount: str,
    deducted: str,
    net: str,
    measure: str,
    warnings: tuple[WarningCode, ...] = (),
) -> Outcome:
    reason = ReasonCode.STANDARD_RATE if status == "eligible" else ReasonCode.EXCLUDED_TECHNOLOGY
    return Outcome(
        status,
        D(amount),
        D(deducted),
        D(net),  # type: ignore[arg-type]
        D("0.3") if status == "eligible" else D(0),
        D(measure),
        reason,
        warnings,
        (),
        None,
    )


def test_tally_adds_up_each_kind_of_item() -> None:
    """Step 6: eligible nets and measures, excluded nets, deductions and amounts are summed
    exactly; an error item is counted and adds nothing."""
    tally = Tally()
    tally.add(_outcome("eligible", "1201665", "0", "1201665", "360499.5"))
    tally.add(
        _outcome(
            "eligible",
            "1000000",
            "400000",
            "600000",
            "180000",
            (WarningCode.INTRODUCTION_YEAR_MISSING,),
        )
    )
    tally.add(_outcome("excluded", "500000", "100000", "400000", "0"))
    tally.add(Outcome.error(()))
    assert (
        tally.amount,
        tally.specific_revenue,
        tally.net,
        tally.excluded,
        tally.measure_by_rate,
    ) == (D(2701665), D(500000), D(1801665), D(400000), D("540499.5"))
    assert tally.amount == tally.net + tally.excluded + tally.specific_revenue
    counts = tally.counts()
    assert (counts.items, counts.eligible, counts.excluded, counts.error, counts.warning) == (
        4,
        2,
        1,
        1,
        1,
    )


def _table(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    brackets: list[dict[str, Any]],
    scope: str = "declaration",
    applies: bool = True,
) -> RuleVersion:
    data = rule_data()
    data["fiscal_strength"]["multipliers"] = brackets
    data["fiscal_strength"]["applies"]["value"] = applies
    data["rounding"]["scope"]["value"] = scope
    return make_version(data)


@pytest.fixture
def two_tables(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    make_bracket: Callable[..., dict[str, Any]],
) -> RuleVersion:
    """Municipalities: up to 0.40 → 1.0, over 0.40 up to 0.60 → 0.8, over 0.60 → 0.6;
    prefectures: 1.0 from 0 (made up for the tests)."""
    return _table(
        rule_data,
        make_version,
        [
            make_bracket("1.0", up_to="0.40", entities="municipality"),
            make_bracket("0.8", above="0.40", up_to="0.60", entities="municipality"),
            make_bracket("0.6", above="0.60", entities="municipality"),
            make_bracket("1.0", entities="prefecture"),
        ],
    )


@pytest.mark.parametrize(
    ("index", "multiplier"),
    [
        ("0", "1.0"),
        ("0.39", "1.0"),
        ("0.40", "1.0"),
        ("0.41", "0.8"),
        ("0.60", "0.8"),
        ("0.61", "0.6"),
        ("2.50", "0.6"),
    ],
)
def test_the_bracket_of_the_index_applies(
    two_tables: RuleVersion, index: str, multiplier: str
) -> None:
    """Step 7: the multiplier is the bracket's over `above` up to `up_to` inclusive (0.40 is in
    the bracket up to 0.40, not the next)."""
    adjustment = adjust(two_tables, SAPPORO, D(index))
    assert adjustment.applies
    assert adjustment.missing is None
    assert adjustment.multiplier == D(multiplier)
    assert adjustment.fiscal_strength_index == D(index)


def test_a_prefecture_takes_the_prefecture_table(two_tables: RuleVersion) -> None:
    """With two tables, a prefecture's bracket comes from the prefecture table."""
    assert adjust(two_tables, HOKKAIDO, D("0.70")).multiplier == D("1.0")
    assert adjust(two_tables, SAPPORO, D("0.70")).multiplier == D("0.6")


def test_one_table_for_both(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    make_bracket: Callable[..., dict[str, Any]],
) -> None:
    """A table without `entities` applies to prefectures and municipalities alike."""
    version = _table(
        rule_data,
        make_version,
        [make_bracket("0.9", up_to="0.50"), make_bracket("0.7", above="0.50")],
    )
    assert adjust(version, HOKKAIDO, D("0.70")).multiplier == D("0.7")
    assert adjust(version, SAPPORO, D("0.50")).multiplier == D("0.9")


def test_what_is_missing_is_said(two_tables: RuleVersion) -> None:
    """Without the table, without the index, or without both, no multiplier applies and the
    adjustment says which is missing."""
    assert adjust(V2021, SAPPORO, D("0.45"))[1:] == (D("0.45"), None, "table")
    assert adjust(V2021, SAPPORO, None)[1:] == (None, None, "table_and_index")
    assert adjust(two_tables, SAPPORO, None)[1:] == (None, None, "index")


def test_no_adjustment_where_the_rule_version_says_it_does_not_apply(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
) -> None:
    """fiscal_strength.applies = false: measure_exact = measure_by_rate and no warning."""
    data = rule_data()
    data["fiscal_strength"]["applies"]["value"] = False
    version = make_version(data)
    adjustment = adjust(version, SAPPORO, D("0.45"))
    assert (adjustment.applies, adjustment.missing, adjustment.multiplier) == (False, None, None)
    tally = Tally()
    tally.add(_outcome("eligible", "1000", "0", "1000", "300"))
    found, warnings = totals(tally, version, adjustment)
    assert (found.measure_exact, found.measure, warnings) == (D(300), D(0), ())
    assert adjust(None, SAPPORO, None).applies is False


def test_rounding_happens_once_after_the_multiplier(two_tables: RuleVersion) -> None:
    """Step 8: 360,500.1 × 0.8 = 288,400.08 → 288,000; rounding before the multiplier would
    give 361,000 × 0.8 = 288,800 → 289,000."""
    tally = Tally()
    tally.add(_outcome("eligible", "1201667", "0", "1201667", "360500.1"))
    found, warnings = totals(tally, two_tables, adjust(two_tables, SAPPORO, D("0.41")))
    assert (
        found.measure_by_rate,
        found.fiscal_strength_multiplier,
        found.measure_exact,
        found.measure,
    ) == (D("360500.1"), D("0.8"), D("288400.08"), D(288000))
    assert found.fiscal_strength_index == D("0.41")
    assert warnings == ()


def test_the_declaration_warns_when_not_applied() -> None:
    """Without a multiplier, measure_exact = measure_by_rate and the declaration carries
    FISCAL_STRENGTH_NOT_APPLIED."""
    tally = Tally()
    tally.add(_outcome("eligible", "1201667", "0", "1201667", "360500.1"))
    found, warnings = totals(tally, V2021, adjust(V2021, SAPPORO, None))
    assert (found.measure_exact, found.measure, found.fiscal_strength_multiplier) == (
        D("360500.1"),
        D(361000),
        None,
    )
    assert warnings == (WarningCode.FISCAL_STRENGTH_NOT_APPLIED,)


def test_a_table_with_per_item_rounding_is_refused(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    make_bracket: Callable[..., dict[str, Any]],
) -> None:
    """Rounding per item would round before the multiplier: a rule file with a table and
    rounding.scope = "item" is refused."""
    with pytest.raises(ValidationError, match="rounding"):
        _table(rule_data, make_version, [make_bracket("1.0")], scope="item")


@pytest.mark.parametrize(
    ("mode", "unit", "scope", "exact", "expected"),
    [
        ("half_up", 1000, "declaration", "360499.5", "360000"),
        ("half_up", 1000, "declaration", "360500", "361000"),
        ("half_even", 1000, "declaration", "360500", "360000"),
        ("half_even", 1000, "declaration", "361500", "362000"),
        ("down", 1000, "declaration", "360999.9", "360000"),
        ("up", 1000, "declaration", "360000.1", "361000"),
        ("half_up", 1, "declaration", "0.5", "1"),
        ("half_up", 1000, "none", "360499.5", "360499.5"),
        ("half_up", 1000, "item", "360499.5", "360499.5"),
    ],
)
def test_round_total_follows_the_rule_file(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    mode: str,
    unit: int,
    scope: str,
    exact: str,
    expected: str,
) -> None:
    """The declaration's total is rounded by rounding.unit and .mode when the scope is the
    declaration; with scope "item" (already rounded per item) or "none" it is left as is."""
    data = rule_data()
    data["rounding"]["mode"]["value"] = mode
    data["rounding"]["unit"]["value"] = D(unit)
    data["rounding"]["scope"]["value"] = scope
    assert round_total(D(exact), make_version(data)) == D(expected)
    assert round_total(D(exact), None) == D(exact)


def _row(entity: str, amount: int) -> dict[str, Any]:
    return {
        "entity_code": entity,
        "fiscal_year": "R3",
        "item_id": "1",
        "description": "d",
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": amount,
    }


def test_batch_rounds_each_declaration() -> None:
    """Each government's total is rounded on its own: 499.5 → 0 and 500.1 → 1,000."""
    result = tokko.calculate_rows([_row("011002", 1665), _row("012025", 1667)])
    got = [(d.totals.measure_exact, d.totals.measure) for d in result.declarations]
    assert got == [(D("499.5"), D(0)), (D("500.1"), D(1000))]


@settings(max_examples=150, deadline=None)
@given(
    thousands=st.integers(min_value=0, max_value=10**9),
    remainder=st.one_of(st.sampled_from([0, 499, 500, 999]), st.integers(0, 999)),
    half=st.booleans(),
)
def test_rounding_at_the_500_yen_boundary(thousands: int, remainder: int, half: bool) -> None:
    """A total of 1000·k + r (+ 0.5) yen rounds up exactly when r ≥ 500 (360,499.5 → 360,000)."""
    amount = 2000 * thousands + 2 * remainder + int(half)  # joint rate 0.5: measure = amount / 2
    declaration = {
        "entity_code": "011002",
        "fiscal_year": "R3",
        "agreements": AGREEMENTS,
        "items": [
            {
                "item_id": "1",
                "description": "d",
                "technology": "AI",
                "expense_kind": "introduction",
                "amount": amount,
                "procurement": "joint",
                "agreement_id": "OK",
            }
        ],
    }
    result = tokko.calculate(declaration, explain=False)
    totals_ = json.loads(result.model_dump_json())["declarations"][0]["totals"]
    exact = D(1000 * thousands + remainder) + (D("0.5") if half else 0)
    assert D(totals_["measure_exact"]) == exact
    expected = 1000 * (thousands + (1 if remainder >= 500 else 0))
    assert D(totals_["measure"]) == expected


def test_without_a_government_two_tables_cannot_be_chosen(
    two_tables: RuleVersion,
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    make_bracket: Callable[..., dict[str, Any]],
) -> None:
    """A one-off check without a government, under a file with a prefecture and a municipality
    table, applies no multiplier and says the government is what is missing; with one table
    for both, the index alone picks the bracket."""
    assert adjust(two_tables, None, D("0.45"))[:] == (True, D("0.45"), None, "entity")
    found, warnings = totals(Tally(), two_tables, adjust(two_tables, None, D("0.45")))
    assert found.fiscal_strength_multiplier is None
    assert warnings == (WarningCode.FISCAL_STRENGTH_NOT_APPLIED,)
    one = _table(
        rule_data,
        make_version,
        [make_bracket("0.9", up_to="0.50"), make_bracket("0.7", above="0.50")],
    )
    assert adjust(one, None, D("0.45")).multiplier == D("0.9")
