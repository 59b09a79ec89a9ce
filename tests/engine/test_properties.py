"""Invariants of the engine for generated declarations and generated rule files (hypothesis).

The rule files are generated from the shipped 2021 file: the rates, the rounding mode, unit
and scope, the deduction on or off, whether the joint rate needs an agreement, whether the
fiscal-strength adjustment applies, and a multiplier table (one for both kinds of government,
or one each). Every oracle here is written from SPEC.md (§3, §4 steps 1–8, §6), never taken
from the code under test. The spellings of amounts and fiscal years are tested in
tests/model/test_money.py and tests/model/test_fiscal_year.py.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import tomllib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tokko
from tokko.rules.fiscal_strength import multiplier_for
from tokko.rules.ruleset import RuleSet, shipped_rules_dir
from tokko.rules.schema import RuleFile

FEW = settings(max_examples=50, deadline=None)
SOME = settings(max_examples=150, deadline=None)
D = Decimal

SAPPORO, HOKKAIDO = "011002", "010006"  # a designated city (municipality), a prefecture
TECHNOLOGIES = ["AI", "RPA", "AI+RPA", "AI-OCR", "ＡＩ", "rpa", "IoT", "ブロックチェーン"]
KINDS = [
    "introduction",
    "license",
    "training",
    "consulting",
    "hardware",
    "personnel",
    "other",
    "導入・構築",
    "研修",
    "機器購入",
    "人件費",
    "利用料・ライセンス料",
]
AREAS = [
    "",
    "会計伝票の入力",
    "住民記録",
    "介護保険の認定",
    "住民からの問い合わせ対応",
    "戸籍の附票",
]
PROCUREMENTS = ["single", "joint", "単独", "共同", "", "共同調達"]
AGREEMENTS = [
    {"agreement_id": "OK", "concluded_on": "2021-04-01", "parties": [HOKKAIDO, SAPPORO]},
    {"agreement_id": "LATE", "concluded_on": "2099-04-01", "parties": [HOKKAIDO, SAPPORO]},
    {"agreement_id": "ALONE", "concluded_on": "2021-04-01", "parties": [SAPPORO]},
    {"agreement_id": "OTHERS", "concluded_on": "2021-04-01", "parties": [HOKKAIDO, "012025"]},
    {"agreement_id": "協定-01", "concluded_on": "2021-04-01", "parties": [HOKKAIDO, SAPPORO]},
]
AGREEMENT_IDS = [None, "OK", "LATE", "ALONE", "OTHERS", "NOWHERE", "協定-01"]
YEARS = [("R3", 2021), (2022, 2022), ("令和7年度", 2025), ("R8", 2026)]
BREAKERS: list[dict[str, Any]] = [
    {"amount": "1.5"},
    {"amount": -1},
    {"description": ""},
    {"technology": ""},
    {"expense_kind": "交際費"},
    {"procurement": "both"},
    {"specific_revenue": "1,2"},
    {"introduced_in": 2099},
]
#: Characters nobody can see: zero-width space, soft hyphen, word joiner, zero-width joiner,
#: variation selectors 1, 16 and 17.
INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\u200d", "\ufe00", "\ufe0f", "\U000e0100"]
yen = st.integers(min_value=0, max_value=10**11)
ROUNDING_MODES = ["half_up", "half_even", "down", "up"]


# ── Generated rule files ─────────────────────────────────────────────────────────────────────


class Bracket(NamedTuple):
    """One bracket as the oracle reads it: over ``above`` (None: from 0 inclusive) up to
    ``up_to`` inclusive (None: open)."""

    above: Decimal | None
    up_to: Decimal | None
    value: Decimal

    def covers(self, index: Decimal) -> bool:
        low = index >= 0 if self.above is None else index > self.above
        return low and (self.up_to is None or index <= self.up_to)


class Settings(NamedTuple):
    """A generated rule file's data, and what the oracles need to know of it."""

    data: dict[str, Any]
    standard: Decimal
    joint: Decimal
    mode: str
    unit: Decimal
    scope: str
    deduct: bool
    agreement_required: bool
    applies: bool
    #: Per kind of government ("municipality", "prefecture"), its brackets; None: no table.
    tables: dict[str, list[Bracket]] | None
    cuts: tuple[Decimal, ...]


def _shipped_data() -> dict[str, Any]:
    path = shipped_rules_dir() / "ai-rpa" / "2021.toml"
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


SHIPPED_DATA = _shipped_data()
rates = st.decimals(min_value=0, max_value=1, places=3)
cut_points = st.lists(st.integers(min_value=1, max_value=300), max_size=4, unique=True).map(
    lambda cuts: tuple(D(c) / 100 for c in sorted(cuts))
)
multipliers = st.integers(min_value=0, max_value=150).map(lambda n: D(n) / 100)


@st.composite
def table(draw: st.DrawFn, cuts: tuple[Decimal, ...]) -> list[Bracket]:
    """Brackets covering every index ≥ 0 once, cut at ``cuts``."""
    bounds = [None, *cuts, None]
    return [Bracket(above, up_to, draw(multipliers)) for above, up_to in itertools.pairwise(bounds)]


@st.composite
def rule_settings(draw: st.DrawFn) -> Settings:
    """The shipped 2021 file with generated rates, rounding, switches and multiplier table."""
    data = copy.deepcopy(SHIPPED_DATA)
    standard = draw(rates)
    joint = draw(st.decimals(min_value=standard, max_value=1, places=3))
    mode = draw(st.sampled_from(ROUNDING_MODES))
    unit = D(draw(st.sampled_from([1, 10, 100, 1000, 10000])))
    deduct, agreement_required = draw(st.booleans()), draw(st.booleans())
    cuts = draw(cut_points)
    tables: dict[str, list[Bracket]] | None = None
    kind = draw(st.sampled_from(["none", "both", "each"]))
    if kind == "both":
        shared = draw(table(cuts))
        tables = {"municipality": shared, "prefecture": shared}
    elif kind == "each":
        tables = {"municipality": draw(table(cuts)), "prefecture": draw(table(cuts[:1]))}
    applies = True if tables else draw(st.booleans())
    scope = draw(
        st.sampled_from(["declaration", "none"] if tables else ["declaration", "none", "item"])
    )
    data["rates"]["standard"]["value"] = standard
    data["rates"]["joint"]["value"] = joint
    data["rounding"]["mode"]["value"] = mode
    data["rounding"]["unit"]["value"] = unit
    data["rounding"]["scope"]["value"] = scope
    data["specific_revenue"]["deduct"]["value"] = deduct
    data["joint_procurement"]["agreement_required"]["value"] = agreement_required
    data["fiscal_strength"]["applies"]["value"] = applies
    if tables is not None:
        written = []
        for entities, brackets in tables.items():
            for b in brackets:
                entry: dict[str, Any] = {"value": b.value, "source": "ordinance"}
                if b.above is not None:
                    entry["above"] = b.above
                if b.up_to is not None:
                    entry["up_to"] = b.up_to
                if kind == "each":
                    entry["entities"] = entities
                written.append(entry)
            if kind == "both":
                break
        data["fiscal_strength"]["multipliers"] = written
    return Settings(
        data, standard, joint, mode, unit, scope, deduct, agreement_required, applies, tables, cuts
    )


def _index_for(draw: st.DrawFn, rules: Settings) -> Decimal | None:
    """No index, an index on a cut point (a bracket's boundary), or anywhere in [0, 4]."""
    choices = [st.none(), st.integers(0, 400).map(lambda n: D(n) / 100)]
    if rules.cuts:
        choices.append(st.sampled_from(rules.cuts))
    index: Decimal | None = draw(st.one_of(*choices))
    return index


@SOME
@given(
    rules=rule_settings(),
    index=st.integers(0, 500).map(lambda n: D(n) / 100),
    on_a_cut=st.booleans(),
)
def test_exactly_one_bracket_applies(rules: Settings, index: Decimal, on_a_cut: bool) -> None:
    """For any table covering [0, ∞) and any index ≥ 0 (on a boundary too), exactly one bracket
    of the government's table applies, and it is the one the rule file's words give."""
    assume(rules.tables is not None)
    assert rules.tables is not None
    file = RuleFile.model_validate(rules.data)
    if on_a_cut and rules.cuts:
        index = rules.cuts[int(index * 100) % len(rules.cuts)]
    for kind in ("municipality", "prefecture"):
        brackets = file.fiscal_strength.table_for(kind)  # type: ignore[arg-type]
        assert sum(1 for b in brackets if b.covers(index)) == 1
        [expected] = [b for b in rules.tables[kind] if b.covers(index)]
        assert multiplier_for(file.fiscal_strength, index, kind).value == expected.value  # type: ignore[arg-type]


# ── Generated declarations ───────────────────────────────────────────────────────────────────


@st.composite
def items(draw: st.DrawFn, item_id: str, year: int) -> tuple[dict[str, Any], bool]:
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
    contract = draw(st.sampled_from([None, "K-1", "K-2", "契約-3"]))
    if contract is not None:
        item["contract_id"] = contract
        if draw(st.booleans()):
            item["contract_total"] = draw(yen)
    introduced = draw(st.sampled_from([None, "", year, year - 1, year - 3]))
    if introduced is not None:
        item["introduced_in"] = introduced
    valid = draw(st.integers(0, 4)) > 0
    if not valid:
        item.update(draw(st.sampled_from(BREAKERS)))
    return item, valid


class Generated(NamedTuple):
    declaration: dict[str, Any]
    valid: list[bool]
    rules: Settings
    index: Decimal | None


@st.composite
def declarations(draw: st.DrawFn, *, generated_rules: bool = True) -> Generated:
    """A declaration of up to 8 items with unique ids, which items are valid, the rule file it
    is computed with and the index it gives."""
    rules = (
        draw(rule_settings())
        if generated_rules
        else Settings(
            SHIPPED_DATA,
            D("0.3"),
            D("0.5"),
            "half_up",
            D(1000),
            "declaration",
            True,
            True,
            True,
            None,
            (),
        )
    )
    spelled, year = draw(st.sampled_from(YEARS))
    ids = draw(
        st.lists(
            st.text("0123456789ABC-", min_size=1, max_size=4), min_size=1, max_size=8, unique=True
        )
    )
    pairs = [draw(items(item_id, year)) for item_id in ids]
    declaration = {
        "entity_code": draw(st.sampled_from([SAPPORO, HOKKAIDO])),
        "fiscal_year": spelled,
        "items": [item for item, _ in pairs],
        "agreements": AGREEMENTS,
    }
    index = _index_for(draw, rules)
    if index is not None:
        declaration["fiscal_strength_index"] = f"{index:.2f}"
    return Generated(declaration, [valid for _, valid in pairs], rules, index)


def _run(
    generated: Generated,
    make_rules: Callable[[Any], RuleSet],
    declaration: dict[str, Any] | None = None,
) -> dict[str, Any]:
    result = tokko.calculate(
        declaration or generated.declaration, make_rules(generated.rules.data), explain=False
    )
    document = json.loads(result.model_dump_json())
    assert len(document["declarations"]) == 1
    declared: dict[str, Any] = document["declarations"][0]
    declared["_errors"] = document["errors"]
    return declared


def _d(value: str) -> Decimal:
    assert isinstance(value, str), f"amounts are decimal strings, got {value!r}"
    return Decimal(value)


# ── Oracles, from SPEC §1 and §4 ─────────────────────────────────────────────────────────────


def _round(exact: Decimal, unit: Decimal, mode: str) -> Decimal:
    """``exact`` rounded to a multiple of ``unit`` (exact fractions, no decimal context)."""
    steps = Fraction(exact) / Fraction(unit)
    floor = math.floor(steps)
    rest = steps - floor
    half = Fraction(1, 2)
    if mode == "half_up":
        n = floor + (1 if rest >= half else 0)
    elif mode == "half_even":
        n = floor + (1 if rest > half or (rest == half and floor % 2) else 0)
    elif mode == "down":
        n = floor
    else:
        n = floor + (1 if rest else 0)
    return D(n) * unit


def _multiplier(rules: Settings, entity: str, index: Decimal | None) -> Decimal | None:
    if rules.tables is None or index is None:
        return None
    kind = "prefecture" if entity == HOKKAIDO else "municipality"
    [bracket] = [b for b in rules.tables[kind] if b.covers(index)]
    return bracket.value


def _valid_items(generated: Generated) -> list[dict[str, Any]]:
    return [
        item for item, ok in zip(generated.declaration["items"], generated.valid, strict=True) if ok
    ]


# ── Declarations ─────────────────────────────────────────────────────────────────────────────


@FEW
@given(declarations())
def test_totals_reconcile_exactly(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """amount = net + excluded + specific_revenue exactly, each total is the sum over the valid
    rows, and what was deducted follows specific_revenue.deduct."""
    totals = _run(generated, make_rules)["totals"]
    amount, net, excluded, revenue = (
        _d(totals[k]) for k in ("amount", "net", "excluded", "specific_revenue")
    )
    assert amount == net + excluded + revenue
    rows = _valid_items(generated)
    assert amount == sum(Decimal(item["amount"]) for item in rows)
    deducted = (
        sum(min(Decimal(item.get("specific_revenue", 0)), Decimal(item["amount"])) for item in rows)
        if generated.rules.deduct
        else 0
    )
    assert revenue == deducted


@FEW
@given(declarations())
def test_items_follow_the_steps_of_spec_4(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """Valid rows get net = max(amount − revenue, 0) (or the amount when nothing is deducted),
    measure = net × rate (rounded per item only with scope "item"), a rate of the rule file;
    bad rows are errors without amounts."""
    rules = generated.rules
    result = _run(generated, make_rules)
    for item, ok, got in zip(
        generated.declaration["items"], generated.valid, result["items"], strict=True
    ):
        if not ok:
            assert got["status"] == "error"
            assert (got["net"], got["rate"], got["measure"]) == (None, None, None)
            assert got["errors"]
            continue
        assert got["status"] in ("eligible", "excluded")
        assert len(got["reasons"]) == 1
        revenue = Decimal(item.get("specific_revenue", 0)) if rules.deduct else D(0)
        net = max(Decimal(item["amount"]) - revenue, D(0))
        assert _d(got["net"]) == net
        product = net * _d(got["rate"])
        expected = _round(product, rules.unit, rules.mode) if rules.scope == "item" else product
        assert _d(got["measure"]) == expected
        assert _d(got["rate"]) in (rules.standard, rules.joint, D(0))


@FEW
@given(declarations())
def test_excluded_items_have_measure_zero(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """Every excluded item has rate 0 and measure 0 and an EXCLUDED_* reason; every item with
    an EXCLUDED_* reason is excluded."""
    for got in _run(generated, make_rules)["items"]:
        excluded = bool(got["reasons"]) and got["reasons"][0].startswith("EXCLUDED_")
        assert (got["status"] == "excluded") is excluded
        if excluded:
            assert _d(got["measure"]) == 0
            assert _d(got["rate"]) == 0


@FEW
@given(declarations())
def test_measure_is_rounded_once_after_the_multiplier(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """measure_by_rate = Σ item measures; measure_exact = measure_by_rate × the multiplier of
    the index's bracket (none without a table or an index, FISCAL_STRENGTH_NOT_APPLIED then);
    measure = measure_exact rounded once by the rule file, never before the multiplier."""
    rules = generated.rules
    result = _run(generated, make_rules)
    totals = result["totals"]
    by_rate = sum((_d(i["measure"]) for i in result["items"] if i["status"] == "eligible"), D(0))
    assert _d(totals["measure_by_rate"]) == by_rate
    multiplier = _multiplier(rules, generated.declaration["entity_code"], generated.index)
    exact = by_rate if multiplier is None else by_rate * multiplier
    assert _d(totals["measure_exact"]) == exact
    if multiplier is None:
        assert totals["fiscal_strength_multiplier"] is None
    else:
        assert _d(totals["fiscal_strength_multiplier"]) == multiplier
    expected = _round(exact, rules.unit, rules.mode) if rules.scope == "declaration" else exact
    assert _d(totals["measure"]) == expected
    if generated.index is None:
        assert totals["fiscal_strength_index"] is None
    else:
        assert _d(totals["fiscal_strength_index"]) == generated.index
    not_applied = rules.applies and multiplier is None
    assert result["warnings"] == (["FISCAL_STRENGTH_NOT_APPLIED"] if not_applied else [])


@FEW
@given(declarations())
def test_rounding_moves_a_total_by_at_most_half_a_unit(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """Rounded totals are multiples of the unit, at most half a unit from the exact total for
    half_up and half_even, at most one unit for down and up, and down never rounds up nor up
    down."""
    rules = generated.rules
    totals = _run(generated, make_rules)["totals"]
    exact, measure = _d(totals["measure_exact"]), _d(totals["measure"])
    if rules.scope != "declaration":
        assert measure == exact
        return
    assert measure % rules.unit == 0
    bound = rules.unit / 2 if rules.mode in ("half_up", "half_even") else rules.unit
    assert abs(measure - exact) <= bound
    if rules.mode == "down":
        assert measure <= exact
    if rules.mode == "up":
        assert measure >= exact


@FEW
@given(declarations(generated_rules=False))
def test_shipped_rounding_is_half_up_to_a_thousand(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """Under the shipped rules the total moves by at most 500 yen, lands on a multiple of
    1,000, and rounds half up (SPEC §1, 地方交付税法 §22)."""
    totals = _run(generated, make_rules)["totals"]
    exact, measure = _d(totals["measure_exact"]), _d(totals["measure"])
    assert measure % 1000 == 0
    assert abs(measure - exact) <= 500
    thousands, remainder = divmod(exact, 1000)
    assert measure == (thousands + (1 if remainder >= 500 else 0)) * 1000


@FEW
@given(declarations(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_item_order(
    make_rules: Callable[[Any], RuleSet], generated: Generated, random: Any
) -> None:
    """Shuffling the items (unique ids) gives the same per-item results and the same totals."""
    shuffled = copy.deepcopy(generated.declaration)
    random.shuffle(shuffled["items"])

    def keyed(result: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
        return {
            i["item_id"]: (
                i["status"],
                *(None if i[k] is None else Decimal(i[k]) for k in ("net", "rate", "measure")),
                tuple(i["reasons"]),
                tuple(sorted(i["warnings"])),
                tuple(sorted(i["errors"])),
            )
            for i in result["items"]
        }

    first, second = _run(generated, make_rules), _run(generated, make_rules, shuffled)
    assert keyed(first) == keyed(second)
    assert {k: Decimal(v) for k, v in first["totals"].items() if isinstance(v, str)} == {
        k: Decimal(v) for k, v in second["totals"].items() if isinstance(v, str)
    }


@FEW
@given(declarations())
def test_every_input_item_appears_exactly_once(
    make_rules: Callable[[Any], RuleSet], generated: Generated
) -> None:
    """The result has one item per input item, in input order, and the status counts add up."""
    declaration, valid = generated.declaration, generated.valid
    result = _run(generated, make_rules)
    assert [i["item_id"] for i in result["items"]] == [i["item_id"] for i in declaration["items"]]
    statuses = [i["status"] for i in result["items"]]
    assert statuses.count("error") == valid.count(False)
    assert statuses.count("eligible") + statuses.count("excluded") == valid.count(True)
    counts = result["counts"]
    assert counts["items"] == len(declaration["items"])
    assert (counts["eligible"], counts["excluded"], counts["error"]) == (
        statuses.count("eligible"),
        statuses.count("excluded"),
        statuses.count("error"),
    )
    assert counts["warning"] == sum(1 for i in result["items"] if i["warnings"])


ENTITY_CODES = [SAPPORO, HOKKAIDO, "012025", "13951", "01100", "011003", "01999", "12203", ""]
FISCAL_YEARS = ["R3", "令和2年度", 2022, "平成32年度", "令和元年度", ""]


@FEW
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ENTITY_CODES),
            st.sampled_from(FISCAL_YEARS),
            st.sampled_from(["1", "2", "3"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_every_input_row_is_accounted_for(rows: list[tuple[str, object, str, bool]]) -> None:
    """Items of all declarations + error rows that belong to no declaration = input rows: a row
    is never lost, nor counted twice, whatever its government, year or cells."""
    mappings = [
        {
            "entity_code": code,
            "fiscal_year": year,
            "item_id": item_id,
            "description": "d",
            "technology": "AI",
            "expense_kind": "introduction",
            "amount": 1000 if good else "x",
        }
        for code, year, item_id, good in rows
    ]
    document = json.loads(tokko.calculate_rows(mappings, explain=False).model_dump_json())
    item_rows = [i["row"] for d in document["declarations"] for i in d["items"]]
    assert len(item_rows) == len(set(item_rows))
    unattached = {e["row"] for e in document["errors"]} - set(item_rows)
    assert len(item_rows) + len(unattached) == len(rows)
    assert set(item_rows) | unattached == set(range(1, len(rows) + 1))
    for row in unattached:
        columns = {e["column"] for e in document["errors"] if e["row"] == row}
        assert columns & {"entity_code", "fiscal_year"}, (row, columns)


# ── Invisible characters never change what a value matches ─────────────────────────────────


def _hide(draw: st.DrawFn, value: object) -> object:
    """``value`` with invisible characters inserted at drawn places (text only)."""
    if not isinstance(value, str) or not value:
        return value
    text = value
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    return text


MATCHED = (
    "business_area",
    "technology",
    "expense_kind",
    "procurement",
    "item_id",
    "agreement_id",
    "contract_id",
)


@st.composite
def hidden(draw: st.DrawFn) -> tuple[Generated, dict[str, Any]]:
    """A generated declaration, and the same with invisible characters in every matched value."""
    generated = draw(declarations())
    declaration = copy.deepcopy(generated.declaration)
    declaration["entity_code"] = _hide(draw, declaration["entity_code"])
    for item in declaration["items"]:
        for key in MATCHED:
            if key in item:
                item[key] = _hide(draw, item[key])
    declaration["agreements"] = [
        {**a, "agreement_id": _hide(draw, a["agreement_id"])} for a in declaration["agreements"]
    ]
    return generated, declaration


def _outcome(result: dict[str, Any]) -> tuple[Any, ...]:
    items = [
        (
            i["item_id"],
            i["status"],
            i["net"],
            i["rate"],
            i["measure"],
            i["reasons"],
            sorted(i["warnings"]),
            sorted(i["errors"]),
        )
        for i in result["items"]
    ]
    errors = sorted((e["row"], e["column"], e["code"]) for e in result["_errors"])
    return (result["entity_code"], items, result["totals"], result["warnings"], errors)


@FEW
@given(hidden())
def test_invisible_characters_never_change_the_outcome(
    make_rules: Callable[[Any], RuleSet], pair: tuple[Generated, dict[str, Any]]
) -> None:
    """A zero-width space, soft hyphen, word joiner, zero-width joiner or variation selector
    inserted into a business area, technology, expense kind, procurement, item, agreement or
    contract id, or the entity code changes nothing in the result."""
    generated, with_invisible = pair
    assert _outcome(_run(generated, make_rules)) == _outcome(
        _run(generated, make_rules, with_invisible)
    )


# ── Rule data: the joint rate is never below the standard rate ───────────────────────────────


def test_shipped_joint_rate_not_below_standard() -> None:
    """In every shipped rule version with a joint rate it is at least the standard rate."""
    versions = list(tokko.load_rules())
    assert versions
    for version in versions:
        assert version.rate_joint is None or version.rate_joint >= version.rate_standard


@SOME
@given(standard=rates, joint=rates)
def test_rule_model_refuses_joint_below_standard(standard: Decimal, joint: Decimal) -> None:
    """Rule data with rates.joint < rates.standard is refused; any other pair in [0, 1] loads."""
    data = copy.deepcopy(SHIPPED_DATA)
    data["rates"]["standard"]["value"] = standard
    data["rates"]["joint"]["value"] = joint
    if joint < standard:
        with pytest.raises(ValidationError, match=r"rates\.joint"):
            RuleFile.model_validate(data)
    else:
        file = RuleFile.model_validate(data)
        assert file.rates.joint is not None
        assert file.rates.joint.value >= file.rates.standard.value


@FEW
@given(rules=rule_settings(), amount=yen)
def test_generated_rules_never_pay_joint_less(
    make_rules: Callable[[Any], RuleSet], rules: Settings, amount: int
) -> None:
    """With generated valid rates, a joint item under a good agreement gets rates.joint and
    never less than the same item procured alone."""
    base = {
        "description": "d",
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": amount,
    }
    declaration = {
        "entity_code": SAPPORO,
        "fiscal_year": "R3",
        "agreements": AGREEMENTS,
        "items": [
            {**base, "item_id": "single"},
            {**base, "item_id": "joint", "procurement": "joint", "agreement_id": "OK"},
        ],
    }
    result = tokko.calculate(declaration, make_rules(rules.data), explain=False)
    single, shared = result.declarations[0].items
    assert single.rate == rules.standard
    assert shared.rate == rules.joint
    assert shared.measure is not None
    assert single.measure is not None
    assert shared.measure >= single.measure


@FEW
@given(rules=rule_settings(), agreement=st.sampled_from(AGREEMENT_IDS))
def test_joint_without_a_good_agreement_gets_the_standard_rate(
    make_rules: Callable[[Any], RuleSet], rules: Settings, agreement: str | None
) -> None:
    """A joint item gets rates.joint exactly when every condition holds; without an agreement
    (none, or an unknown one) that holds only where agreement_required is off."""
    item = {
        "item_id": "1",
        "description": "d",
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": 1000,
        "procurement": "joint",
    }
    if agreement is not None:
        item["agreement_id"] = agreement
    declaration = {
        "entity_code": SAPPORO,
        "fiscal_year": "R3",
        "agreements": AGREEMENTS,
        "items": [item],
    }
    [got] = (
        tokko.calculate(declaration, make_rules(rules.data), explain=False).declarations[0].items
    )
    good = agreement in ("OK", "協定-01") or (
        agreement in (None, "NOWHERE") and not rules.agreement_required
    )
    assert got.reasons == (["JOINT_RATE"] if good else ["STANDARD_RATE"])
    assert got.rate == (rules.joint if good else rules.standard)
    assert (got.warnings == []) is good
