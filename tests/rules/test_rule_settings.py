"""Every rule setting, at a value other than the shipped one, changes the result as SPEC says.

The rule files are the shipped rules/ai-rpa/2021.toml with edits, written under tmp_path as a
version of their own (``2021.2-test``: a shipped version number with other bytes is refused).
The oracles are SPEC §4 written out here (with :class:`fractions.Fraction`), never the engine.
The shipped 2020 rules are checked as they stand: no joint rate, no standardization exclusion.
"""

from __future__ import annotations

import itertools
import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokko

SHIPPED_FILE = Path(__file__).resolve().parents[2] / "rules" / "ai-rpa" / "2021.toml"
SHIPPED_TEXT = SHIPPED_FILE.read_text(encoding="utf-8")
ENTITY = "011002"  # 札幌市
PARTNER = "010006"  # 北海道
THIRD = "012025"  # 函館市
FEW = settings(max_examples=60, deadline=None)

AGREEMENTS = [
    {"agreement_id": "TWO", "concluded_on": "2021-04-01", "parties": [PARTNER, ENTITY]},
    {"agreement_id": "THREE", "concluded_on": "2021-04-01", "parties": [PARTNER, ENTITY, THIRD]},
    {"agreement_id": "ALONE", "concluded_on": "2021-04-01", "parties": [ENTITY]},
    {"agreement_id": "OTHERS", "concluded_on": "2021-04-01", "parties": [PARTNER, THIRD]},
    {"agreement_id": "LATE", "concluded_on": "2022-04-01", "parties": [PARTNER, ENTITY]},
]


def edited(*edits: tuple[str, str]) -> str:
    """The shipped 2021 text as version 2021.2-test, with each (old, new) edit made once."""
    text = SHIPPED_TEXT
    for old, new in (('version = "2021.2"', 'version = "2021.2-test"'), *edits):
        assert text.count(old) == 1, f"the edit must hit exactly one place: {old!r}"
        text = text.replace(old, new)
    return text


def write(root: Path, text: str) -> tokko.RuleSet:
    """``text`` written as ``root/ai-rpa/2021.toml`` and loaded."""
    path = root / "ai-rpa" / "2021.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tokko.load_rules(root)


def setting(key: str, value: str) -> tuple[str, str]:
    """The edit that sets ``[key] value = …`` (a sourced table of the shipped file)."""
    head = f"[{key}]\nvalue = "
    start = SHIPPED_TEXT.index(head) + len(head)
    old = SHIPPED_TEXT[start : SHIPPED_TEXT.index("\n", start)]
    return f"{head}{old}\n", f"{head}{value}\n"


def item(item_id: str = "1", **fields: Any) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "description": "AI-OCRの導入",
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": 1_000_000,
        **fields,
    }


def run(
    rules: tokko.RuleSet | None,
    *items: dict[str, Any],
    year: int = 2021,
    entity: str = ENTITY,
    index: str | None = None,
) -> dict[str, Any]:
    """The one declaration's result, as JSON."""
    declaration: dict[str, Any] = {
        "entity_code": entity,
        "fiscal_year": year,
        "items": list(items),
        "agreements": AGREEMENTS,
    }
    if index is not None:
        declaration["fiscal_strength_index"] = index
    document = json.loads(tokko.calculate(declaration, rules, explain=False).model_dump_json())
    assert document["errors"] == []
    (result,) = document["declarations"]
    assert isinstance(result, dict)
    return result


def only(result: dict[str, Any]) -> dict[str, Any]:
    (one,) = result["items"]
    assert isinstance(one, dict)
    return one


def totals(result: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in result["totals"].items() if v is not None}


# ── Rounding (SPEC §1: 地方交付税法 §22; §4 step 8) ──────────────────────────────────────────

#: exact measure (yen) → what each mode makes of it with a unit of 1,000 yen.
BOUNDARY = {
    # amount × 0.3 = measure exact: 370,500 → 371,000 half up, 370,000 half even (370 even)
    1_235_000: {"half_up": 371_000, "half_even": 370_000, "down": 370_000, "up": 371_000},
    # 373,500: half even goes up to the even 374
    1_245_000: {"half_up": 374_000, "half_even": 374_000, "down": 373_000, "up": 374_000},
    # 371,499.9: under the half, every mode but up goes down
    1_238_333: {"half_up": 371_000, "half_even": 371_000, "down": 371_000, "up": 372_000},
    # 371,500.2: over the half
    1_238_334: {"half_up": 372_000, "half_even": 372_000, "down": 371_000, "up": 372_000},
    # 300,000 exactly: no mode moves it
    1_000_000: {"half_up": 300_000, "half_even": 300_000, "down": 300_000, "up": 300_000},
}


@pytest.mark.parametrize("mode", ["half_up", "half_even", "down", "up"])
@pytest.mark.parametrize("amount", sorted(BOUNDARY))
def test_rounding_mode_at_the_500_yen_boundary(tmp_path: Path, mode: str, amount: int) -> None:
    """rounding.mode decides the 500-yen boundary: half_up (shipped) counts 500 as 1,000,
    half_even rounds 500 to the even thousand, down drops every remainder, up raises it."""
    rules = write(tmp_path, edited(setting("rounding.mode", f'"{mode}"')))
    result = totals(run(rules, item(amount=amount)))
    assert result["measure_exact"] == Decimal(amount) * Decimal("0.3")
    assert result["measure"] == BOUNDARY[amount][mode]


def test_rounding_unit(tmp_path: Path) -> None:
    """rounding.unit = 1 rounds to the yen (half up), not to the thousand."""
    rules = write(tmp_path, edited(setting("rounding.unit", "1")))
    result = totals(run(rules, item(amount=1_000_005)))  # 300,001.5
    assert result["measure_exact"] == Decimal("300001.5")
    assert result["measure"] == 300_002


def test_rounding_scope_item_rounds_each_item_then_sums(tmp_path: Path) -> None:
    """rounding.scope = item rounds each item's measure, and the total is their sum, not
    rounded again: 300,300 + 300,300 → 300,000 + 300,000 = 600,000 (the declaration scope
    gives 600,600 → 601,000)."""
    items = (item("1", amount=1_001_000), item("2", amount=1_001_000))
    rules = write(tmp_path / "item", edited(setting("rounding.scope", '"item"')))
    result = run(rules, *items)
    assert [Decimal(i["measure"]) for i in result["items"]] == [300_000, 300_000]
    assert totals(result)["measure_by_rate"] == 600_000
    assert totals(result)["measure_exact"] == 600_000
    assert totals(result)["measure"] == 600_000
    shipped = run(None, *items)
    assert [Decimal(i["measure"]) for i in shipped["items"]] == [300_300, 300_300]
    assert totals(shipped)["measure"] == 601_000


def test_rounding_scope_item_uses_the_mode(tmp_path: Path) -> None:
    """Per-item rounding follows rounding.mode: 370,500 per item rounds down under down."""
    text = edited(setting("rounding.scope", '"item"'), setting("rounding.mode", '"down"'))
    result = run(write(tmp_path, text), item(amount=1_235_000))
    assert Decimal(only(result)["measure"]) == 370_000


def test_rounding_scope_none_leaves_the_total_exact(tmp_path: Path) -> None:
    """rounding.scope = none: the measure is the exact total, not rounded at all."""
    rules = write(tmp_path, edited(setting("rounding.scope", '"none"')))
    result = totals(run(rules, item(amount=1_000_001)))
    assert result["measure"] == result["measure_exact"] == Decimal("300000.3")


# ── Specific revenue (§4 step 3) ────────────────────────────────────────────────────────────


def test_specific_revenue_not_deducted(tmp_path: Path) -> None:
    """specific_revenue.deduct = false: nothing is deducted (net = amount), no
    REVENUE_EXCEEDS_AMOUNT, and the totals still reconcile with 0 deducted."""
    rules = write(tmp_path, edited(setting("specific_revenue.deduct", "false")))
    result = run(
        rules,
        item("1", amount=1_000_000, specific_revenue=400_000),
        item("2", amount=100_000, specific_revenue=400_000),
    )
    first, second = result["items"]
    assert (Decimal(first["net"]), Decimal(first["measure"])) == (1_000_000, 300_000)
    assert Decimal(first["specific_revenue"]) == 0
    assert (Decimal(second["net"]), second["warnings"]) == (100_000, [])
    got = totals(result)
    assert (got["amount"], got["net"], got["specific_revenue"]) == (1_100_000, 1_100_000, 0)
    assert got["amount"] == got["net"] + got["excluded"] + got["specific_revenue"]
    assert result["reconciled"] is True
    shipped = run(None, item("1", amount=1_000_000, specific_revenue=400_000))
    assert Decimal(only(shipped)["net"]) == 600_000


# ── The joint rate's conditions (§4 step 4) ─────────────────────────────────────────────────


def _rate(result: dict[str, Any]) -> tuple[Decimal, list[str], list[str]]:
    one = only(result)
    return Decimal(one["rate"]), one["reasons"], one["warnings"]


def test_agreement_not_required(tmp_path: Path) -> None:
    """joint_procurement.agreement_required = false: a joint row without an agreement id, or
    with one naming no known agreement, gets the joint rate without a warning."""
    rules = write(tmp_path, edited(setting("joint_procurement.agreement_required", "false")))
    assert _rate(run(rules, item(procurement="joint"))) == (Decimal("0.5"), ["JOINT_RATE"], [])
    assert _rate(run(rules, item(procurement="joint", agreement_id="NOWHERE"))) == (
        Decimal("0.5"),
        ["JOINT_RATE"],
        [],
    )
    assert _rate(run(None, item(procurement="joint"))) == (
        Decimal("0.3"),
        ["STANDARD_RATE"],
        ["JOINT_WITHOUT_AGREEMENT"],
    )
    assert _rate(run(None, item(procurement="joint", agreement_id="NOWHERE"))) == (
        Decimal("0.3"),
        ["STANDARD_RATE"],
        ["AGREEMENT_UNKNOWN"],
    )


@pytest.mark.parametrize(
    ("min_parties", "agreement", "joint"),
    [
        (3, "TWO", False),
        (3, "THREE", True),
        (1, "ALONE", True),
        (2, "ALONE", False),
        (2, "TWO", True),
    ],
)
def test_min_parties(tmp_path: Path, min_parties: int, agreement: str, joint: bool) -> None:
    """joint_procurement.min_parties: an agreement with fewer parties gets the standard rate
    and AGREEMENT_TOO_FEW_PARTIES; with as many or more, the joint rate."""
    rules = write(tmp_path, edited(setting("joint_procurement.min_parties", str(min_parties))))
    got = _rate(run(rules, item(procurement="joint", agreement_id=agreement)))
    if joint:
        assert got == (Decimal("0.5"), ["JOINT_RATE"], [])
    else:
        assert got == (Decimal("0.3"), ["STANDARD_RATE"], ["AGREEMENT_TOO_FEW_PARTIES"])


def test_declarer_need_not_be_party(tmp_path: Path) -> None:
    """joint_procurement.declarer_must_be_party = false: an agreement of others still gives
    the joint rate (shipped: AGREEMENT_NOT_PARTY)."""
    rules = write(tmp_path, edited(setting("joint_procurement.declarer_must_be_party", "false")))
    assert _rate(run(rules, item(procurement="joint", agreement_id="OTHERS")))[0] == Decimal("0.5")
    assert _rate(run(None, item(procurement="joint", agreement_id="OTHERS"))) == (
        Decimal("0.3"),
        ["STANDARD_RATE"],
        ["AGREEMENT_NOT_PARTY"],
    )


def test_agreement_need_not_be_concluded_by_year_end(tmp_path: Path) -> None:
    """joint_procurement.concluded_by_fiscal_year_end = false: an agreement concluded after
    the fiscal year still gives the joint rate (shipped: AGREEMENT_NOT_CONCLUDED)."""
    rules = write(
        tmp_path, edited(setting("joint_procurement.concluded_by_fiscal_year_end", "false"))
    )
    assert _rate(run(rules, item(procurement="joint", agreement_id="LATE")))[0] == Decimal("0.5")
    assert _rate(run(None, item(procurement="joint", agreement_id="LATE"))) == (
        Decimal("0.3"),
        ["STANDARD_RATE"],
        ["AGREEMENT_NOT_CONCLUDED"],
    )


def test_rates(tmp_path: Path) -> None:
    """rates.standard and rates.joint are the rates applied."""
    rules = write(
        tmp_path, edited(setting("rates.standard", "0.25"), setting("rates.joint", "0.4"))
    )
    assert _rate(run(rules, item()))[0] == Decimal("0.25")
    assert _rate(run(rules, item(procurement="joint", agreement_id="TWO")))[0] == Decimal("0.4")


# ── What is eligible (§4 step 2) ────────────────────────────────────────────────────────────


def test_technologies_eligible(tmp_path: Path) -> None:
    """technologies.eligible = ["RPA"]: AI (and AI+RPA, and AI-OCR's alias target) is
    excluded as EXCLUDED_TECHNOLOGY."""
    rules = write(
        tmp_path,
        edited(
            ('value = ["AI", "RPA"]', 'value = ["RPA"]'),
            ('"AI-OCR" = "AI", "AIOCR" = "AI", "人工知能" = "AI"', '"RPAツール" = "RPA"'),
        ),
    )
    result = run(
        rules,
        item("1", technology="RPA"),
        item("2", technology="AI"),
        item("3", technology="AI+RPA"),
    )
    assert [i["reasons"] for i in result["items"]] == [
        ["STANDARD_RATE"],
        ["EXCLUDED_TECHNOLOGY"],
        ["EXCLUDED_TECHNOLOGY"],
    ]


def test_expense_kind_eligibility(tmp_path: Path) -> None:
    """An expense kind made eligible (hardware) is computed; one made ineligible (training)
    is EXCLUDED_EXPENSE_KIND."""
    text = edited(
        (
            'name_ja = "機器購入"\naliases = ["機器", "機器購入費", "ハードウェア", "端末購入"]\n'
            "eligible = false",
            'name_ja = "機器購入"\naliases = ["機器", "機器購入費", '
            '"ハードウェア", "端末購入"]\neligible = true',
        ),
        (
            'name_ja = "研修"\naliases = ["研修費", "職員研修"]\neligible = true',
            'name_ja = "研修"\naliases = ["研修費", "職員研修"]\neligible = false',
        ),
    )
    result = run(
        write(tmp_path, text), item("1", expense_kind="機器購入"), item("2", expense_kind="研修")
    )
    assert [i["reasons"] for i in result["items"]] == [["STANDARD_RATE"], ["EXCLUDED_EXPENSE_KIND"]]


def test_first_year_only_off(tmp_path: Path) -> None:
    """first_year_only = false on licences: a licence introduced in an earlier year counts,
    and one without a year of introduction carries no INTRODUCTION_YEAR_MISSING."""
    rules = write(
        tmp_path,
        edited(("first_year_only = { value = true,", "first_year_only = { value = false,")),
    )
    result = run(
        rules,
        item("1", expense_kind="license", introduced_in=2019),
        item("2", expense_kind="license"),
    )
    assert [(i["reasons"], i["warnings"]) for i in result["items"]] == [
        (["STANDARD_RATE"], []),
        (["STANDARD_RATE"], []),
    ]
    shipped = run(
        None,
        item("1", expense_kind="license", introduced_in=2019),
        item("2", expense_kind="license"),
    )
    assert [(i["reasons"], i["warnings"]) for i in shipped["items"]] == [
        (["EXCLUDED_NOT_FIRST_YEAR"], []),
        (["STANDARD_RATE"], ["INTRODUCTION_YEAR_MISSING"]),
    ]


STEPS = ("technology", "expense_kind", "standardization_target", "first_year")
#: Items that several exclusions apply to, and which steps apply.
MANY_REASONS: list[tuple[dict[str, Any], set[str]]] = [
    (
        {"technology": "IoT", "expense_kind": "hardware", "business_area": "住民記録"},
        {"technology", "expense_kind", "standardization_target"},
    ),
    (
        {
            "technology": "IoT",
            "expense_kind": "license",
            "introduced_in": 2020,
            "business_area": "介護保険",
        },
        {"technology", "first_year", "standardization_target"},
    ),
    (
        {
            "technology": "AI",
            "expense_kind": "license",
            "introduced_in": 2019,
            "business_area": "戸籍の附票",
        },
        {"first_year", "standardization_target"},
    ),
    ({"technology": "IoT", "expense_kind": "その他"}, {"technology", "expense_kind"}),
]
REASON = {
    "technology": "EXCLUDED_TECHNOLOGY",
    "expense_kind": "EXCLUDED_EXPENSE_KIND",
    "standardization_target": "EXCLUDED_STANDARDIZATION_TARGET",
    "first_year": "EXCLUDED_NOT_FIRST_YEAR",
}


@pytest.mark.parametrize("order", list(itertools.permutations(STEPS)), ids="-".join)
def test_exclusion_order_decides_the_reason_recorded(
    tmp_path: Path, order: tuple[str, ...]
) -> None:
    """exclusion_order: an item excluded for several reasons records the first of them in the
    file's order, whichever permutation the file gives."""
    shipped = '["technology", "expense_kind", "standardization_target", "first_year"]'
    listed = "[" + ", ".join(f'"{step}"' for step in order) + "]"
    rules = write(tmp_path, edited((f"value = {shipped}", f"value = {listed}")))
    result = run(rules, *(item(str(i), **fields) for i, (fields, _) in enumerate(MANY_REASONS)))
    for got, (_, applies) in zip(result["items"], MANY_REASONS, strict=True):
        first = next(step for step in order if step in applies)
        assert got["status"] == "excluded"
        assert got["reasons"] == [REASON[first]]


# ── The fiscal-strength adjustment (§4 step 7) ──────────────────────────────────────────────

TABLE = """
[[fiscal_strength.multipliers]]
value = 1.5
up_to = 0.40
entities = "municipality"
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0.5
above = 0.40
entities = "municipality"
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0.8
entities = "prefecture"
source = "ordinance"
"""


def test_fiscal_strength_not_applied(tmp_path: Path) -> None:
    """fiscal_strength.applies = false: the measure is the amount by rate, with no
    FISCAL_STRENGTH_NOT_APPLIED (shipped: applies, no table, so the warning)."""
    rules = write(tmp_path, edited(setting("fiscal_strength.applies", "false")))
    result = run(rules, item(), index="0.45")
    assert result["warnings"] == []
    assert totals(result)["measure"] == 300_000
    assert "fiscal_strength_multiplier" not in totals(result)
    assert run(None, item(), index="0.45")["warnings"] == ["FISCAL_STRENGTH_NOT_APPLIED"]


@pytest.mark.parametrize(
    ("entity", "index", "multiplier", "measure"),
    [
        (ENTITY, "0.40", "1.5", 450_000),
        (ENTITY, "0.41", "0.5", 150_000),
        (PARTNER, "0.10", "0.8", 240_000),  # 北海道 is a prefecture: the prefecture table
    ],
)
def test_fiscal_strength_table_applied(
    tmp_path: Path, entity: str, index: str, multiplier: str, measure: int
) -> None:
    """With a multiplier table and the index, measure_exact = measure_by_rate × the
    multiplier of the bracket (the prefecture table for a prefecture), no warning."""
    rules = write(tmp_path, edited(("# ── Rounding", TABLE + "\n# ── Rounding")))
    result = run(rules, item(), entity=entity, index=index)
    got = totals(result)
    assert got["measure_by_rate"] == 300_000
    assert got["fiscal_strength_index"] == Decimal(index)
    assert got["fiscal_strength_multiplier"] == Decimal(multiplier)
    assert got["measure_exact"] == measure
    assert result["warnings"] == []


def test_fiscal_strength_rounds_once_after_the_multiplier(tmp_path: Path) -> None:
    """SPEC §4 step 8: the measure is rounded once, after the multiplier: 300,400.2 × 1.5 =
    450,600.3 → 451,000 (rounding before it would give 300,000 × 1.5 = 450,000)."""
    rules = write(tmp_path, edited(("# ── Rounding", TABLE + "\n# ── Rounding")))
    got = totals(run(rules, item(amount=1_001_334), index="0.30"))  # × 0.3 = 300,400.2
    assert got["measure_exact"] == Decimal("450600.3")
    assert got["measure"] == 451_000


def test_fiscal_strength_table_without_the_index_warns(tmp_path: Path) -> None:
    """With a table but no index the measure is before the adjustment, with the warning."""
    rules = write(tmp_path, edited(("# ── Rounding", TABLE + "\n# ── Rounding")))
    result = run(rules, item())
    assert result["warnings"] == ["FISCAL_STRENGTH_NOT_APPLIED"]
    assert totals(result)["measure"] == 300_000


# ── The review checks ───────────────────────────────────────────────────────────────────────


def test_duplicate_contract_check_off(tmp_path: Path) -> None:
    """audit_checks.duplicate_contract = false: the same contract twice is not warned."""
    items = (item("1", contract_id="K-1"), item("2", contract_id="K-1"))
    rules = write(tmp_path, edited(setting("audit_checks.duplicate_contract", "false")))
    assert [i["warnings"] for i in run(rules, *items)["items"]] == [[], []]
    assert [i["warnings"] for i in run(None, *items)["items"]] == [
        ["DUPLICATE_CONTRACT"],
        ["DUPLICATE_CONTRACT"],
    ]


def test_joint_shares_check_off(tmp_path: Path) -> None:
    """audit_checks.joint_shares_within_contract_total = false: joint shares above the
    contract total are not warned."""
    share = {
        "procurement": "joint",
        "agreement_id": "TWO",
        "contract_id": "K-9",
        "contract_total": 1_000_000,
        "amount": 1_500_000,
    }
    rules = write(
        tmp_path, edited(setting("audit_checks.joint_shares_within_contract_total", "false"))
    )
    assert only(run(rules, item(**share)))["warnings"] == []
    assert only(run(None, item(**share)))["warnings"] == ["JOINT_SHARES_EXCEED_CONTRACT"]


# ── The 2020 rules, as shipped ──────────────────────────────────────────────────────────────


def test_joint_row_in_fiscal_2020_gets_the_standard_rate() -> None:
    """Fiscal 2020 has no joint rate: a joint row under a good agreement gets 0.3 and
    JOINT_RATE_NOT_IN_FORCE (in 2021 the same row gets 0.5)."""
    agreement = {"agreement_id": "OLD", "concluded_on": "2020-04-01", "parties": [PARTNER, ENTITY]}
    declaration = {
        "entity_code": ENTITY,
        "fiscal_year": "R2",
        "agreements": [agreement],
        "items": [item(procurement="joint", agreement_id="OLD")],
    }
    document = json.loads(tokko.calculate(declaration).model_dump_json())
    (result,) = document["declarations"]
    assert result["rules_version"] == "2020.1"
    assert _rate(result) == (Decimal("0.3"), ["STANDARD_RATE"], ["JOINT_RATE_NOT_IN_FORCE"])
    assert _rate(run(None, item(procurement="joint", agreement_id="TWO")))[0] == Decimal("0.5")


def test_joint_row_without_agreement_in_2020() -> None:
    """In 2020 a joint row without an agreement is not asked for one: the only warning is that
    the joint rate is not in force."""
    assert _rate(run(None, item(procurement="joint"), year=2020)) == (
        Decimal("0.3"),
        ["STANDARD_RATE"],
        ["JOINT_RATE_NOT_IN_FORCE"],
    )


@pytest.mark.parametrize("area", ["住民記録システムの入力", "介護保険の認定", "戸籍の附票"])
def test_standardization_target_is_not_excluded_in_2020(area: str) -> None:
    """Fiscal 2020 predates the standardization law: a standardization-target business is
    computed at 0.3 (in 2021 it is EXCLUDED_STANDARDIZATION_TARGET)."""
    assert _rate(run(None, item(business_area=area), year=2020)) == (
        Decimal("0.3"),
        ["STANDARD_RATE"],
        [],
    )
    assert only(run(None, item(business_area=area), year=2021))["reasons"] == [
        "EXCLUDED_STANDARDIZATION_TARGET"
    ]


# ── Generated settings ──────────────────────────────────────────────────────────────────────

MODES = ("half_up", "half_even", "down", "up")
SCOPES = ("declaration", "item", "none")
UNITS = (1, 1000, 10000)


def _rounded(value: Fraction, unit: int, mode: str) -> Fraction:
    """SPEC's rounding modes, for a value ≥ 0, written out with Fraction."""
    steps = value / unit
    whole = {
        "half_up": math.floor(steps + Fraction(1, 2)),
        "half_even": round(steps),  # Fraction rounds half to even
        "down": math.floor(steps),
        "up": math.ceil(steps),
    }[mode]
    return Fraction(whole * unit)


@pytest.fixture(scope="module")
def generated_rules(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str, int], tokko.RuleSet]:
    """A rule set per (rounding mode, scope, unit), each written to its own folder."""
    found = {}
    for mode, scope, unit in itertools.product(MODES, SCOPES, UNITS):
        root = tmp_path_factory.mktemp(f"rules-{mode}-{scope}-{unit}")
        found[mode, scope, unit] = write(
            root,
            edited(
                setting("rounding.mode", f'"{mode}"'),
                setting("rounding.scope", f'"{scope}"'),
                setting("rounding.unit", str(unit)),
            ),
        )
    return found


#: (amount, specific revenue, joint under a good agreement) of up to five items.
ITEMS = st.lists(
    st.tuples(st.integers(0, 10**10), st.integers(0, 10**9), st.booleans()), min_size=1, max_size=5
)


@FEW
@given(st.sampled_from(MODES), st.sampled_from(SCOPES), st.sampled_from(UNITS), st.data())
def test_generated_rounding_settings_follow_spec(
    generated_rules: dict[tuple[str, str, int], tokko.RuleSet],
    mode: str,
    scope: str,
    unit: int,
    data: st.DataObject,
) -> None:
    """For any rounding mode, scope and unit and any items: each item's measure is
    max(amount − revenue, 0) × rate (rounded per item under scope item), measure_by_rate is
    their sum, and the measure is that sum rounded once (scope declaration) or as it is."""
    pairs = data.draw(ITEMS)
    items = [
        item(
            str(i),
            amount=amount,
            specific_revenue=revenue,
            **({"procurement": "joint", "agreement_id": "TWO"} if joint else {}),
        )
        for i, (amount, revenue, joint) in enumerate(pairs)
    ]
    result = run(generated_rules[mode, scope, unit], *items)
    expected_items = []
    for amount, revenue, joint in pairs:
        exact = max(Fraction(amount - revenue), Fraction(0)) * (
            Fraction(1, 2) if joint else Fraction(3, 10)
        )
        expected_items.append(_rounded(exact, unit, mode) if scope == "item" else exact)
    assert [Fraction(Decimal(i["measure"])) for i in result["items"]] == expected_items
    by_rate = sum(expected_items, Fraction(0))
    got = totals(result)
    assert Fraction(got["measure_by_rate"]) == by_rate
    assert Fraction(got["measure_exact"]) == by_rate
    expected = _rounded(by_rate, unit, mode) if scope == "declaration" else by_rate
    assert Fraction(got["measure"]) == expected
