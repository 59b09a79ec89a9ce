"""SPEC §4 step 4: the joint rate when procurement is joint and the agreement exists, was
concluded, has the minimum parties and includes the declarer; else the standard rate and a
warning naming the failed condition; no joint rate in force → JOINT_RATE_NOT_IN_FORCE
(tokko.engine.steps.select_rate, joint_failures)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import tokko
from tokko.engine.steps import Agreement, Context, joint_failures, select_rate
from tokko.model.codes import ReasonCode, WarningCode
from tokko.rules.ruleset import RuleVersion

SHIPPED = tokko.load_rules()
V2021 = SHIPPED.for_year(2021)
V2020 = SHIPPED.for_year(2020)
W = WarningCode


def _agreement(agreement_id: str, concluded_on: str | None, *parties: str) -> Agreement:
    return tokko.Agreement(
        agreement_id=agreement_id, concluded_on=concluded_on, parties=list(parties)
    )


BOOK: dict[str, Agreement] = {
    a.agreement_id: a
    for a in [
        _agreement("OK", "2021-05-10", "010006", "011002"),
        _agreement("LAST-DAY", "2022-03-31", "010006", "011002"),
        _agreement("LATE", "2022-04-01", "010006", "011002"),
        _agreement("UNDATED", None, "010006", "011002"),
        _agreement("ALONE", "2021-05-10", "011002"),
        _agreement("OTHERS", "2021-05-10", "010006", "012025"),
        _agreement("ALL-WRONG", "2023-01-01", "012025"),
        _agreement("THREE", "2021-05-10", "010006", "011002", "012025"),
    ]
}


def _context(
    rules: RuleVersion = V2021, entity: str | None = "011002", year: int = 2021
) -> Context:
    return Context(entity, year, rules, BOOK)


@pytest.mark.parametrize(
    ("agreement_id", "failures"),
    [
        ("OK", ()),
        ("LAST-DAY", ()),
        ("THREE", ()),
        (None, (W.JOINT_WITHOUT_AGREEMENT,)),
        ("NOWHERE", (W.AGREEMENT_UNKNOWN,)),
        ("LATE", (W.AGREEMENT_NOT_CONCLUDED,)),
        ("UNDATED", (W.AGREEMENT_NOT_CONCLUDED,)),
        ("ALONE", (W.AGREEMENT_TOO_FEW_PARTIES,)),
        ("OTHERS", (W.AGREEMENT_NOT_PARTY,)),
        (
            "ALL-WRONG",
            (W.AGREEMENT_NOT_CONCLUDED, W.AGREEMENT_TOO_FEW_PARTIES, W.AGREEMENT_NOT_PARTY),
        ),
    ],
)
def test_joint_conditions(agreement_id: str | None, failures: tuple[WarningCode, ...]) -> None:
    """Each joint_procurement condition that fails is named (31 March is still in the fiscal
    year; no date of conclusion is not concluded); all of them hold → the joint rate."""
    rate, reason, warnings, _ = select_rate("joint", agreement_id, _context())
    assert warnings == failures
    if failures:
        assert (rate, reason) == (Decimal("0.3"), ReasonCode.STANDARD_RATE)
    else:
        assert (rate, reason) == (Decimal("0.5"), ReasonCode.JOINT_RATE)


@pytest.mark.parametrize("agreement_id", [None, "OK", "OTHERS"])
def test_single_procurement_gets_the_standard_rate(agreement_id: str | None) -> None:
    """A single procurement gets rates.standard whatever agreement it names, without warning."""
    assert select_rate("single", agreement_id, _context())[:3] == (
        Decimal("0.3"),
        ReasonCode.STANDARD_RATE,
        (),
    )


def test_without_a_declaring_government_the_party_condition_is_not_checked() -> None:
    """A one-off check without a government cannot check that the declarer is a party."""
    assert joint_failures("OTHERS", _context(entity=None))[0] == ()


def test_the_concluded_condition_follows_the_fiscal_year() -> None:
    """An agreement concluded on 1 April 2022 is too late for fiscal 2021, in time for 2022."""
    assert joint_failures("LATE", _context(year=2021))[0] == (W.AGREEMENT_NOT_CONCLUDED,)
    assert joint_failures("LATE", _context(year=2022))[0] == ()


def test_fiscal_2020_has_no_joint_rate() -> None:
    """The 2020.1 rules have no joint rate: a joint item gets the standard rate and
    JOINT_RATE_NOT_IN_FORCE, whatever its agreement; nothing else is checked."""
    assert V2020.rate_joint is None
    for agreement_id in ("OK", "ALL-WRONG", None):
        assert select_rate("joint", agreement_id, _context(V2020, year=2020))[:3] == (
            Decimal("0.3"),
            ReasonCode.STANDARD_RATE,
            (W.JOINT_RATE_NOT_IN_FORCE,),
        )


Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        table = data
        *parents, last = path.split(".")
        for key in parents:
            table = table[key]
        table[last] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "agreement_id", "failures"),
    [
        (_set("joint_procurement.agreement_required.value", False), None, ()),
        (_set("joint_procurement.agreement_required.value", False), "NOWHERE", ()),
        (
            _set("joint_procurement.agreement_required.value", False),
            "ALONE",
            (W.AGREEMENT_TOO_FEW_PARTIES,),
        ),
        (_set("joint_procurement.min_parties.value", 3), "OK", (W.AGREEMENT_TOO_FEW_PARTIES,)),
        (_set("joint_procurement.min_parties.value", 3), "THREE", ()),
        (_set("joint_procurement.min_parties.value", 1), "ALONE", ()),
        (_set("joint_procurement.declarer_must_be_party.value", False), "OTHERS", ()),
        (_set("joint_procurement.concluded_by_fiscal_year_end.value", False), "LATE", ()),
        (_set("joint_procurement.concluded_by_fiscal_year_end.value", False), "UNDATED", ()),
    ],
)
def test_conditions_are_the_rule_files(
    rule_data: Callable[[], dict[str, Any]],
    make_version: Callable[[Any], RuleVersion],
    edit: Edit,
    agreement_id: str | None,
    failures: tuple[WarningCode, ...],
) -> None:
    """Every condition of the joint rate is a switch or a number of the rule file."""
    data = rule_data()
    edit(data)
    assert joint_failures(agreement_id, _context(make_version(data)))[0] == failures


def test_rates_are_the_rule_files(
    rule_data: Callable[[], dict[str, Any]], make_version: Callable[[Any], RuleVersion]
) -> None:
    """The standard and joint rates are read from rates.standard and rates.joint."""
    data = rule_data()
    data["rates"]["standard"]["value"] = Decimal("0.25")
    data["rates"]["joint"]["value"] = Decimal("0.45")
    context = _context(make_version(data))
    assert select_rate("single", None, context)[0] == Decimal("0.25")
    assert select_rate("joint", "OK", context)[0] == Decimal("0.45")
    assert select_rate("joint", "LATE", context)[0] == Decimal("0.25")


@pytest.mark.parametrize(
    ("extra", "rate", "reason", "warnings"),
    [
        ({"agreement_parties": ["011002", "010006"]}, "0.5", "JOINT_RATE", []),
        (
            {"agreement_parties": ["010006", "012025"]},
            "0.3",
            "STANDARD_RATE",
            ["AGREEMENT_NOT_PARTY"],
        ),
        ({"agreement_parties": ["011002"]}, "0.3", "STANDARD_RATE", ["AGREEMENT_TOO_FEW_PARTIES"]),
        (
            {"agreement_parties": ["011002", "010006"], "agreement_concluded_on": "2022-04-01"},
            "0.3",
            "STANDARD_RATE",
            ["AGREEMENT_NOT_CONCLUDED"],
        ),
        ({}, "0.3", "STANDARD_RATE", ["JOINT_WITHOUT_AGREEMENT"]),
    ],
)
def test_check_item_joint(
    extra: dict[str, Any], rate: str, reason: str, warnings: list[str]
) -> None:
    """A joint check gets 0.5 only when every condition of the joint rate holds, else a warning."""
    item = tokko.check_item(
        technology="AI",
        expense_kind="introduction",
        amount=1000000,
        fiscal_year="R3",
        procurement="joint",
        entity_code="011002",
        **extra,
    )
    assert item.errors == []
    assert item.rate == Decimal(rate)
    assert item.reasons == [reason]
    assert sorted(item.warnings) == sorted(warnings)


def test_check_item_agreement_is_concluded_on_the_first_day_by_default() -> None:
    """Without a date, check_item assumes the agreement was concluded on 1 April of the year."""
    item = tokko.check_item(
        technology="AI",
        expense_kind="introduction",
        amount=1000,
        fiscal_year="R3",
        procurement="joint",
        agreement_parties="011002;010006",
    )
    assert (item.rate, item.warnings) == (Decimal("0.5"), [])
