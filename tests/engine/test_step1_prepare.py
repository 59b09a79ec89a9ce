"""SPEC §4 step 1: validate the row (§3) — every cell read, each bad cell a problem, none
stopping the others; the government, the fiscal year, the rule version in force, the item and
the fiscal strength index (tokko.engine.prepare)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import tokko
from tokko.engine.prepare import Row, prepare
from tokko.model.codes import ErrorCode, WarningCode

RULES = tokko.load_rules()


def _data(**fields: Any) -> dict[str, Any]:
    return {
        "entity_code": "011002",
        "fiscal_year": "R3",
        "item_id": "1",
        "description": "AI-OCRの導入",
        "technology": "AI",
        "expense_kind": "導入・構築",
        "amount": "1,000,000",
        **fields,
    }


def _problems(**fields: Any) -> list[tuple[str | None, str]]:
    prepared = prepare(Row(_data(**fields), "in.csv", 2), RULES)
    return [(p.column, str(p.code)) for p in prepared.problems]


def test_a_valid_row_is_read_whole() -> None:
    """A valid row gives its government, year, rule version, item (spellings read) and no
    problem."""
    prepared = prepare(
        Row(_data(amount="１，２００，０００", procurement="共同", introduced_in="令和3年度")),
        RULES,
    )
    assert prepared.problems == ()
    assert prepared.entity is not None
    assert (prepared.entity.code, prepared.entity.name) == ("011002", "札幌市")
    assert prepared.fiscal_year == 2021
    assert prepared.rules is not None
    assert prepared.rules.version == "2021.2"
    assert prepared.item is not None
    assert (prepared.item.amount, prepared.item.procurement, prepared.item.introduced_in) == (
        Decimal(1200000),
        "joint",
        2021,
    )
    assert prepared.fiscal_strength_index is None
    assert prepared.warnings == ()


def test_every_bad_cell_is_a_problem_of_its_own() -> None:
    """A bad code, a bad year and a bad amount are three problems, each at its column, with the
    row's file and number."""
    prepared = prepare(
        Row(_data(entity_code="011003", fiscal_year="平成32年度", amount="1.5"), "in.csv", 7), RULES
    )
    assert sorted((p.column, str(p.code)) for p in prepared.problems) == [
        ("amount", "INVALID_AMOUNT"),
        ("entity_code", "INVALID_CODE"),
        ("fiscal_year", "INVALID_FISCAL_YEAR"),
    ]
    assert {(p.file, p.row) for p in prepared.problems} == {("in.csv", 7)}
    assert prepared.item is None


def test_every_bad_cell_of_a_row_is_reported() -> None:
    """A row with a bad amount and an unknown expense kind reports both problems."""
    declaration = {
        "entity_code": "011002",
        "fiscal_year": "R3",
        "items": [
            {
                "item_id": "1",
                "description": "AI-OCRの導入",
                "technology": "AI",
                "amount": "abc",
                "expense_kind": "交際費",
            }
        ],
    }
    document = json.loads(tokko.calculate(declaration).model_dump_json())
    assert sorted((e["column"], e["code"]) for e in document["errors"]) == [
        ("amount", "INVALID_AMOUNT"),
        ("expense_kind", "UNKNOWN_VALUE"),
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"entity_code": None}, [("entity_code", "MISSING_FIELD")]),
        ({"entity_code": "　"}, [("entity_code", "MISSING_FIELD")]),
        ({"fiscal_year": ""}, [("fiscal_year", "MISSING_FIELD")]),
        ({"entity_code": "01999"}, [("entity_code", "UNKNOWN_ENTITY")]),
        ({"entity_code": "12203"}, [("entity_code", "AMBIGUOUS_CODE")]),
        ({"fiscal_year": "令和元年度"}, [("fiscal_year", "NO_RULES_FOR_YEAR")]),
        ({"expense_kind": "交際費"}, [("expense_kind", "UNKNOWN_VALUE")]),
        ({"amount": 10**15}, [("amount", "INVALID_AMOUNT")]),
        ({"introduced_in": "R4"}, [("introduced_in", "INVALID_FISCAL_YEAR")]),
        ({"introduced_in": "平成32年度"}, [("introduced_in", "INVALID_FISCAL_YEAR")]),
        (
            {"fiscal_strength_index": "0.455"},
            [("fiscal_strength_index", "INVALID_FISCAL_STRENGTH_INDEX")],
        ),
        (
            {"fiscal_strength_index": "△0.4"},
            [("fiscal_strength_index", "INVALID_FISCAL_STRENGTH_INDEX")],
        ),
    ],
)
def test_a_bad_cell_is_the_spec_code_at_its_column(
    fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    """Each kind of bad cell gives exactly its SPEC §4 error code, at its column."""
    assert _problems(**fields) == expected


@pytest.mark.parametrize(
    ("year", "version"),
    [("令和2年度", "2020.1"), (2021, "2021.2"), ("R7", "2021.2"), ("令和8年度", "2021.2")],
)
def test_the_version_in_force_is_chosen_by_year(year: object, version: str) -> None:
    """Fiscal 2020 is computed by 2020.1, fiscal 2021 on by 2021.2 (open-ended)."""
    prepared = prepare(Row(_data(fiscal_year=year)), RULES)
    assert prepared.rules is not None
    assert prepared.rules.version == version


def test_a_lost_leading_zero_is_restored_with_a_warning() -> None:
    """13951 names no 5-digit code but 013951 ニセコ町: used, with CODE_LEADING_ZERO_RESTORED;
    01100 is 札幌市 as a 5-digit code, without a warning."""
    restored = prepare(Row(_data(entity_code="13951")), RULES)
    assert restored.entity is not None
    assert (restored.entity.code, restored.entity.name) == ("013951", "ニセコ町")
    assert restored.warnings == (WarningCode.CODE_LEADING_ZERO_RESTORED,)
    assert restored.problems == ()
    five = prepare(Row(_data(entity_code="01100")), RULES)
    assert five.entity is not None
    assert (five.entity.code, five.warnings) == ("011002", ())


def test_the_restored_code_warning_reaches_the_item() -> None:
    """The step-1 warning is carried onto the computed item, beside the steps' own."""
    result = tokko.calculate(
        {"entity_code": "13951", "fiscal_year": "R3", "items": [_data(expense_kind="license")]}
    )
    [item] = result.declarations[0].items
    assert sorted(item.warnings) == ["CODE_LEADING_ZERO_RESTORED", "INTRODUCTION_YEAR_MISSING"]


@pytest.mark.parametrize(("introduced", "year"), [("R3", 2021), ("令和2年度", 2020), (2019, 2019)])
def test_a_year_of_introduction_up_to_the_fiscal_year_is_valid(
    introduced: object, year: int
) -> None:
    """introduced_in in or before the fiscal year is read (any spelling) and no problem."""
    prepared = prepare(Row(_data(introduced_in=introduced)), RULES)
    assert prepared.problems == ()
    assert prepared.item is not None
    assert prepared.item.introduced_in == year


@pytest.mark.parametrize(
    ("given", "index"),
    [
        ("0.45", Decimal("0.45")),
        ("０．４５", Decimal("0.45")),
        (1, Decimal("1.00")),
        (0.6, Decimal("0.60")),
        ("", None),
        (None, None),
    ],
)
def test_the_index_is_read_on_the_hundredth_grid(given: object, index: Decimal | None) -> None:
    """The fiscal strength index is read as typed (full-width too), or None when left empty."""
    prepared = prepare(Row(_data(fiscal_strength_index=given)), RULES)
    assert prepared.problems == ()
    assert prepared.fiscal_strength_index == index


def test_unit_thousand_reads_amounts_in_thousands() -> None:
    """With unit 1000 (a 千円 column), 1,200 is 1,200,000 yen, exactly, revenue too."""
    prepared = prepare(Row(_data(amount="1,200", specific_revenue="200")), RULES, 1000)
    assert prepared.item is not None
    assert (prepared.item.amount, prepared.item.specific_revenue) == (
        Decimal(1200000),
        Decimal(200000),
    )


def test_a_row_whose_government_cannot_be_read_belongs_to_no_declaration() -> None:
    """A row with an unreadable government or year is only an error of the run: no
    "(unknown)" declaration is made up for it."""
    rows = [_data(entity_code="011003"), _data(fiscal_year="平成32年度"), _data(item_id="2")]
    result = tokko.calculate_rows(rows)
    assert [(d.entity_code, len(d.items)) for d in result.declarations] == [("011002", 1)]
    assert [(e.row, e.code) for e in result.errors] == [
        (1, "INVALID_CODE"),
        (2, "INVALID_FISCAL_YEAR"),
    ]


def test_a_later_row_with_another_index_conflicts() -> None:
    """A later row of the same government and year giving another index is an error
    (FISCAL_STRENGTH_INDEX_CONFLICT) and the first index stands; the same index, or none, is
    fine; another government may give its own."""
    rows = [
        _data(item_id="1", fiscal_strength_index="0.45"),
        _data(item_id="2", fiscal_strength_index="0.450"),
        _data(item_id="3"),
        _data(item_id="4", fiscal_strength_index="0.46"),
        _data(item_id="1", entity_code="012025", fiscal_strength_index="0.46"),
    ]
    result = tokko.calculate_rows(rows)
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (4, "fiscal_strength_index", ErrorCode.FISCAL_STRENGTH_INDEX_CONFLICT)
    ]
    sapporo, hakodate = result.declarations
    assert [i.status for i in sapporo.items] == ["eligible", "eligible", "eligible", "error"]
    assert sapporo.totals.fiscal_strength_index == Decimal("0.45")
    assert hakodate.totals.fiscal_strength_index == Decimal("0.46")


def test_an_index_given_by_the_caller_stands_against_the_rows() -> None:
    """indices= (a --fiscal-strength file) gives the index first: a row giving another is a
    conflict, a row giving the same is not."""
    rows = [
        _data(item_id="1", fiscal_strength_index="0.30"),
        _data(item_id="2", fiscal_strength_index="0.31"),
    ]
    result = tokko.calculate_rows(rows, indices={("011002", 2021): Decimal("0.31")})
    assert [(e.row, e.code) for e in result.errors] == [(1, "FISCAL_STRENGTH_INDEX_CONFLICT")]
    assert result.declarations[0].totals.fiscal_strength_index == Decimal("0.31")


def test_an_error_rows_item_id_is_shown_as_read() -> None:
    """An item id is compared folded (full-width and invisible characters removed); an error
    row shows it as read too, exactly as a valid row with the same id would."""
    rows = [_data(item_id="Ａ\u200b－１", amount="1.5"), _data(item_id="Ｂ\u200b－２")]
    result = tokko.calculate_rows(rows)
    assert [i.item_id for i in result.declarations[0].items] == ["A-1", "B-2"]


# ── The declaration a row belongs to; ids that cannot be read (issue 15 item 9) ─────────────


@pytest.mark.parametrize(
    ("fields", "group"),
    [
        ({}, ("011002", "2021")),
        ({"entity_code": "01100", "fiscal_year": "令和３年度"}, ("011002", "2021")),
        ({"entity_code": 11002, "fiscal_year": 2021.0}, ("011002", "2021")),
        ({"fiscal_year": " 平成32年度 "}, ("011002", "平成32年度")),
        ({"entity_code": " 011003 "}, ("011003", "2021")),
        ({"entity_code": None, "fiscal_year": None}, ("", "")),
    ],
)
def test_a_row_belongs_to_the_declaration_it_names(
    fields: dict[str, Any], group: tuple[str, str]
) -> None:
    """A row's declaration is its government's 6-digit code and its fiscal year as a Western
    year, however they were spelled; what could not be read is kept as typed (trimmed), so
    rows with the same unreadable value stay together."""
    assert prepare(Row(_data(**fields)), RULES).group == group


@pytest.mark.parametrize("item_id", ["X" * 300, True])
def test_an_unreadable_item_id_of_an_error_row_is_shown_as_typed(item_id: object) -> None:
    """An error row whose item id cannot be read as an id (too long, a truth value) still shows
    it as typed, so the reviewer can find the row."""
    result = tokko.calculate_rows([_data(item_id=item_id)])
    (item,) = result.declarations[0].items
    assert item.status == "error"
    assert item.item_id == str(item_id)
