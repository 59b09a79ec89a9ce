"""The public library API (SPEC §5): models, calculate, check_item, calculate_many, Result JSON."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import tokko
from tokko.calculation import check

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{2,})+")
AMOUNT = re.compile(r"^\d+(\.\d+)?$")


def _item(**fields: Any) -> dict[str, Any]:
    return {"item_id": "1", "description": "AI-OCRの導入", "technology": "AI",
            "expense_kind": "導入・構築", "amount": "1,000,000", **fields}


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
    promised = {"load_rules", "calculate", "check_item", "Declaration", "ExpenseItem",
                "Agreement", "Result"}
    assert promised <= set(tokko.__all__)


# ── Models: SPEC spellings in, SPEC codes out ────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("amount", "1,234,567", Decimal(1234567)),
        ("amount", "１２３４５６７", Decimal(1234567)),
        ("amount", "1234567円", Decimal(1234567)),
        ("amount", 1234567, Decimal(1234567)),
        ("specific_revenue", "１，０００", Decimal(1000)),
        ("procurement", "共同", "joint"),
        ("procurement", "単独", "single"),
        ("procurement", "joint", "joint"),
        ("procurement", "", "single"),
        ("contract_total", "2,000,000", Decimal(2000000)),
    ],
)
def test_expense_item_reads_spec_spellings(field: str, value: object, expected: object) -> None:
    """ExpenseItem accepts the spellings of SPEC §3 and stores the canonical value."""
    item = tokko.ExpenseItem(**_item(**{field: value}))
    assert getattr(item, field) == expected


def test_expense_item_defaults() -> None:
    """Without them, specific revenue is 0, procurement single, and the optional ids are None."""
    item = tokko.ExpenseItem(**_item())
    assert item.specific_revenue == 0
    assert item.procurement == "single"
    assert (item.agreement_id, item.contract_id, item.contract_total) == (None, None, None)


def test_check_item_accepts_an_item_or_a_mapping() -> None:
    """check_item takes the expense as keywords, an ExpenseItem or a mapping; keywords win."""
    keywords = tokko.check_item(technology="RPA", expense_kind="license", amount=2000,
                                fiscal_year="R4", joint=False)
    model = tokko.ExpenseItem(item_id="1", description="RPA", technology="RPA",
                              expense_kind="license", amount=2000)
    assert tokko.check_item(model, fiscal_year="R4") == keywords
    mapping = {"technology": "RPA", "expense_kind": "license", "amount": 9, "fiscal_year": "R4"}
    assert tokko.check_item(mapping, amount=2000) == keywords
    with pytest.raises(TypeError):
        tokko.check_item(technology="AI", expens_kind="license", amount=1, fiscal_year="R4")


@pytest.mark.parametrize(
    ("fields", "code", "column"),
    [
        ({"amount": "1.5"}, "INVALID_AMOUNT", "amount"),
        ({"amount": 1.5}, "INVALID_AMOUNT", "amount"),
        ({"amount": -3}, "INVALID_AMOUNT", "amount"),
        ({"specific_revenue": "-1"}, "INVALID_AMOUNT", "specific_revenue"),
        ({"description": ""}, "MISSING_FIELD", "description"),
        ({"technology": ""}, "MISSING_FIELD", "technology"),
        ({"amount": None}, "MISSING_FIELD", "amount"),
        ({"procurement": "both"}, "UNKNOWN_VALUE", "procurement"),
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
        ("INVALID_AMOUNT", ("amount",)), ("UNKNOWN_VALUE", ("procurement",))]


def test_declaration_reads_spec_spellings() -> None:
    """A declaration accepts a 5-digit code and 令和元年度: 6 digits and the Western year stored."""
    declaration = tokko.Declaration(entity_code="01100", fiscal_year="令和元年度", items=[_item()])
    assert declaration.entity_code == "011002"
    assert declaration.fiscal_year == 2019
    assert declaration.items[0].amount == Decimal(1000000)
    assert tokko.Declaration(entity_code="011002", fiscal_year="H31").fiscal_year == 2019
    assert tokko.Declaration(entity_code="011002", fiscal_year="２０２１年度").fiscal_year == 2021


@pytest.mark.parametrize(
    ("fields", "code", "loc"),
    [
        ({"entity_code": "011003"}, "INVALID_CODE", ("entity_code",)),
        ({"entity_code": "01999"}, "UNKNOWN_ENTITY", ("entity_code",)),
        ({"entity_code": ""}, "MISSING_FIELD", ("entity_code",)),
        ({"fiscal_year": "平成32年度"}, "INVALID_FISCAL_YEAR", ("fiscal_year",)),
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


@pytest.mark.parametrize("spelling", ["2021-05-10", "2021/5/10", "令和3年5月10日"])
def test_agreement_reads_dates(spelling: str) -> None:
    """concluded_on accepts ISO, slashes and the Japanese era form (SPEC §3)."""
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


def test_agreement_bad_date_uses_the_closed_vocabulary() -> None:
    """An impossible date of conclusion is refused with a code of the SPEC §4 vocabulary."""
    with pytest.raises(ValidationError) as caught:
        tokko.Agreement(agreement_id="協定-01", parties=["011002"], concluded_on="2021-13-01")
    types = [t for t, _ in _error_types(caught.value)]
    assert types
    assert set(types) <= set(tokko.CODES)


@pytest.mark.parametrize(
    "build",
    [
        lambda: tokko.Agreement(agreement_id="協定-01", parties=["011002"], partys=["010006"]),
        lambda: tokko.Declaration(entity_code="011002", fiscal_year="R3", agreement=[]),
    ],
    ids=["agreement", "declaration"],
)
def test_unknown_key_error_type_is_a_spec_code(build: Any) -> None:
    """A misspelt key in an Agreement or Declaration raises UNKNOWN_VALUE, as it does in an item."""
    with pytest.raises(ValidationError) as caught:
        build()
    assert [t for t, _ in _error_types(caught.value)] == ["UNKNOWN_VALUE"]


def test_expense_item_unknown_key_is_unknown_value() -> None:
    """A misspelt key in an ExpenseItem raises UNKNOWN_VALUE at that key, never silently dropped."""
    data = _item()
    data["amout"] = data.pop("amount")
    with pytest.raises(ValidationError) as caught:
        tokko.ExpenseItem(**data)
    types = _error_types(caught.value)
    assert ("UNKNOWN_VALUE", ("amout",)) in types
    assert ("MISSING_FIELD", ("amount",)) in types


# ── calculate ────────────────────────────────────────────────────────────────────────────────

SAPPORO = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "items": [
        _item(item_id="1"),
        _item(item_id="2", technology="ＡＩ", expense_kind="利用料・ライセンス料",
              amount="１２３４５６７", specific_revenue="234,567", procurement="共同",
              agreement_id="協定-01", contract_id="K-1", contract_total="5,000,000"),
        _item(item_id="3", technology="IoT", amount=500000),
        _item(item_id="4", business_area="住民記録", amount="700,000円"),
    ],
    "agreements": [{"agreement_id": "協定-01", "title": "共同調達協定",
                    "concluded_on": "令和3年5月10日", "parties": "010006;011002"}],
}


def test_calculate_model_equals_calculate_mapping() -> None:
    """calculate(Declaration(...)) gives exactly the JSON of calculate(the same dict)."""
    from_model = tokko.calculate(tokko.Declaration(**SAPPORO))
    from_mapping = tokko.calculate(SAPPORO)
    assert from_model.model_dump_json() == from_mapping.model_dump_json()


def test_calculate_example_values() -> None:
    """The example declaration gives the amounts worked out by hand from SPEC §4."""
    declaration = _document(tokko.calculate(SAPPORO))["declarations"][0]
    got = [(i["status"], Decimal(i["net"]), Decimal(i["measure"]), i["reasons"])
           for i in declaration["items"]]
    assert got == [
        ("eligible", Decimal(1000000), Decimal(300000), ["STANDARD_RATE"]),
        ("eligible", Decimal(1000000), Decimal(500000), ["JOINT_RATE"]),
        ("excluded", Decimal(500000), Decimal(0), ["EXCLUDED_TECHNOLOGY"]),
        ("excluded", Decimal(700000), Decimal(0), ["EXCLUDED_STANDARDIZATION_TARGET"]),
    ]
    totals = {k: Decimal(v) for k, v in declaration["totals"].items() if isinstance(v, str)}
    assert totals == {"amount": Decimal(3434567), "specific_revenue": Decimal(234567),
                      "net": Decimal(2000000), "excluded": Decimal(1200000),
                      "measure_exact": Decimal(800000), "measure": Decimal(800000)}


def test_every_bad_cell_of_a_row_is_reported() -> None:
    """A row with a bad amount and an unknown expense kind reports both problems."""
    declaration = {"entity_code": "011002", "fiscal_year": "R3",
                   "items": [_item(amount="abc", expense_kind="交際費")]}
    document = _document(tokko.calculate(declaration))
    assert sorted((e["column"], e["code"]) for e in document["errors"]) == [
        ("amount", "INVALID_AMOUNT"), ("expense_kind", "UNKNOWN_VALUE")]


def test_result_json_has_the_spec_6_shape() -> None:
    """Result.model_dump_json() has the keys of SPEC §6, with amounts as decimal strings."""
    declaration = {**SAPPORO, "items": [*SAPPORO["items"], _item(item_id="5", amount="1.5")]}
    document = _document(tokko.calculate(declaration, file="sapporo.json"))
    assert {"tokko_version", "rules", "declarations", "errors"} <= document.keys()
    assert document["tokko_version"] == tokko.__version__
    assert {"measure", "version", "sha256", "path"} <= document["rules"].keys()
    assert re.fullmatch(r"[0-9a-f]{64}", document["rules"]["sha256"])
    [result] = document["declarations"]
    assert {"entity_code", "entity_name", "fiscal_year", "items", "totals"} <= result.keys()
    assert (result["entity_code"], result["entity_name"], result["fiscal_year"]) == (
        "011002", "札幌市", 2021)
    for item in result["items"]:
        assert {"item_id", "status", "net", "rate", "measure", "reasons", "warnings"} <= item.keys()
        assert item["status"] in ("eligible", "excluded", "error")
        for key in ("net", "rate", "measure"):
            value = item[key]
            assert value is None if item["status"] == "error" else AMOUNT.match(value), (key, value)
    totals = result["totals"]
    for key in ("amount", "specific_revenue", "net", "excluded", "measure_exact", "measure"):
        assert isinstance(totals[key], str)
        assert AMOUNT.match(totals[key]), (key, totals[key])
    [error] = document["errors"]
    assert {"file", "row", "column", "code", "message"} <= error.keys()
    assert (error["file"], error["row"], error["column"], error["code"]) == (
        "sapporo.json", 5, "amount", "INVALID_AMOUNT")


# ── check_item ───────────────────────────────────────────────────────────────────────────────


def test_check_item_standard() -> None:
    """One AI introduction of 1,000,000 yen in R3: eligible, rate 0.3, measure 300,000."""
    item = tokko.check_item(technology="AI", expense_kind="導入・構築", amount="1,000,000",
                            fiscal_year="R3")
    assert item.errors == []
    assert isinstance(item, tokko.ItemResult)
    assert (item.status, item.net, item.rate, item.measure) == (
        "eligible", Decimal(1000000), Decimal("0.3"), Decimal(300000))
    assert item.reasons == ["STANDARD_RATE"]
    assert item.warnings == []


def test_check_item_deducts_specific_revenue() -> None:
    """Specific revenue is deducted before the rate: (1,000,000 − 400,000) × 0.3 = 180,000."""
    item = tokko.check_item(technology="RPA", expense_kind="license", amount=1000000,
                            specific_revenue="400,000", fiscal_year=2022)
    assert (item.net, item.measure) == (Decimal(600000), Decimal(180000))


@pytest.mark.parametrize(
    ("extra", "rate", "reason", "warnings"),
    [
        ({"agreement_parties": ["011002", "010006"]}, "0.5", "JOINT_RATE", []),
        ({"agreement_parties": ["010006", "012025"]}, "0.3", "STANDARD_RATE",
         ["AGREEMENT_NOT_PARTY"]),
        ({"agreement_parties": ["011002"]}, "0.3", "STANDARD_RATE",
         ["AGREEMENT_TOO_FEW_PARTIES"]),
        ({"agreement_parties": ["011002", "010006"], "agreement_concluded_on": "2022-04-01"},
         "0.3", "STANDARD_RATE", ["AGREEMENT_NOT_CONCLUDED"]),
        ({}, "0.3", "STANDARD_RATE", ["JOINT_WITHOUT_AGREEMENT"]),
    ],
)
def test_check_item_joint(
    extra: dict[str, Any], rate: str, reason: str, warnings: list[str]
) -> None:
    """A joint check gets 0.5 only when every condition of the joint rate holds, else a warning."""
    item = tokko.check_item(technology="AI", expense_kind="introduction", amount=1000000,
                            fiscal_year="R3", procurement="joint", entity_code="011002", **extra)
    assert item.errors == []
    assert item.rate == Decimal(rate)
    assert item.reasons == [reason]
    assert sorted(item.warnings) == sorted(warnings)


def test_check_item_excluded() -> None:
    """A standardization-target business is excluded: rate 0, measure 0, with the reason."""
    item = tokko.check_item(technology="AI-OCR", expense_kind="introduction", amount=900000,
                            business_area="住民記録", fiscal_year="R3")
    assert (item.status, item.rate, item.measure) == ("excluded", Decimal(0), Decimal(0))
    assert item.reasons == ["EXCLUDED_STANDARDIZATION_TARGET"]


def test_check_item_unconfirmed_year() -> None:
    """Fiscal 2026 is past confirmed_through: computed, with RULES_UNCONFIRMED_FOR_YEAR."""
    item = tokko.check_item(technology="AI", expense_kind="introduction", amount=100,
                            fiscal_year="令和8年度")
    assert item.status == "eligible"
    assert item.warnings == ["RULES_UNCONFIRMED_FOR_YEAR"]


@pytest.mark.parametrize(
    ("fields", "code", "column"),
    [
        ({"amount": "1.5"}, "INVALID_AMOUNT", "amount"),
        ({"expense_kind": "交際費"}, "UNKNOWN_VALUE", "expense_kind"),
        ({"fiscal_year": "令和2年度"}, "NO_RULES_FOR_YEAR", "fiscal_year"),
        ({"technology": ""}, "MISSING_FIELD", "technology"),
    ],
)
def test_check_item_errors(fields: dict[str, Any], code: str, column: str) -> None:
    """A bad value gives an error item with no amounts and a RowError naming column and code."""
    arguments = {"technology": "AI", "expense_kind": "introduction", "amount": 1000,
                 "fiscal_year": "R3", **fields}
    item, errors = check(**arguments)
    assert item == tokko.check_item(**arguments)
    assert item.status == "error"
    assert (item.net, item.rate, item.measure) == (None, None, None)
    assert item.errors == [code]
    assert [(e.column, e.code) for e in errors] == [(column, code)]


def test_check_item_is_keyword_only() -> None:
    """check_item takes keywords only, so arguments cannot be swapped by position."""
    with pytest.raises(TypeError):
        tokko.check_item("AI", "introduction", 1000, "R3")  # type: ignore[misc]


# ── calculate_many streams ───────────────────────────────────────────────────────────────────


def test_calculate_many_is_lazy() -> None:
    """calculate_many reads one input row per result taken, even from an endless generator."""
    pulled: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        for n in itertools.count(1):
            pulled.append(n)
            yield {"entity_code": "011002", "fiscal_year": "R3",
                   **_item(item_id=str(n), amount=n * 1000)}

    stream = tokko.calculate_many(rows())
    assert pulled == []
    first = next(stream)
    assert pulled == [1]
    assert first.item_result().measure == Decimal(300)
    taken = list(itertools.islice(stream, 3))
    assert pulled == [1, 2, 3, 4]
    assert [r.item_result().item_id for r in taken] == ["2", "3", "4"]


def test_calculate_many_keeps_order_and_errors() -> None:
    """Rows come out in input order, error rows included, each with its own errors."""
    rows = [{"entity_code": "011002", "fiscal_year": "R3", **_item(item_id="a")},
            {"entity_code": "011003", "fiscal_year": "R3", **_item(item_id="b")},
            {"entity_code": "011002", "fiscal_year": "R3", **_item(item_id="c", amount="x")}]
    out = list(tokko.calculate_many(rows))
    assert [o.item_result().status for o in out] == ["eligible", "error", "error"]
    assert [[e.code for e in o.errors()] for o in out] == [[], ["INVALID_CODE"], ["INVALID_AMOUNT"]]


# ── calculate_rows: the checks across governments (SPEC §4, batch-level checks) ───────────


def _row(entity: str, item_id: str, **fields: Any) -> dict[str, Any]:
    return {"entity_code": entity, "fiscal_year": "R3", **_item(item_id=item_id, **fields)}


def _warnings(document: dict[str, Any]) -> list[list[str]]:
    return [sorted(i["warnings"]) for d in document["declarations"] for i in d["items"]]


def test_batch_single_contract_declared_by_several_governments() -> None:
    """A single-procurement contract declared by two governments warns DUPLICATE_CONTRACT twice."""
    rows = [_row("011002", "1", contract_id="K-9"), _row("012025", "1", contract_id="K-9"),
            _row("013030", "1", contract_id="K-10")]
    document = _document(tokko.calculate_rows(rows))
    assert _warnings(document) == [["DUPLICATE_CONTRACT"], ["DUPLICATE_CONTRACT"], []]
    assert all(d["items"][0]["status"] == "eligible" for d in document["declarations"])


def test_batch_joint_shares_above_the_contract_total() -> None:
    """Joint shares of 600,000 + 500,000 under a 1,000,000 contract warn on every such row."""
    agreement = tokko.Agreement(agreement_id="協定-01", concluded_on="2021-05-10",
                                parties=["010006", "011002"])
    joint = {"procurement": "joint", "agreement_id": "協定-01", "contract_total": 1000000}
    over = [_row("011002", "1", amount=600000, contract_id="K-J", **joint),
            _row("010006", "1", amount=500000, contract_id="K-J", **joint)]
    document = _document(tokko.calculate_rows(over, None, [agreement]))
    assert _warnings(document) == [["JOINT_SHARES_EXCEED_CONTRACT"]] * 2
    assert [d["items"][0]["reasons"] for d in document["declarations"]] == [["JOINT_RATE"]] * 2
    exact = [_row("011002", "1", amount=500000, contract_id="K-J", **joint),
             _row("010006", "1", amount=500000, contract_id="K-J", **joint)]
    assert _warnings(_document(tokko.calculate_rows(exact, None, [agreement]))) == [[], []]


def test_batch_rounds_each_declaration() -> None:
    """Each government's total is rounded on its own: 499.5 → 0 and 500.1 → 1,000."""
    rows = [_row("011002", "1", amount=1665), _row("012025", "1", amount=1667)]
    document = _document(tokko.calculate_rows(rows))
    totals = [(Decimal(d["totals"]["measure_exact"]), Decimal(d["totals"]["measure"]))
              for d in document["declarations"]]
    assert totals == [(Decimal("499.5"), Decimal(0)), (Decimal("500.1"), Decimal(1000))]


# ── Messages: Japanese and English ───────────────────────────────────────────────────────────


def _bilingual(message: str) -> bool:
    return bool(JAPANESE.search(message)) and bool(ENGLISH.search(message))


def test_every_code_has_japanese_and_english_text() -> None:
    """Each code of the vocabulary has a Japanese and an English message."""
    for code, info in tokko.CODES.items():
        assert JAPANESE.search(info.ja), code
        assert ENGLISH.search(info.en), code
        assert not JAPANESE.search(info.en.replace("全国地方公共団体コード", "")), code


def test_every_error_message_is_bilingual() -> None:
    """Every error message of a result, for every error code, has Japanese and English text."""
    good = _item()
    rows = [
        {"entity_code": "011003", "fiscal_year": "R3", **good},
        {"entity_code": "01999", "fiscal_year": "R3", **good},
        {"entity_code": "011002", "fiscal_year": "平成32年度", **good},
        {"entity_code": "011002", "fiscal_year": "令和2年度", **good},
        {"entity_code": "011002", "fiscal_year": "R3", **_item(item_id="1", amount="1.5")},
        {"entity_code": "011002", "fiscal_year": "R3", **_item(item_id="2", description="")},
        {"entity_code": "011002", "fiscal_year": "R3", **_item(item_id="2")},
        {"entity_code": "011002", "fiscal_year": "R3", **_item(item_id="3", procurement="both")},
    ]
    document = _document(tokko.calculate_rows(rows))
    assert {e["code"] for e in document["errors"]} == {str(c) for c in tokko.ErrorCode}
    for error in document["errors"]:
        assert _bilingual(error["message"]), error


def test_validation_and_check_messages_are_bilingual() -> None:
    """ValidationError messages of the models and check_item errors are in both languages."""
    with pytest.raises(ValidationError) as caught:
        tokko.ExpenseItem(**_item(amount="1.5", procurement="both", description=""))
    for detail in caught.value.errors():
        assert _bilingual(detail["msg"]), detail
    _, errors = check(technology="AI", expense_kind="交際費", amount=1, fiscal_year="R3")
    assert errors
    assert all(_bilingual(e.message) for e in errors)
