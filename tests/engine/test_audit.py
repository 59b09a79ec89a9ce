"""The checks across rows (SPEC §4, batch-level checks; tokko.engine.audit): a repeated item id
is an error of the later row (ItemIds); the same contract declared twice and joint shares above
the contract total are warnings on every such row (ContractLedger)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import tokko
from tokko.engine.audit import ContractLedger, ContractRow, ItemIds
from tokko.model.codes import WarningCode
from tokko.rules.ruleset import RuleSet

D = Decimal
DUP = WarningCode.DUPLICATE_CONTRACT
OVER = WarningCode.JOINT_SHARES_EXCEED_CONTRACT


# ── ItemIds ──────────────────────────────────────────────────────────────────────────────────


def test_an_item_id_is_claimed_once_per_government_and_year() -> None:
    """The first claim of (government, year, id) stands; a later one is refused; the same id
    in another government or year is another key."""
    ids = ItemIds()
    assert ids.claim(("011002", 2021, "1"))
    assert ids.claim(("011002", 2021, "2"))
    assert not ids.claim(("011002", 2021, "1"))
    assert not ids.claim(("011002", 2021, "1"))
    assert ids.claim(("012025", 2021, "1"))
    assert ids.claim(("011002", 2022, "1"))


def test_keys_known_to_be_unique_are_not_held() -> None:
    """With may_repeat, keys a first pass found unique are accepted without being stored; the
    others are checked as usual."""
    asked: list[tuple[str, int, str]] = []

    def may_repeat(key: tuple[str, int, str]) -> bool:
        asked.append(key)
        return key[2] == "dup"

    ids = ItemIds(may_repeat)
    assert ids.claim(("011002", 2021, "x"))
    assert ids.claim(("011002", 2021, "x"))  # said unique by the first pass: not checked
    assert ids.claim(("011002", 2021, "dup"))
    assert not ids.claim(("011002", 2021, "dup"))
    assert asked.count(("011002", 2021, "x")) == 2


def test_a_repeated_item_id_is_an_error_of_the_later_row() -> None:
    """In a declaration, the later row with a repeated id is DUPLICATE_ITEM_ID; the first
    stands; ids compare folded (full-width and invisible characters do not make another id)."""
    items = [
        {
            "item_id": item_id,
            "description": "d",
            "technology": "AI",
            "expense_kind": "introduction",
            "amount": 1000,
        }
        for item_id in ("A-1", "Ａ－１", "A\u200b-1", "A-2")
    ]
    result = tokko.calculate({"entity_code": "011002", "fiscal_year": "R3", "items": items})
    assert [i.status for i in result.declarations[0].items] == [
        "eligible",
        "error",
        "error",
        "eligible",
    ]
    assert [(e.row, e.code) for e in result.errors] == [
        (2, "DUPLICATE_ITEM_ID"),
        (3, "DUPLICATE_ITEM_ID"),
    ]


# ── ContractLedger ───────────────────────────────────────────────────────────────────────────


def _contract(
    entity: str,
    amount: int,
    procurement: str = "single",
    total: int | None = None,
    year: int = 2021,
    contract: str = "K-1",
) -> ContractRow:
    return ContractRow(
        contract, entity, year, procurement, D(amount), None if total is None else D(total)
    )


def _ledger(*rows: ContractRow) -> ContractLedger:
    ledger = ContractLedger()
    for row in rows:
        ledger.add(row)
    return ledger


def test_the_same_contract_twice_in_one_declaration() -> None:
    """One government declaring a contract twice in one year warns on both rows; once in each
    of two years does not."""
    first, second = _contract("011002", 100), _contract("011002", 200)
    ledger = _ledger(first, second)
    assert ledger.warnings(first) == ledger.warnings(second) == (DUP,)
    other_year = _contract("011002", 100, year=2022)
    assert _ledger(first, other_year).warnings(first) == ()


def test_a_single_contract_declared_by_several_governments() -> None:
    """A single procurement declared by two governments in one year warns on every row; a
    joint contract shared by several governments does not."""
    sapporo, hakodate = _contract("011002", 100), _contract("012025", 100)
    ledger = _ledger(sapporo, hakodate)
    assert ledger.warnings(sapporo) == ledger.warnings(hakodate) == (DUP,)
    joint = [_contract("011002", 100, "joint", 300), _contract("012025", 100, "joint", 300)]
    ledger = _ledger(*joint)
    assert [ledger.warnings(row) for row in joint] == [(), ()]


def test_joint_shares_above_the_contract_total() -> None:
    """Joint shares summing above the contract's total warn on every share; equal is fine; a
    row whose contract was never added is checked alone."""
    over = [
        _contract("011002", 600000, "joint", 1000000),
        _contract("010006", 500000, "joint", 1000000),
    ]
    ledger = _ledger(*over)
    assert [ledger.warnings(row) for row in over] == [(OVER,), (OVER,)]
    exact = [
        _contract("011002", 500000, "joint", 1000000),
        _contract("010006", 500000, "joint", 1000000),
    ]
    ledger = _ledger(*exact)
    assert [ledger.warnings(row) for row in exact] == [(), ()]
    alone = _contract("011002", 1200, "joint", 1000, contract="K-9")
    assert ContractLedger().warnings(alone) == (OVER,)
    assert len(ledger) == 1
    assert "K-1" in ledger
    assert "K-9" not in ledger


def test_the_smallest_stated_total_is_the_contracts() -> None:
    """Shares that state different totals are held to the smallest of them."""
    rows = [_contract("011002", 600, "joint", 2000), _contract("010006", 600, "joint", 1000)]
    ledger = _ledger(*rows)
    assert [ledger.warnings(row) for row in rows] == [(OVER,), (OVER,)]


def test_the_checks_are_switched_by_the_rule_file() -> None:
    """audit_checks.duplicate_contract and .joint_shares_within_contract_total turn each off."""
    rows = [_contract("011002", 600, "joint", 1000), _contract("011002", 600, "joint", 1000)]
    ledger = _ledger(*rows)
    assert ledger.warnings(rows[0]) == (DUP, OVER)
    assert ledger.warnings(rows[0], duplicates=False) == (OVER,)
    assert ledger.warnings(rows[0], joint_shares=False) == (DUP,)
    assert ledger.warnings(rows[0], duplicates=False, joint_shares=False) == ()


def test_switches_off_in_a_rule_file_reach_the_result(
    rule_data: Callable[[], dict[str, Any]],
    make_rules: Callable[[Any], RuleSet],
) -> None:
    """With both audit checks off in the rule file, the same contract twice warns nothing."""
    data = rule_data()
    data["audit_checks"]["duplicate_contract"]["value"] = False
    data["audit_checks"]["joint_shares_within_contract_total"]["value"] = False
    rows = [_row("011002", str(n), contract_id="K-1") for n in (1, 2)]
    assert _warnings(_document(tokko.calculate_rows(rows, make_rules(data)))) == [[], []]
    assert _warnings(_document(tokko.calculate_rows(rows))) == [["DUPLICATE_CONTRACT"]] * 2


# ── Through calculate_rows (SPEC §4, batch-level checks) ────────────────────────────────────


def _row(entity: str, item_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "entity_code": entity,
        "fiscal_year": "R3",
        "item_id": item_id,
        "description": "AI-OCRの導入",
        "technology": "AI",
        "expense_kind": "導入・構築",
        "amount": "1,000,000",
        **fields,
    }


def _document(result: tokko.Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.model_dump_json())
    return document


def _warnings(document: dict[str, Any]) -> list[list[str]]:
    return [sorted(i["warnings"]) for d in document["declarations"] for i in d["items"]]


def test_batch_single_contract_declared_by_several_governments() -> None:
    """A single-procurement contract declared by two governments warns DUPLICATE_CONTRACT twice."""
    rows = [
        _row("011002", "1", contract_id="K-9"),
        _row("012025", "1", contract_id="K-9"),
        _row("013030", "1", contract_id="K-10"),
    ]
    document = _document(tokko.calculate_rows(rows))
    assert _warnings(document) == [["DUPLICATE_CONTRACT"], ["DUPLICATE_CONTRACT"], []]
    assert all(d["items"][0]["status"] == "eligible" for d in document["declarations"])


def test_batch_joint_shares_above_the_contract_total() -> None:
    """Joint shares of 600,000 + 500,000 under a 1,000,000 contract warn on every such row."""
    agreement = tokko.Agreement(
        agreement_id="協定-01", concluded_on="2021-05-10", parties=["010006", "011002"]
    )
    joint = {"procurement": "joint", "agreement_id": "協定-01", "contract_total": 1000000}
    over = [
        _row("011002", "1", amount=600000, contract_id="K-J", **joint),
        _row("010006", "1", amount=500000, contract_id="K-J", **joint),
    ]
    document = _document(tokko.calculate_rows(over, None, [agreement]))
    assert _warnings(document) == [["JOINT_SHARES_EXCEED_CONTRACT"]] * 2
    assert [d["items"][0]["reasons"] for d in document["declarations"]] == [["JOINT_RATE"]] * 2
    exact = [
        _row("011002", "1", amount=500000, contract_id="K-J", **joint),
        _row("010006", "1", amount=500000, contract_id="K-J", **joint),
    ]
    assert _warnings(_document(tokko.calculate_rows(exact, None, [agreement]))) == [[], []]


def test_a_contract_pasted_twice_warns_on_the_first_row_too() -> None:
    """A row refused only as a repeated item id still counts for the contract checks: the
    first row carries DUPLICATE_CONTRACT."""
    rows = [_row("011002", "1", contract_id="K-1"), _row("011002", "1", contract_id="K-1")]
    result = tokko.calculate_rows(rows)
    first, second = result.declarations[0].items
    assert (first.status, first.warnings) == ("eligible", ["DUPLICATE_CONTRACT"])
    assert (second.status, second.errors) == ("error", ["DUPLICATE_ITEM_ID"])


def test_contract_ids_compare_folded() -> None:
    """C-001, full-width Ｃ－００１ and C\\u200b-001 are one contract."""
    rows = [
        _row("011002", "1", contract_id="C-001"),
        _row("012025", "1", contract_id="Ｃ－００１"),
        _row("013030", "1", contract_id="C\u200b-001"),
    ]
    assert _warnings(_document(tokko.calculate_rows(rows))) == [["DUPLICATE_CONTRACT"]] * 3


# ── Boundaries found by the mutation run (issue 15 item 9) ──────────────────────────────────


def test_a_repeated_item_id_is_answered_false_not_unknown() -> None:
    """claim answers True or False, never None: the batch reads None as "not claimed yet", so
    a repeated id answered None would slip through as a second valid row."""
    ids = ItemIds()
    assert ids.claim(("011002", 2021, "1")) is True
    assert ids.claim(("011002", 2021, "1")) is False
    held = ItemIds(lambda key: True)
    assert held.claim(("011002", 2021, "1")) is True
    assert held.claim(("011002", 2021, "1")) is False


def test_a_lone_row_is_held_to_its_own_total_only_when_joint() -> None:
    """A row whose contract was never added is checked alone: a joint share above its own
    contract total warns; one equal to it does not; a single procurement, a share without a
    total, or the check switched off never warns."""
    ledger = ContractLedger()
    assert ledger.warnings(_contract("011002", 1001, "joint", 1000, contract="K-9")) == (OVER,)
    assert ledger.warnings(_contract("011002", 1000, "joint", 1000, contract="K-9")) == ()
    assert ledger.warnings(_contract("011002", 999, "joint", 1000, contract="K-9")) == ()
    assert ledger.warnings(_contract("011002", 5000, "single", 1000, contract="K-9")) == ()
    assert ledger.warnings(_contract("011002", 5000, "single", None, contract="K-9")) == ()
    assert ledger.warnings(_contract("011002", 5000, "joint", None, contract="K-9")) == ()
    assert (
        ledger.warnings(
            _contract("011002", 1001, "joint", 1000, contract="K-9"), joint_shares=False
        )
        == ()
    )
