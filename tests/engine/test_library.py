"""The public library API (SPEC §5): models, calculate, calculate_rows, check_item, Result JSON,
rule loading, and messages in the language asked for."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import tokko
from tokko.engine.calculate import check
from tokko.messages import t
from tokko.model.codes import ALL_CODES, ErrorCode

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{2,})+")
AMOUNT = re.compile(r"^\d+(\.\d+)?$")
SHIPPED_RULES = Path(__file__).resolve().parents[2] / "rules"
CODE_NAMES = {str(code) for code in ALL_CODES}


def _item(**fields: Any) -> dict[str, Any]:
    return {
        "item_id": "1",
        "description": "AI-OCRの導入",
        "technology": "AI",
        "expense_kind": "導入・構築",
        "amount": "1,000,000",
        **fields,
    }


def _error_types(error: ValidationError) -> list[tuple[str, tuple[Any, ...]]]:
    return [(e["type"], tuple(e["loc"])) for e in error.errors()]


def _document(result: tokko.Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.model_dump_json())
    return document


# ── The names ────────────────────────────────────────────────────────────────────────────────


def test_all_names_exist() -> None:
    """Every name in tokko.__all__ is an attribute of the package."""
    missing = [name for name in tokko.__all__ if not hasattr(tokko, name)]
    assert not missing


def test_spec_names_are_public() -> None:
    """The names SPEC §5 promises are exported in __all__."""
    promised = {
        "load_rules",
        "calculate",
        "check_item",
        "Declaration",
        "ExpenseItem",
        "Agreement",
        "Result",
        "fiscal_strength_index",
    }
    assert promised <= set(tokko.__all__)


def test_plumbing_is_not_public() -> None:
    """The API is small: the engine's plumbing (rows, ledgers, outcomes) is not in tokko."""
    assert len(tokko.__all__) <= 20
    for name in (
        "Row",
        "Prepared",
        "Outcome",
        "ContractLedger",
        "ItemIds",
        "calculate_many",
        "CODES",
        "FieldError",
    ):
        assert name not in tokko.__all__
        assert not hasattr(tokko, name), name


# ── Models: SPEC spellings in, SPEC codes out ────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("amount", "1,234,567", Decimal(1234567)),
        ("amount", "１２３４５６７", Decimal(1234567)),
        ("amount", "1234567円", Decimal(1234567)),
        ("amount", "¥1,234,567", Decimal(1234567)),
        ("amount", 1234567, Decimal(1234567)),
        ("specific_revenue", "１，０００", Decimal(1000)),
        ("procurement", "共同", "joint"),
        ("procurement", "単独", "single"),
        ("procurement", "単独発注", "single"),
        ("procurement", "共同調達", "joint"),
        ("procurement", "joint", "joint"),
        ("procurement", "", "single"),
        ("contract_total", "2,000,000", Decimal(2000000)),
        ("introduced_in", "令和2年度", 2020),
        ("introduced_in", "R3", 2021),
        ("introduced_in", "", None),
    ],
)
def test_expense_item_reads_spec_spellings(field: str, value: object, expected: object) -> None:
    """ExpenseItem accepts the spellings of SPEC §3 and stores the canonical value."""
    item = tokko.ExpenseItem(**_item(**{field: value}))
    assert getattr(item, field) == expected


def test_expense_item_defaults() -> None:
    """Without them, specific revenue is 0, procurement single, and the optional ids and the
    year of introduction are None."""
    item = tokko.ExpenseItem(**_item())
    assert item.specific_revenue == 0
    assert item.procurement == "single"
    assert (item.agreement_id, item.contract_id, item.contract_total) == (None, None, None)
    assert item.introduced_in is None


def test_check_item_accepts_an_item_or_a_mapping() -> None:
    """check_item takes the expense as keywords, an ExpenseItem or a mapping; keywords win; an
    unknown keyword is a TypeError from Python itself."""
    keywords = tokko.check_item(
        technology="RPA",
        expense_kind="license",
        amount=2000,
        fiscal_year="R4",
        procurement="single",
    )
    model = tokko.ExpenseItem(
        item_id="1", description="RPA", technology="RPA", expense_kind="license", amount=2000
    )
    assert tokko.check_item(model, fiscal_year="R4") == keywords
    mapping = {"technology": "RPA", "expense_kind": "license", "amount": 9, "fiscal_year": "R4"}
    assert tokko.check_item(mapping, amount=2000) == keywords
    assert keywords.measure == Decimal(600)
    with pytest.raises(TypeError):
        tokko.check_item(
            technology="AI",
            expens_kind="license",
            amount=1,  # type: ignore[call-arg]
            fiscal_year="R4",
        )
    with pytest.raises(TypeError):
        tokko.check_item(
            technology="AI",
            expense_kind="license",
            amount=1,  # type: ignore[call-arg]
            fiscal_year="R4",
            joint=True,
        )


@pytest.mark.parametrize(
    ("fields", "code", "column"),
    [
        ({"amount": "1.5"}, "INVALID_AMOUNT", "amount"),
        ({"amount": 1.5}, "INVALID_AMOUNT", "amount"),
        ({"amount": -3}, "INVALID_AMOUNT", "amount"),
        ({"amount": 10**15}, "INVALID_AMOUNT", "amount"),
        ({"amount": "1,200千円"}, "INVALID_AMOUNT", "amount"),
        ({"specific_revenue": "-1"}, "INVALID_AMOUNT", "specific_revenue"),
        ({"specific_revenue": "△1"}, "INVALID_AMOUNT", "specific_revenue"),
        ({"description": ""}, "MISSING_FIELD", "description"),
        ({"technology": ""}, "MISSING_FIELD", "technology"),
        ({"amount": None}, "MISSING_FIELD", "amount"),
        ({"procurement": "both"}, "UNKNOWN_VALUE", "procurement"),
        ({"introduced_in": "平成32年度"}, "INVALID_FISCAL_YEAR", "introduced_in"),
    ],
)
def test_expense_item_error_type_is_the_spec_code(
    fields: dict[str, Any], code: str, column: str
) -> None:
    """A bad value raises ValidationError whose error type is the SPEC §4 code, at its field."""
    with pytest.raises(ValidationError) as caught:
        tokko.ExpenseItem(**_item(**fields))
    assert (code, (column,)) in _error_types(caught.value)


def test_expense_item_reports_every_bad_field() -> None:
    """Two bad fields give two errors, each with its own code."""
    with pytest.raises(ValidationError) as caught:
        tokko.ExpenseItem(**_item(amount="1.5", procurement="both"))
    assert sorted(_error_types(caught.value)) == [
        ("INVALID_AMOUNT", ("amount",)),
        ("UNKNOWN_VALUE", ("procurement",)),
    ]


def test_declaration_reads_spec_spellings() -> None:
    """A declaration accepts a 5-digit code and 令和元年度: 6 digits and the Western year stored;
    the index is read on the hundredth grid."""
    declaration = tokko.Declaration(entity_code="01100", fiscal_year="令和元年度", items=[_item()])
    assert declaration.entity_code == "011002"
    assert declaration.fiscal_year == 2019
    assert declaration.items[0].amount == Decimal(1000000)
    assert tokko.Declaration(entity_code="011002", fiscal_year="H31").fiscal_year == 2019
    assert tokko.Declaration(entity_code="011002", fiscal_year="２０２１年度").fiscal_year == 2021
    assert tokko.Declaration(entity_code="13951", fiscal_year="R3").entity_code == "013951"
    indexed = tokko.Declaration(
        entity_code="011002", fiscal_year="R3", fiscal_strength_index="０．４５"
    )
    assert indexed.fiscal_strength_index == Decimal("0.45")


@pytest.mark.parametrize(
    ("fields", "code", "loc"),
    [
        ({"entity_code": "011003"}, "INVALID_CODE", ("entity_code",)),
        ({"entity_code": "01999"}, "UNKNOWN_ENTITY", ("entity_code",)),
        ({"entity_code": "12203"}, "AMBIGUOUS_CODE", ("entity_code",)),
        ({"entity_code": ""}, "MISSING_FIELD", ("entity_code",)),
        ({"fiscal_year": "平成32年度"}, "INVALID_FISCAL_YEAR", ("fiscal_year",)),
        (
            {"fiscal_strength_index": "0.455"},
            "INVALID_FISCAL_STRENGTH_INDEX",
            ("fiscal_strength_index",),
        ),
        (
            {"fiscal_strength_index": "-0.1"},
            "INVALID_FISCAL_STRENGTH_INDEX",
            ("fiscal_strength_index",),
        ),
        ({"items": [_item(amount="1.5")]}, "INVALID_AMOUNT", ("items", 0, "amount")),
    ],
)
def test_declaration_error_type_is_the_spec_code(
    fields: dict[str, Any], code: str, loc: tuple[Any, ...]
) -> None:
    """A bad declaration raises ValidationError whose type is the SPEC code, at its location."""
    data = {"entity_code": "011002", "fiscal_year": "R3", **fields}
    with pytest.raises(ValidationError) as caught:
        tokko.Declaration(**data)
    assert (code, loc) in _error_types(caught.value)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"parties": ["011002", "010006"]}, ("011002", "010006")),
        ({"parties": "011002;010006"}, ("011002", "010006")),
        ({"parties": "011002、01000"}, ("011002", "010006")),
    ],
)
def test_agreement_reads_parties(fields: dict[str, Any], expected: tuple[str, ...]) -> None:
    """Agreement parties are a list, or codes separated by ; or 、, stored as 6-digit codes."""
    agreement = tokko.Agreement(agreement_id="協定-01", **fields)
    assert agreement.parties == expected


@pytest.mark.parametrize("spelling", ["2021-05-10", "2021/5/10", "令和3年5月10日", "2021年5月10日"])
def test_agreement_reads_dates(spelling: str) -> None:
    """concluded_on accepts ISO, slashes, the Japanese era form and 年月日 (SPEC §3)."""
    agreement = tokko.Agreement(agreement_id="協定-01", parties=["011002"], concluded_on=spelling)
    assert agreement.concluded_on == dt.date(2021, 5, 10)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"parties": []}, "MISSING_FIELD"),
        ({"parties": ["011003"]}, "INVALID_CODE"),
        ({"parties": ["01999"]}, "UNKNOWN_ENTITY"),
        ({"parties": ["011002"], "agreement_id": ""}, "MISSING_FIELD"),
    ],
)
def test_agreement_error_type_is_the_spec_code(fields: dict[str, Any], code: str) -> None:
    """A bad agreement raises ValidationError whose type is the SPEC code."""
    data = {"agreement_id": "協定-01", **fields}
    with pytest.raises(ValidationError) as caught:
        tokko.Agreement(**data)
    assert code in [t for t, _ in _error_types(caught.value)]


@pytest.mark.parametrize(
    "date", ["2021-13-01", "令和3年13月1日", "平成32年4月1日", "令和3年2月30日", "R3/5/10"]
)
def test_agreement_bad_date_uses_the_closed_vocabulary(date: str) -> None:
    """An impossible or malformed date of conclusion (also in the era form) is refused with a
    code of the SPEC §4 vocabulary."""
    with pytest.raises(ValidationError) as caught:
        tokko.Agreement(agreement_id="協定-01", parties=["011002"], concluded_on=date)
    types = [t for t, _ in _error_types(caught.value)]
    assert types
    assert set(types) <= CODE_NAMES


@pytest.mark.parametrize(
    "build",
    [
        lambda: tokko.Agreement(agreement_id="協定-01", parties=["011002"], partys=["010006"]),
        lambda: tokko.Declaration(entity_code="011002", fiscal_year="R3", agreement=[]),
    ],
    ids=["agreement", "declaration"],
)
def test_unknown_key_error_type_is_a_spec_code(build: Any) -> None:
    """A misspelt key in an Agreement or Declaration raises UNKNOWN_COLUMN, as it does in an
    item: the strict models refuse it."""
    with pytest.raises(ValidationError) as caught:
        build()
    assert [t for t, _ in _error_types(caught.value)] == ["UNKNOWN_COLUMN"]


def test_expense_item_unknown_key_is_unknown_column() -> None:
    """A misspelt key in an ExpenseItem raises UNKNOWN_COLUMN at that key, never silently
    dropped (and the field it should have filled is missing)."""
    data = _item()
    data["amout"] = data.pop("amount")
    with pytest.raises(ValidationError) as caught:
        tokko.ExpenseItem(**data)
    types = _error_types(caught.value)
    assert ("UNKNOWN_COLUMN", ("amout",)) in types
    assert ("MISSING_FIELD", ("amount",)) in types


# ── calculate ────────────────────────────────────────────────────────────────────────────────

SAPPORO = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "items": [
        _item(item_id="1"),
        _item(
            item_id="2",
            technology="ＡＩ",
            expense_kind="利用料・ライセンス料",
            amount="１２３４５６７",
            specific_revenue="234,567",
            procurement="共同",
            agreement_id="協定-01",
            contract_id="K-1",
            contract_total="5,000,000",
            introduced_in="令和3年度",
        ),
        _item(item_id="3", technology="IoT", amount=500000),
        _item(item_id="4", business_area="住民記録", amount="700,000円"),
    ],
    "agreements": [
        {
            "agreement_id": "協定-01",
            "title": "共同調達協定",
            "concluded_on": "令和3年5月10日",
            "parties": "010006;011002",
        }
    ],
}


def test_calculate_model_equals_calculate_mapping() -> None:
    """calculate(Declaration(...)) gives exactly the JSON of calculate(the same dict)."""
    from_model = tokko.calculate(tokko.Declaration(**SAPPORO))
    from_mapping = tokko.calculate(SAPPORO)
    assert from_model.model_dump_json() == from_mapping.model_dump_json()


def test_calculate_example_values() -> None:
    """The example declaration gives the amounts worked out by hand from SPEC §4."""
    declaration = _document(tokko.calculate(SAPPORO))["declarations"][0]
    got = [
        (i["status"], Decimal(i["net"]), Decimal(i["measure"]), i["reasons"], i["warnings"])
        for i in declaration["items"]
    ]
    assert got == [
        ("eligible", Decimal(1000000), Decimal(300000), ["STANDARD_RATE"], []),
        ("eligible", Decimal(1000000), Decimal(500000), ["JOINT_RATE"], []),
        ("excluded", Decimal(500000), Decimal(0), ["EXCLUDED_TECHNOLOGY"], []),
        ("excluded", Decimal(700000), Decimal(0), ["EXCLUDED_STANDARDIZATION_TARGET"], []),
    ]
    totals = {k: Decimal(v) for k, v in declaration["totals"].items() if isinstance(v, str)}
    assert totals == {
        "amount": Decimal(3434567),
        "specific_revenue": Decimal(234567),
        "net": Decimal(2000000),
        "excluded": Decimal(1200000),
        "measure_by_rate": Decimal(800000),
        "measure_exact": Decimal(800000),
        "measure": Decimal(800000),
    }
    assert declaration["totals"]["fiscal_strength_index"] is None
    assert declaration["totals"]["fiscal_strength_multiplier"] is None
    assert declaration["warnings"] == ["FISCAL_STRENGTH_NOT_APPLIED"]
    assert declaration["rules_version"] == "2021.2"


def test_result_json_has_the_spec_6_shape() -> None:
    """Result.model_dump_json() has the keys of SPEC §6, with amounts as decimal strings and
    rules as a list."""
    declaration = {**SAPPORO, "items": [*SAPPORO["items"], _item(item_id="5", amount="1.5")]}
    document = _document(tokko.calculate(declaration, file="sapporo.json"))
    assert {"tokko_version", "rules", "declarations", "errors"} <= document.keys()
    assert document["tokko_version"] == tokko.__version__
    [rules] = document["rules"]
    assert {"measure", "version", "sha256", "path"} <= rules.keys()
    assert (rules["measure"], rules["version"], rules["path"]) == (
        "ai-rpa",
        "2021.2",
        "ai-rpa/2021.toml",
    )
    assert re.fullmatch(r"[0-9a-f]{64}", rules["sha256"])
    [result] = document["declarations"]
    assert {
        "entity_code",
        "entity_name",
        "fiscal_year",
        "rules_version",
        "items",
        "totals",
        "warnings",
    } <= result.keys()
    assert (result["entity_code"], result["entity_name"], result["fiscal_year"]) == (
        "011002",
        "札幌市",
        2021,
    )
    for item in result["items"]:
        assert {"item_id", "status", "net", "rate", "measure", "reasons", "warnings"} <= item.keys()
        assert item["status"] in ("eligible", "excluded", "error")
        for key in ("net", "rate", "measure"):
            value = item[key]
            assert value is None if item["status"] == "error" else AMOUNT.match(value), (key, value)
    totals = result["totals"]
    assert set(totals) == {
        "amount",
        "specific_revenue",
        "net",
        "excluded",
        "measure_by_rate",
        "fiscal_strength_index",
        "fiscal_strength_multiplier",
        "measure_exact",
        "measure",
    }
    for key in (
        "amount",
        "specific_revenue",
        "net",
        "excluded",
        "measure_by_rate",
        "measure_exact",
        "measure",
    ):
        assert isinstance(totals[key], str)
        assert AMOUNT.match(totals[key]), (key, totals[key])
    [error] = document["errors"]
    assert {"file", "row", "column", "code", "message"} <= error.keys()
    assert (error["file"], error["row"], error["column"], error["code"]) == (
        "sapporo.json",
        5,
        "amount",
        "INVALID_AMOUNT",
    )


@pytest.mark.parametrize(
    ("declaration", "loc"),
    [
        (None, ()),
        ([1, 2, 3], ()),
        ({"items": "notalist"}, ("items",)),
        ({"entity_code": "011002", "fiscal_year": "R3", "items": [1]}, ("items", 0)),
    ],
    ids=["none", "list", "items-not-a-list", "item-not-an-object"],
)
def test_calculate_refuses_what_is_no_declaration(declaration: Any, loc: tuple[Any, ...]) -> None:
    """Something that is not a declaration at all raises pydantic's ValidationError, at the
    place that is wrong; it is not an error row."""
    with pytest.raises(ValidationError) as caught:
        tokko.calculate(declaration)
    assert [tuple(e["loc"]) for e in caught.value.errors()] == [loc]


@pytest.mark.parametrize(
    ("rows", "loc"),
    [
        (None, ()),
        ("abc", ()),
        ({"entity_code": "011002"}, ()),
        (5, ()),
        ([1], (0,)),
    ],
    ids=["none", "text", "one-row-not-in-a-list", "number", "row-not-an-object"],
)
def test_calculate_rows_refuses_what_is_no_rows(rows: Any, loc: tuple[Any, ...]) -> None:
    """calculate_rows given no list of rows (nothing, a text — never read character by
    character —, a single row, a number) raises pydantic's ValidationError at the place."""
    with pytest.raises(ValidationError) as caught:
        tokko.calculate_rows(rows)
    assert [tuple(e["loc"]) for e in caught.value.errors()] == [loc]


def test_calculate_declaration_without_items() -> None:
    """A declaration without items is still one declaration, with zero totals and its rules."""
    document = _document(tokko.calculate({"entity_code": "011002", "fiscal_year": "R3"}))
    [declaration] = document["declarations"]
    assert declaration["items"] == []
    assert {Decimal(v) for v in declaration["totals"].values() if v is not None} == {Decimal(0)}
    assert [r["version"] for r in document["rules"]] == ["2021.2"]
    assert document["errors"] == []


def test_calculate_reports_an_unknown_key_and_still_computes() -> None:
    """An item key that names no field is UNKNOWN_COLUMN (once, naming the field it probably
    meant); the item is still computed, without that value; 備考 is accepted silently."""
    declaration = {
        "entity_code": "011002",
        "fiscal_year": "R3",
        "items": [
            _item(item_id="1", 国庫補助金=400000, 備考="メモ"),
            _item(item_id="2", 国庫補助金=100000),
        ],
    }
    result = tokko.calculate(declaration, lang="en")
    [error] = result.errors
    assert (error.code, error.column, error.row) == ("UNKNOWN_COLUMN", "国庫補助金", 1)
    assert "specific_revenue" in error.message or "specific revenue" in error.message.lower()
    assert [i.status for i in result.declarations[0].items] == ["eligible", "eligible"]
    assert result.declarations[0].totals.net == Decimal(2000000)
    assert not result.ok


def test_calculate_messages_are_in_one_language() -> None:
    """calculate(lang=...) writes each message in that language only; Japanese by default."""
    declaration = {"entity_code": "011002", "fiscal_year": "R3", "items": [_item(amount="abc")]}
    [ja] = tokko.calculate(declaration).errors
    [en] = tokko.calculate(declaration, lang="en").errors
    assert JAPANESE.search(ja.message)
    assert ENGLISH.search(en.message)
    assert not JAPANESE.search(en.message.replace("円", ""))  # 1234567円 is an example spelling
    assert " / " not in ja.message
    assert ja.message != en.message


# ── check_item ───────────────────────────────────────────────────────────────────────────────


def test_check_item_standard() -> None:
    """One AI introduction of 1,000,000 yen in R3: eligible, rate 0.3, measure 300,000."""
    item = tokko.check_item(
        technology="AI", expense_kind="導入・構築", amount="1,000,000", fiscal_year="R3"
    )
    assert item.errors == []
    assert isinstance(item, tokko.ItemResult)
    assert (item.status, item.net, item.rate, item.measure) == (
        "eligible",
        Decimal(1000000),
        Decimal("0.3"),
        Decimal(300000),
    )
    assert item.reasons == ["STANDARD_RATE"]
    assert item.warnings == []


def test_check_item_unconfirmed_year() -> None:
    """Fiscal 2026 is past confirmed_through: computed, with RULES_UNCONFIRMED_FOR_YEAR."""
    item = tokko.check_item(
        technology="AI", expense_kind="introduction", amount=100, fiscal_year="令和8年度"
    )
    assert item.status == "eligible"
    assert item.warnings == ["RULES_UNCONFIRMED_FOR_YEAR"]


def test_check_item_fiscal_2020() -> None:
    """Fiscal 2020 has rules (2020.1): a joint check gets the standard rate and
    JOINT_RATE_NOT_IN_FORCE, and 住民記録 is not excluded yet."""
    item = tokko.check_item(
        technology="AI",
        expense_kind="introduction",
        amount=1000000,
        fiscal_year="令和2年度",
        procurement="joint",
        agreement_parties=["011002", "010006"],
        entity_code="011002",
        business_area="住民記録",
    )
    assert (item.status, item.rate, item.measure) == ("eligible", Decimal("0.3"), Decimal(300000))
    assert item.reasons == ["STANDARD_RATE"]
    assert item.warnings == ["JOINT_RATE_NOT_IN_FORCE"]


def test_check_item_first_year() -> None:
    """A licence fee: introduced this year → eligible; the year before → excluded; no year →
    eligible with INTRODUCTION_YEAR_MISSING; a later year → INVALID_FISCAL_YEAR."""
    base = {"technology": "RPA", "expense_kind": "license", "amount": 100000, "fiscal_year": "R3"}
    this_year = tokko.check_item(**base, introduced_in="R3")
    assert (this_year.status, this_year.warnings) == ("eligible", [])
    before = tokko.check_item(**base, introduced_in=2020)
    assert (before.status, before.reasons, before.measure) == (
        "excluded",
        ["EXCLUDED_NOT_FIRST_YEAR"],
        Decimal(0),
    )
    unknown = tokko.check_item(**base)
    assert (unknown.status, unknown.warnings) == ("eligible", ["INTRODUCTION_YEAR_MISSING"])
    later = tokko.check_item(**base, introduced_in="令和4年度")
    assert (later.status, later.errors) == ("error", ["INVALID_FISCAL_YEAR"])


@pytest.mark.parametrize(
    ("fields", "code", "column"),
    [
        ({"amount": "1.5"}, "INVALID_AMOUNT", "amount"),
        ({"amount": None}, "MISSING_FIELD", "amount"),
        ({"expense_kind": "交際費"}, "UNKNOWN_VALUE", "expense_kind"),
        ({"fiscal_year": "令和元年度"}, "NO_RULES_FOR_YEAR", "fiscal_year"),
        ({"technology": ""}, "MISSING_FIELD", "technology"),
        ({"entity_code": "12203"}, "AMBIGUOUS_CODE", "entity_code"),
    ],
)
def test_check_item_errors(fields: dict[str, Any], code: str, column: str) -> None:
    """A bad value gives an error item with no amounts and a RowError naming column and code."""
    arguments = {
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": 1000,
        "fiscal_year": "R3",
        **fields,
    }
    checked = check(**arguments)
    item, errors = checked.item_result(), checked.errors()
    assert item == tokko.check_item(**arguments)
    assert item.status == "error"
    assert (item.net, item.rate, item.measure) == (None, None, None)
    assert item.errors == [code]
    assert [(e.column, e.code) for e in errors] == [(column, code)]


def test_check_item_restores_a_lost_leading_zero() -> None:
    """entity_code 13951 is ニセコ町 013951: computed, with CODE_LEADING_ZERO_RESTORED."""
    item = tokko.check_item(
        technology="AI",
        expense_kind="introduction",
        amount=1000,
        fiscal_year="R3",
        entity_code="13951",
    )
    assert item.status == "eligible"
    assert item.warnings == ["CODE_LEADING_ZERO_RESTORED"]


def test_check_item_is_keyword_only() -> None:
    """check_item takes keywords only, so arguments cannot be swapped by position."""
    with pytest.raises(TypeError):
        tokko.check_item("AI", "introduction", 1000, "R3")  # type: ignore[misc]


# ── calculate_rows ───────────────────────────────────────────────────────────────────────────


def _row(entity: str, item_id: str, year: object = "R3", **fields: Any) -> dict[str, Any]:
    return {"entity_code": entity, "fiscal_year": year, **_item(item_id=item_id, **fields)}


def test_calculate_rows_keeps_order_and_errors() -> None:
    """Items come out in input order per declaration, error rows included, each with its own
    errors; a row whose government cannot be read belongs to no declaration."""
    rows = [_row("011002", "a"), _row("011003", "b"), _row("011002", "c", amount="x")]
    document = _document(tokko.calculate_rows(rows))
    [declaration] = document["declarations"]
    assert [(i["item_id"], i["status"]) for i in declaration["items"]] == [
        ("a", "eligible"),
        ("c", "error"),
    ]
    assert [(e["row"], e["code"]) for e in document["errors"]] == [
        (2, "INVALID_CODE"),
        (3, "INVALID_AMOUNT"),
    ]


def test_calculate_rows_reads_japanese_keys() -> None:
    """Rows may use the Japanese headers of SPEC §3 as keys, exactly like a CSV."""
    row = {
        "団体コード": "011002",
        "年度": "令和3年度",
        "項目番号": "1",
        "事業名": "AI-OCR",
        "区分": "AI",
        "経費区分": "導入・構築",
        "事業費": "1,000,000",
        "特定財源": "200,000",
    }
    document = _document(tokko.calculate_rows([row]))
    assert document["errors"] == []
    [item] = document["declarations"][0]["items"]
    assert (Decimal(item["net"]), Decimal(item["measure"])) == (Decimal(800000), Decimal(240000))


def test_calculate_rows_over_two_fiscal_years_lists_both_rule_versions() -> None:
    """A batch spanning fiscal 2020 and 2021 lists both rule versions used, and each
    declaration names its own."""
    rows = [
        _row("011002", "1", "令和2年度"),
        _row("011002", "1", "令和3年度"),
        _row("012025", "1", 2021),
    ]
    document = _document(tokko.calculate_rows(rows))
    assert sorted(r["version"] for r in document["rules"]) == ["2020.1", "2021.2"]
    assert [(d["fiscal_year"], d["rules_version"]) for d in document["declarations"]] == [
        (2020, "2020.1"),
        (2021, "2021.2"),
        (2021, "2021.2"),
    ]


# ── Rule files ───────────────────────────────────────────────────────────────────────────────


def test_rule_version_conflict_is_refused(tmp_path: Path) -> None:
    """A rules folder with a copy of a shipped file edited but keeping the shipped (measure,
    version) is refused with RULE_VERSION_CONFLICT; renamed to another version, it loads."""
    folder = tmp_path / "ai-rpa"
    folder.mkdir()
    text = (SHIPPED_RULES / "ai-rpa" / "2021.toml").read_text(encoding="utf-8")
    edited = text.replace("[rates.joint]\nvalue = 0.5", "[rates.joint]\nvalue = 0.6")
    assert edited != text
    (folder / "2021.toml").write_text(edited, encoding="utf-8")
    with pytest.raises(tokko.RuleFileError) as caught:
        tokko.load_rules(tmp_path)
    assert [p.code for p in caught.value.problems] == [ErrorCode.RULE_VERSION_CONFLICT]
    (folder / "2021.toml").write_text(
        edited.replace('version = "2021.2"', 'version = "2021.2-local"'), encoding="utf-8"
    )
    [version] = list(tokko.load_rules(tmp_path))
    assert (version.version, version.rate_joint) == ("2021.2-local", Decimal("0.6"))


def test_an_unchanged_copy_of_the_shipped_rules_loads(tmp_path: Path) -> None:
    """A byte-for-byte copy of the shipped rules is no conflict: it is the same version."""
    shutil.copytree(SHIPPED_RULES, tmp_path / "rules")
    versions = tokko.load_rules(tmp_path / "rules")
    assert sorted(v.version for v in versions) == ["2020.1", "2021.2"]


# ── Messages: Japanese or English ────────────────────────────────────────────────────────────


def test_every_code_has_japanese_and_english_text() -> None:
    """Each code of the vocabulary has a Japanese and an English message."""
    for code in ALL_CODES:
        ja, en = t(f"code.{code}", "ja"), t(f"code.{code}", "en")
        assert JAPANESE.search(ja), code
        assert ENGLISH.search(en), code
        assert not JAPANESE.search(en.replace("全国地方公共団体コード", "")), code


ROW_ERRORS = [
    _row("011003", "1"),
    _row("01999", "1"),
    _row("12203", "1"),
    _row("011002", "1", "平成32年度"),
    _row("011002", "1", "令和元年度"),
    _row("011002", "1", amount="1.5"),
    _row("011002", "2", description=""),
    _row("011002", "2"),
    _row("011002", "3", procurement="both"),
    {**_row("012025", "1"), "fiscal_strength_index": "0.455"},
    {**_row("013030", "1"), "fiscal_strength_index": "0.45"},
    {**_row("013030", "2"), "fiscal_strength_index": "0.46"},
    {**_row("011002", "4"), "国庫補助金": "1"},
]


def test_every_error_message_is_in_the_language_asked_for() -> None:
    """Every error message of a result, for every row error code, is in Japanese by default
    and in English with lang="en" — one language, never both."""
    row_codes = {str(c) for c in ErrorCode} - {"RULE_VERSION_CONFLICT", "INVALID_RULE_FILE"}
    ja = _document(tokko.calculate_rows(ROW_ERRORS))["errors"]
    en = _document(tokko.calculate_rows(ROW_ERRORS, lang="en"))["errors"]
    assert {e["code"] for e in ja} == row_codes
    assert [(e["row"], e["code"]) for e in ja] == [(e["row"], e["code"]) for e in en]
    for japanese, english in zip(ja, en, strict=True):
        assert JAPANESE.search(japanese["message"]), japanese
        assert ENGLISH.search(english["message"]), english
        assert japanese["message"] != english["message"]


def test_validation_and_check_messages_are_in_one_language() -> None:
    """ValidationError messages of the models are English, with the Japanese in the context;
    check errors are in the language asked for."""
    with pytest.raises(ValidationError) as caught:
        tokko.ExpenseItem(**_item(amount="1.5", procurement="both", description=""))
    for detail in caught.value.errors():
        assert ENGLISH.search(detail["msg"]), detail
        assert not JAPANESE.search(detail["msg"].split(":")[0]), detail
        assert JAPANESE.search(detail["ctx"]["message_ja"]), detail
    errors = check(technology="AI", expense_kind="交際費", amount=1, fiscal_year="R3").errors
    assert all(JAPANESE.search(e.message) for e in errors("ja"))
    assert all(ENGLISH.search(e.message) for e in errors("en"))
    assert errors("ja")


def test_the_index_in_json_is_written_with_two_decimals() -> None:
    """An index given as 0.4 is "0.40" in the JSON totals, as in the summary CSV and as the
    ordinance writes it."""
    result = tokko.calculate(
        {
            "entity_code": "011002",
            "fiscal_year": "R3",
            "fiscal_strength_index": "0.4",
            "items": [
                {
                    "item_id": "1",
                    "description": "AI-OCR",
                    "technology": "AI",
                    "expense_kind": "introduction",
                    "amount": 1000,
                }
            ],
        }
    )
    totals = json.loads(result.model_dump_json())["declarations"][0]["totals"]
    assert totals["fiscal_strength_index"] == "0.40"


_ROW = {
    "entity_code": "013951",
    "fiscal_year": "R5",
    "item_id": "1",
    "description": "AI-OCR",
    "technology": "AI",
    "expense_kind": "introduction",
    "amount": "15",
}


@pytest.mark.parametrize("unit", [0, -1, 1.5, 10, "man", True, None])
def test_a_unit_that_is_neither_yen_nor_thousand_is_refused(unit: object) -> None:
    """unit is 1 / "yen" or 1000 / "thousand": 0 would make every amount 0, -1 negative, 1.5 a
    fraction of a yen — refused before anything is computed (ValueError)."""
    with pytest.raises(ValueError, match="unit must be"):
        tokko.calculate_rows([_ROW], unit=unit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unit must be"):
        tokko.check_item(technology="AI", expense_kind="introduction", amount=1, unit=unit)  # type: ignore[arg-type]


def test_unit_by_name_or_number() -> None:
    """ "thousand" and 1000 read 千円 alike (×1,000, exactly)."""
    by_name = tokko.calculate_rows([_ROW], unit="thousand").declarations[0].totals.amount
    by_number = tokko.calculate_rows([_ROW], unit=1000).declarations[0].totals.amount
    assert by_name == by_number == 15_000


def test_rules_may_be_a_folder_and_nothing_else() -> None:
    """rules: a RuleSet, a rules folder (str or Path), or None; anything else is a TypeError
    naming what is expected, never an AttributeError from deep inside."""
    folder = Path(__file__).resolve().parents[2] / "rules"
    for given in (str(folder), folder):
        assert tokko.calculate_rows([_ROW], rules=given).rules[0].version == "2021.2"
    for wrong in (5, ["rules"], object()):
        with pytest.raises(TypeError, match="rules must be"):
            tokko.calculate_rows([_ROW], rules=wrong)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="rules must be"):
            tokko.calculate({"entity_code": "013951", "fiscal_year": "R5", "items": []}, wrong)  # type: ignore[arg-type]


def test_indices_and_agreements_as_a_caller_has_them() -> None:
    """An index as a float or text reads as any index does; agreements may be mappings (as in
    a declaration's JSON) as well as models."""
    result = tokko.calculate_rows([_ROW], indices={("013951", 2023): 0.45})
    assert str(result.declarations[0].totals.fiscal_strength_index) == "0.45"
    joint = {**_ROW, "procurement": "joint", "agreement_id": "K-1"}
    agreement = {
        "agreement_id": "K-1",
        "title": "共同調達",
        "concluded_on": "2023-05-01",
        "parties": ["013951", "011002"],
    }
    result = tokko.calculate_rows([joint], agreements=[agreement])
    assert result.declarations[0].items[0].reasons == ["JOINT_RATE"]


def test_a_field_given_twice_with_two_values_is_an_error() -> None:
    """{"amount": 5, "事業費": 1000000}: both keys are the amount, and which one is meant cannot
    be told — the item is an error naming both (not 5 yen because its key came first, as a
    file with both columns is refused); values that read alike ("5円" and 5), or one of them
    blank, are fine."""
    item = {
        "item_id": "1",
        "description": "AI-OCR",
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": 5,
        "事業費": 1_000_000,
    }
    declaration = {"entity_code": "011002", "fiscal_year": "R3", "items": [item]}
    result = tokko.calculate(declaration)
    assert result.declarations[0].items[0].status == "error"
    ((error),) = result.errors
    assert (error.column, error.code) == ("amount", "UNKNOWN_VALUE")
    assert "「amount」と「事業費」" in error.message
    unreadable = tokko.calculate({**declaration, "items": [{**item, "amount": "abc"}]})
    assert [(e.column, e.code) for e in unreadable.errors] == [("amount", "UNKNOWN_VALUE")]
    twice_code = {**declaration, "団体コード": "012025", "items": [{**item, "事業費": 5}]}
    assert [(e.column, e.code) for e in tokko.calculate(twice_code).errors] == [
        ("entity_code", "UNKNOWN_VALUE")
    ]
    same_code = {
        **declaration,
        "団体コード": "11002",
        "年度": "2021",
        "items": [{**item, "事業費": 5}],
    }
    assert tokko.calculate(same_code).declarations[0].items[0].status == "eligible"
    same_values = (
        {**item, "事業費": 5},
        {**item, "事業費": "5円"},  # typed otherwise, read alike
        {**item, "amount": "1,000,000"},
        {**item, "事業費": ""},
        {**item, "amount": None},
    )
    for same in same_values:
        answer = tokko.calculate({**declaration, "items": [same]})
        assert answer.declarations[0].items[0].status == "eligible"
        assert answer.errors == []
