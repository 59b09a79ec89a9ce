"""Invariants of the engine for generated declarations, rule data and spellings (hypothesis).

Every oracle here is written from SPEC.md (§3 spellings, §4 computation, §6 totals), never taken
from the code under test.
"""

from __future__ import annotations

import copy
import json
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tokko
from tokko.model.fiscal_year import parse_fiscal_year
from tokko.model.money import parse_yen
from tokko.rules.schema import RuleFile

SHIPPED_RULE_FILE = Path(__file__).resolve().parents[1] / "rules" / "ai-rpa" / "2021.toml"
ENTITY = "011002"  # 札幌市
FEW = settings(max_examples=50, deadline=None)
SOME = settings(max_examples=150, deadline=None)

TECHNOLOGIES = ["AI", "RPA", "AI+RPA", "AI-OCR", "ＡＩ", "rpa", "IoT", "ブロックチェーン"]
KINDS = ["introduction", "license", "training", "consulting", "hardware", "personnel", "other",
         "導入・構築", "研修", "機器購入", "人件費"]
AREAS = ["", "会計伝票の入力", "住民記録", "介護保険の認定", "住民からの問い合わせ対応",
         "戸籍の附票"]
PROCUREMENTS = ["single", "joint", "単独", "共同", ""]
AGREEMENTS = [
    {"agreement_id": "OK", "concluded_on": "2021-04-01", "parties": ["010006", ENTITY]},
    {"agreement_id": "LATE", "concluded_on": "2099-04-01", "parties": ["010006", ENTITY]},
    {"agreement_id": "ALONE", "concluded_on": "2021-04-01", "parties": [ENTITY]},
    {"agreement_id": "OTHERS", "concluded_on": "2021-04-01", "parties": ["010006", "012025"]},
]
AGREEMENT_IDS = [None, "OK", "LATE", "ALONE", "OTHERS", "NOWHERE"]
YEARS = ["R3", 2022, "令和7年度", "R8"]  # all covered by the shipped rules
BREAKERS: list[dict[str, Any]] = [
    {"amount": "1.5"},
    {"amount": -1},
    {"description": ""},
    {"technology": ""},
    {"expense_kind": "交際費"},
    {"procurement": "both"},
    {"specific_revenue": "1,2"},
]
yen = st.integers(min_value=0, max_value=10**11)


@st.composite
def items(draw: st.DrawFn, item_id: str) -> tuple[dict[str, Any], bool]:
    """One item of a declaration and whether it is valid (SPEC §3)."""
    item: dict[str, Any] = {
        "item_id": item_id,
        "description": "生成された事業",
        "technology": draw(st.sampled_from(TECHNOLOGIES)),
        "business_area": draw(st.sampled_from(AREAS)),
        "expense_kind": draw(st.sampled_from(KINDS)),
        "amount": draw(yen),
        "procurement": draw(st.sampled_from(PROCUREMENTS)),
    }
    if draw(st.booleans()):
        item["specific_revenue"] = draw(yen)
    agreement = draw(st.sampled_from(AGREEMENT_IDS))
    if agreement is not None:
        item["agreement_id"] = agreement
    contract = draw(st.sampled_from([None, "K-1", "K-2"]))
    if contract is not None:
        item["contract_id"] = contract
        if draw(st.booleans()):
            item["contract_total"] = draw(yen)
    valid = draw(st.integers(0, 4)) > 0
    if not valid:
        item.update(draw(st.sampled_from(BREAKERS)))
    return item, valid


@st.composite
def declarations(draw: st.DrawFn) -> tuple[dict[str, Any], list[bool]]:
    """A declaration of up to 8 items with unique ids, and which items are valid."""
    ids = draw(st.lists(st.text("0123456789ABC-", min_size=1, max_size=4), min_size=1,
                        max_size=8, unique=True))
    pairs = [draw(items(item_id)) for item_id in ids]
    declaration = {
        "entity_code": ENTITY,
        "fiscal_year": draw(st.sampled_from(YEARS)),
        "items": [item for item, _ in pairs],
        "agreements": AGREEMENTS,
    }
    return declaration, [valid for _, valid in pairs]


def _run(declaration: dict[str, Any], rules: tokko.RuleSet | None = None) -> dict[str, Any]:
    result = tokko.calculate(declaration, rules, explain=False)
    document = json.loads(result.model_dump_json())
    assert len(document["declarations"]) == 1
    return document["declarations"][0]


def _d(value: str) -> Decimal:
    assert isinstance(value, str), f"amounts are decimal strings, got {value!r}"
    return Decimal(value)


def _half_up_to_thousand(exact: Decimal) -> Decimal:
    """SPEC §1: a remainder under 500 yen is dropped, 500 yen or more counts as 1,000 yen."""
    thousands, remainder = divmod(exact, 1000)
    return (thousands + (1 if remainder >= 500 else 0)) * 1000


# ── Declarations ─────────────────────────────────────────────────────────────────────────────


@FEW
@given(declarations())
def test_totals_reconcile_exactly(generated: tuple[dict[str, Any], list[bool]]) -> None:
    """amount = net + excluded + specific_revenue, and each total is the sum over the valid rows."""
    declaration, valid = generated
    totals = _run(declaration)["totals"]
    amount, net, excluded, revenue = (
        _d(totals[k]) for k in ("amount", "net", "excluded", "specific_revenue")
    )
    assert amount == net + excluded + revenue
    rows = [item for item, ok in zip(declaration["items"], valid, strict=True) if ok]
    assert amount == sum(Decimal(item["amount"]) for item in rows)
    deducted = sum(min(Decimal(item.get("specific_revenue", 0)), Decimal(item["amount"]))
                   for item in rows)
    assert revenue == deducted


@FEW
@given(declarations())
def test_items_follow_the_steps_of_spec_4(generated: tuple[dict[str, Any], list[bool]]) -> None:
    """Valid rows get net = max(amount − revenue, 0), measure = net × rate; bad rows are errors."""
    declaration, valid = generated
    result = _run(declaration)
    for item, ok, got in zip(declaration["items"], valid, result["items"], strict=True):
        if not ok:
            assert got["status"] == "error"
            assert (got["net"], got["rate"], got["measure"]) == (None, None, None)
            assert got["errors"]
            continue
        assert got["status"] in ("eligible", "excluded")
        assert len(got["reasons"]) == 1
        net = max(Decimal(item["amount"]) - Decimal(item.get("specific_revenue", 0)), Decimal(0))
        assert _d(got["net"]) == net
        assert _d(got["measure"]) == net * _d(got["rate"])
        assert _d(got["rate"]) in (Decimal("0.3"), Decimal("0.5"), Decimal(0))


@FEW
@given(declarations())
def test_excluded_items_have_measure_zero(generated: tuple[dict[str, Any], list[bool]]) -> None:
    """Every excluded item has rate 0 and measure 0 and an EXCLUDED_* reason."""
    declaration, _ = generated
    for got in _run(declaration)["items"]:
        if got["status"] == "excluded":
            assert _d(got["measure"]) == 0
            assert _d(got["rate"]) == 0
            assert got["reasons"][0].startswith("EXCLUDED_")


@FEW
@given(declarations())
def test_rounding_is_half_up_to_a_thousand(generated: tuple[dict[str, Any], list[bool]]) -> None:
    """The total moves by at most 500 yen, lands on a multiple of 1,000, and rounds half up."""
    declaration, _ = generated
    result = _run(declaration)
    exact, measure = _d(result["totals"]["measure_exact"]), _d(result["totals"]["measure"])
    assert exact == sum((_d(i["measure"]) for i in result["items"] if i["status"] != "error"),
                        Decimal(0))
    assert measure % 1000 == 0
    assert abs(measure - exact) <= 500
    assert measure == _half_up_to_thousand(exact)


@SOME
@given(
    thousands=st.integers(min_value=0, max_value=10**9),
    remainder=st.one_of(st.sampled_from([0, 499, 500, 999]), st.integers(0, 999)),
    half=st.booleans(),
)
def test_rounding_at_the_500_yen_boundary(thousands: int, remainder: int, half: bool) -> None:
    """A total of 1000·k + r (+ 0.5) yen rounds up exactly when r ≥ 500 (360,499.5 → 360,000)."""
    amount = 2000 * thousands + 2 * remainder + int(half)  # joint rate 0.5: measure = amount / 2
    declaration = {
        "entity_code": ENTITY, "fiscal_year": "R3", "agreements": AGREEMENTS,
        "items": [{"item_id": "1", "description": "d", "technology": "AI",
                   "expense_kind": "introduction", "amount": amount,
                   "procurement": "joint", "agreement_id": "OK"}],
    }
    totals = _run(declaration)["totals"]
    exact = Decimal(1000 * thousands + remainder) + (Decimal("0.5") if half else 0)
    assert _d(totals["measure_exact"]) == exact
    expected = 1000 * (thousands + (1 if remainder >= 500 else 0))
    assert _d(totals["measure"]) == expected


@FEW
@given(declarations(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_item_order(
    generated: tuple[dict[str, Any], list[bool]], random: Any
) -> None:
    """Shuffling the items (unique ids) gives the same per-item results and the same totals."""
    declaration, _ = generated
    shuffled = copy.deepcopy(declaration)
    random.shuffle(shuffled["items"])

    def keyed(result: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
        return {
            i["item_id"]: (
                i["status"], *(None if i[k] is None else Decimal(i[k])
                               for k in ("net", "rate", "measure")),
                tuple(i["reasons"]), tuple(sorted(i["warnings"])), tuple(sorted(i["errors"])),
            )
            for i in result["items"]
        }

    first, second = _run(declaration), _run(shuffled)
    assert keyed(first) == keyed(second)
    assert {k: Decimal(v) for k, v in first["totals"].items() if isinstance(v, str)} == {
        k: Decimal(v) for k, v in second["totals"].items() if isinstance(v, str)
    }


@FEW
@given(declarations())
def test_every_input_item_appears_exactly_once(
    generated: tuple[dict[str, Any], list[bool]],
) -> None:
    """The result has one item per input item, in input order, and the status counts add up."""
    declaration, valid = generated
    result = _run(declaration)
    assert [i["item_id"] for i in result["items"]] == [i["item_id"] for i in declaration["items"]]
    statuses = [i["status"] for i in result["items"]]
    assert statuses.count("error") == valid.count(False)
    assert statuses.count("eligible") + statuses.count("excluded") == valid.count(True)
    counts = result["counts"]
    assert counts["items"] == len(declaration["items"])
    assert (counts["eligible"], counts["excluded"], counts["error"]) == (
        statuses.count("eligible"), statuses.count("excluded"), statuses.count("error"))


# ── Rule data: the joint rate is never below the standard rate ───────────────────────────────


def _shipped_rule_data() -> dict[str, Any]:
    return tomllib.loads(SHIPPED_RULE_FILE.read_text(encoding="utf-8"), parse_float=Decimal)


SHIPPED_DATA = _shipped_rule_data()
rates = st.decimals(min_value=0, max_value=1, places=3)


def test_shipped_joint_rate_not_below_standard() -> None:
    """In every shipped rule version the joint rate is at least the standard rate."""
    versions = list(tokko.load_rules())
    assert versions
    for version in versions:
        assert version.rate_joint >= version.rate_standard


@SOME
@given(standard=rates, joint=rates)
def test_rule_model_refuses_joint_below_standard(standard: Decimal, joint: Decimal) -> None:
    """Rule data with rates.joint < rates.standard is refused; any other pair in [0, 1] loads."""
    data = copy.deepcopy(SHIPPED_DATA)
    data["rates"]["standard"]["value"] = standard
    data["rates"]["joint"]["value"] = joint
    if joint < standard:
        with pytest.raises(ValidationError, match=r"rates\.joint is below rates\.standard"):
            RuleFile.model_validate(data)
    else:
        file = RuleFile.model_validate(data)
        assert file.rates.joint.value >= file.rates.standard.value


@FEW
@given(standard=rates, joint=rates, amount=yen)
def test_generated_rules_never_pay_joint_less(
    standard: Decimal, joint: Decimal, amount: int
) -> None:
    """With generated valid rates, a joint item under a good agreement never gets less."""
    standard, joint = min(standard, joint), max(standard, joint)
    data = copy.deepcopy(SHIPPED_DATA)
    data["rates"]["standard"]["value"] = standard
    data["rates"]["joint"]["value"] = joint
    version = tokko.RuleVersion.of(RuleFile.model_validate(data), "ai-rpa/generated.toml", "0" * 64)
    base = {"description": "d", "technology": "AI", "expense_kind": "introduction",
            "amount": amount}
    declaration = {
        "entity_code": ENTITY, "fiscal_year": "R3", "agreements": AGREEMENTS,
        "items": [{**base, "item_id": "single"},
                  {**base, "item_id": "joint", "procurement": "joint", "agreement_id": "OK"}],
    }
    single, shared = _run(declaration, tokko.RuleSet([version]))["items"]
    assert _d(single["rate"]) == standard
    assert _d(shared["rate"]) == joint
    assert _d(shared["measure"]) >= _d(single["measure"])


# ── Spellings: fiscal years (SPEC §3) ────────────────────────────────────────────────────────

_FULL_WIDTH = str.maketrans("0123456789RH", "０１２３４５６７８９ＲＨ")


def _spellings_of_western(year: int) -> list[object]:
    return [year, str(year), f"{year}年度", f"{year}年度".translate(_FULL_WIDTH)]


def _spellings_of_era(era: str, letter: str, number: int) -> list[str]:
    spelled = ["元"] if number == 1 else []
    out = [f"{letter}{number}", f"{letter.lower()}{number}", f"{era}{number}年度", f"{era}{number}",
           f"{letter}{number}".translate(_FULL_WIDTH), f"{era}{number}年度".translate(_FULL_WIDTH)]
    out += [f"{era}{n}年度" for n in spelled] + [f"{era}{n}" for n in spelled]
    return out


@SOME
@given(st.integers(min_value=1989, max_value=2199))
def test_fiscal_year_western_spellings(year: int) -> None:
    """2021, "2021", "2021年度" and full-width "２０２１年度" all parse to the same year."""
    for spelling in _spellings_of_western(year):
        assert parse_fiscal_year(spelling) == year, spelling


@SOME
@given(st.integers(min_value=1, max_value=99))
def test_fiscal_year_reiwa_spellings(number: int) -> None:
    """R3, r3, 令和3年度, 令和3, full-width forms and 令和元(年度) parse to 2018 + n."""
    for spelling in _spellings_of_era("令和", "R", number):
        assert parse_fiscal_year(spelling) == 2018 + number, spelling


@SOME
@given(st.integers(min_value=1, max_value=31))
def test_fiscal_year_heisei_spellings(number: int) -> None:
    """H31, 平成31年度, full-width forms and 平成元年度 parse to 1988 + n."""
    for spelling in _spellings_of_era("平成", "H", number):
        assert parse_fiscal_year(spelling) == 1988 + number, spelling


def test_fiscal_year_era_boundaries() -> None:
    """平成31年度 and 令和元年度 are both fiscal 2019; 令和3年度 is 2021."""
    assert parse_fiscal_year("平成31年度") == parse_fiscal_year("令和元年度") == 2019
    assert parse_fiscal_year("H31") == parse_fiscal_year("R1") == 2019
    assert parse_fiscal_year("令和3年度") == 2021


@SOME
@given(st.integers(min_value=32, max_value=99))
def test_fiscal_year_heisei_past_31_refused(number: int) -> None:
    """平成 ended in its 31st year: H32 and later are INVALID_FISCAL_YEAR."""
    for spelling in (f"H{number}", f"平成{number}年度"):
        with pytest.raises(tokko.FieldError) as caught:
            parse_fiscal_year(spelling)
        assert caught.value.code == "INVALID_FISCAL_YEAR"


# ── Spellings: amounts (SPEC §3) ─────────────────────────────────────────────────────────────

_FULL_WIDTH_AMOUNT = str.maketrans("0123456789,", "０１２３４５６７８９，")


def _spellings_of_amount(n: int) -> list[object]:
    grouped = f"{n:,}"
    return [n, str(n), grouped, grouped.translate(_FULL_WIDTH_AMOUNT),
            str(n).translate(_FULL_WIDTH_AMOUNT), f"{n}円", f"{grouped}円",
            f"{grouped}円".translate(_FULL_WIDTH_AMOUNT)]


@SOME
@given(st.integers(min_value=0, max_value=10**15))
def test_amount_spellings_round_trip(n: int) -> None:
    """int, "1234567", "1,234,567", "１，２３４，５６７", "1234567円" all read as n yen."""
    for spelling in _spellings_of_amount(n):
        parsed = parse_yen(spelling)
        assert parsed == n, spelling
        assert isinstance(parsed, Decimal)


@SOME
@given(st.integers(min_value=0, max_value=10**12))
def test_amount_in_thousands(n: int) -> None:
    """unit=1000 reads a 千円 column: every spelling of n gives exactly n × 1,000 yen."""
    for spelling in _spellings_of_amount(n):
        assert parse_yen(spelling, 1000) == n * 1000, spelling


def _refused(value: object) -> None:
    with pytest.raises(tokko.FieldError) as caught:
        parse_yen(value)
    assert caught.value.code == "INVALID_AMOUNT"


@SOME
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_refused(value: float) -> None:
    """Every float, even a whole one, is INVALID_AMOUNT: amounts are integers or strings."""
    _refused(value)


@SOME
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=999))
def test_fractions_refused(whole: int, fraction: int) -> None:
    """"123.5", "1,234.5", Decimal("123.5") and Fraction(2469, 2) are INVALID_AMOUNT."""
    text = f"{whole}.{fraction:03d}"
    _refused(text)
    _refused(f"{whole:,}.{fraction:03d}")
    _refused(Decimal(text))
    _refused(Fraction(2 * whole + 1, 2))


@SOME
@given(st.integers(min_value=1, max_value=10**12))
def test_negatives_refused(n: int) -> None:
    """-n as an int, "-n", "-1,234" and "△n" are INVALID_AMOUNT."""
    for value in (-n, f"-{n}", f"-{n:,}", f"△{n}"):
        _refused(value)
