"""Explanations (tokko.engine.explain): every step from an input row to its amounts names the
rule-file key it applied, the source that key cites, and the key's note in the language asked
for; the declaration's steps 6–8 name the multiplier's bracket."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import tokko
from tokko.messages import t
from tokko.model.result import Step
from tokko.rules.ruleset import RuleSet, rule_values

SHIPPED = tokko.load_rules()
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

AGREEMENTS = [
    {"agreement_id": "OK", "concluded_on": "2021-04-01", "parties": ["010006", "011002"]},
    {"agreement_id": "BAD", "concluded_on": "2099-04-01", "parties": ["012025"]},
]
ITEMS: list[dict[str, Any]] = [
    {"technology": "AI", "expense_kind": "introduction"},
    {
        "technology": "AI-OCR",
        "expense_kind": "license",
        "introduced_in": "R3",
        "procurement": "joint",
        "agreement_id": "OK",
    },
    {
        "technology": "RPA",
        "expense_kind": "license",
        "procurement": "joint",
        "agreement_id": "BAD",
        "specific_revenue": 2000000,
    },
    {"technology": "RPA", "expense_kind": "license", "introduced_in": 2019},
    {"technology": "IoT", "expense_kind": "機器購入", "business_area": "住民記録"},
    {"technology": "AI", "expense_kind": "人件費"},
    {"technology": "AI", "expense_kind": "introduction", "business_area": "介護保険の認定"},
    {"technology": "AI", "expense_kind": "introduction", "procurement": "joint"},
    {
        "technology": "AI",
        "expense_kind": "introduction",
        "procurement": "joint",
        "agreement_id": "NOWHERE",
    },
]


def _declaration(year: object = "R3", **top: Any) -> dict[str, Any]:
    items = [
        {"item_id": str(n), "description": "d", "amount": 1000000, **fields}
        for n, fields in enumerate(ITEMS, start=1)
    ]
    return {
        "entity_code": "011002",
        "fiscal_year": year,
        "items": items,
        "agreements": AGREEMENTS,
        **top,
    }


def _resolve(data: Any, key: str) -> Any:
    """The value at a key path such as ``expense_kinds[1].first_year_only``; KeyError if none."""
    node = data
    for name, index in _PART.findall(key):
        node = node[int(index)] if index else node[name]
    return node


def _cited(data: dict[str, Any], key: str) -> str | None:
    """The source the table at ``key`` cites, if it is a table that cites one."""
    try:
        node = _resolve(data, key)
    except (KeyError, IndexError):
        return None
    return node.get("source") if isinstance(node, dict) else None


def _steps(result: tokko.Result) -> list[Step]:
    declaration = result.declarations[0]
    return [*(s for item in declaration.items for s in item.explanation), *declaration.explanation]


@pytest.mark.parametrize("year", ["令和2年度", "R3", "令和8年度"])
def test_every_step_names_a_key_of_its_rule_file_and_a_source_it_defines(year: str) -> None:
    """Each step's key is a key path of the rule file (or of a table the file leaves out, such
    as the multipliers it does not carry), and each source is one of the file's [sources]."""
    result = tokko.calculate(_declaration(year))
    version = SHIPPED.for_year(result.declarations[0].fiscal_year or 0)
    data = rule_values(version)
    steps = _steps(result)
    assert {s.step for s in steps} >= {
        "rules",
        "technology",
        "expense_kind",
        "specific_revenue",
        "rate",
        "measure",
        "sum",
        "fiscal_strength",
        "round",
    }
    for step in steps:
        if step.key is not None and step.step != "validate":  # validate: the key is a column
            parent = step.key.rsplit(".", 1)[0]
            try:
                _resolve(data, step.key)
            except KeyError:
                _resolve(data, parent)  # a table the file may leave out (rates.joint in 2020)
        if step.source is not None:
            assert step.source in data["sources"], (step.step, step.source)
    assert all(s.key for s in steps if s.step != "sum"), "every rule step names its key"


def test_a_step_cites_the_source_of_its_own_key(
    rule_data: Callable[[], dict[str, Any]],
    make_rules: Callable[[Any], RuleSet],
) -> None:
    """With every policy table citing a source of its own, each step's source is the one its
    key's table cites (a step never borrows another key's source)."""
    data = rule_data()
    own = {
        "technologies.eligible": "dx-plan",
        "specific_revenue.deduct": "board-of-audit",
        "rates.standard": "fdma-2020",
        "rates.joint": "yomiuri-2021",
        "joint_procurement.agreement_required": "soumu-ai-rpa",
        "joint_procurement.min_parties": "dx-plan",
        "joint_procurement.declarer_must_be_party": "ordinance",
        "joint_procurement.concluded_by_fiscal_year_end": "kofuzei-law",
        "exclusion_order": "guidebook-2024",
        "rounding.scope": "standardization-law",
        "rounding.mode": "ordinance",
        "excluded_businesses": "dx-plan",
    }
    for key, source in own.items():
        _resolve(data, key)["source"] = source
    data["expense_kinds"][1]["first_year_only"]["source"] = "fdma-2020"
    rules = make_rules(data)
    steps = _steps(tokko.calculate(_declaration(), rules))
    checked = 0
    for step in steps:
        cited = _cited(data, step.key) if step.key else None
        if cited is not None:
            assert step.source == cited, (step.step, step.key, step.outcome)
            checked += 1
    assert checked > len(ITEMS) * 4
    keys = {s.key for s in steps}
    assert {
        "joint_procurement.min_parties",
        "joint_procurement.declarer_must_be_party",
        "joint_procurement.concluded_by_fiscal_year_end",
    } <= keys


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_notes_are_the_rule_files_in_the_language_asked_for(lang: str) -> None:
    """A step's note is its key's note_ja or note_en, as asked."""
    version = SHIPPED.for_year(2021)
    file = version.file
    result = tokko.calculate(_declaration(), lang=lang)  # type: ignore[arg-type]
    steps = _steps(result)
    rate = next(s for s in steps if s.key == "rates.joint")
    assert rate.note == file.rates.joint.note(lang)  # type: ignore[union-attr, arg-type]
    first_year = next(s for s in steps if s.key == "expense_kinds[1].first_year_only")
    assert first_year.note == getattr(file.expense_kinds[1].first_year_only, f"note_{lang}")
    rounding = next(s for s in steps if s.key == "rounding.mode")
    assert rounding.note == getattr(file.rounding.mode, f"note_{lang}")
    missing = next(s for s in steps if s.step == "fiscal_strength")
    assert missing.note == t("fiscal_strength.missing.table_and_index", lang)  # type: ignore[arg-type]


def test_the_multiplier_step_names_its_bracket(
    rule_data: Callable[[], dict[str, Any]],
    make_rules: Callable[[Any], RuleSet],
    make_bracket: Callable[..., dict[str, Any]],
) -> None:
    """With a table and an index, step 7 names the bracket applied (its position in the table,
    its source, the index and the multiplier), and rounding comes after it."""
    data = rule_data()
    data["fiscal_strength"]["multipliers"] = [
        make_bracket("1.0", up_to="0.40"),
        make_bracket("0.8", above="0.40", up_to="0.60"),
        {**make_bracket("0.6", above="0.60"), "source": "guidebook-2024", "note_en": "made up"},
    ]
    result = tokko.calculate(
        _declaration(fiscal_strength_index="0.75"), make_rules(data), lang="en"
    )
    explanation = result.declarations[0].explanation
    assert [(s.step, s.key) for s in explanation] == [
        ("sum", None),
        ("fiscal_strength", "fiscal_strength.multipliers[2]"),
        ("round", "rounding.mode"),
    ]
    total = result.declarations[0].totals
    sum_step, multiplier, rounding = explanation
    assert Decimal(sum_step.outcome or "") == total.measure_by_rate
    assert (multiplier.source, multiplier.note) == ("guidebook-2024", "made up")
    assert multiplier.input is not None
    assert "0.6" in multiplier.input
    assert "0.75" in multiplier.input
    assert Decimal(multiplier.outcome or "") == total.measure_exact
    assert (Decimal(rounding.input or ""), Decimal(rounding.outcome or "")) == (
        total.measure_exact,
        total.measure,
    )


@pytest.mark.parametrize(
    ("rules_given", "index", "missing"),
    [(False, "0.45", "table"), (False, None, "table_and_index"), (True, None, "index")],
)
def test_the_missing_adjustment_says_what_is_missing(
    rule_data: Callable[[], dict[str, Any]],
    make_rules: Callable[[Any], RuleSet],
    make_bracket: Callable[..., dict[str, Any]],
    rules_given: bool,
    index: str | None,
    missing: str,
) -> None:
    """FISCAL_STRENGTH_NOT_APPLIED is explained by what is missing: the table, the index or
    both."""
    rules = None
    if rules_given:
        data = rule_data()
        data["fiscal_strength"]["multipliers"] = [make_bracket("1.0")]
        rules = make_rules(data)
    top = {} if index is None else {"fiscal_strength_index": index}
    result = tokko.calculate(_declaration(**top), rules)
    step = next(s for s in result.declarations[0].explanation if s.step == "fiscal_strength")
    assert (step.key, step.outcome) == (
        "fiscal_strength.multipliers",
        "FISCAL_STRENGTH_NOT_APPLIED",
    )
    assert step.note == t(f"fiscal_strength.missing.{missing}", "ja")
    assert result.declarations[0].warnings == ["FISCAL_STRENGTH_NOT_APPLIED"]


def test_an_excluded_item_keeps_every_reason_in_its_explanation() -> None:
    """The exclusion step lists every exclusion found; the reason is the first."""
    result = tokko.calculate(_declaration())
    item = result.declarations[0].items[4]
    [exclusion] = [s for s in item.explanation if s.step == "exclusion"]
    assert exclusion.input == "technology, expense_kind, standardization_target"
    assert exclusion.outcome == "EXCLUDED_TECHNOLOGY"
    assert exclusion.note is not None


def test_an_error_row_is_explained_by_its_problems() -> None:
    """An error row's explanation is one validate step per problem: the column and the code."""
    declaration = _declaration()
    declaration["items"][0] = {**declaration["items"][0], "amount": "1.5", "expense_kind": "交際費"}
    item = tokko.calculate(declaration).declarations[0].items[0]
    assert sorted((s.step, s.key, s.outcome) for s in item.explanation) == [
        ("validate", "amount", "INVALID_AMOUNT"),
        ("validate", "expense_kind", "UNKNOWN_VALUE"),
    ]


def test_an_unconfirmed_year_is_explained() -> None:
    """Past confirmed_through, the explanation cites measure.confirmed_through and its note."""
    item = tokko.calculate(_declaration("令和8年度")).declarations[0].items[0]
    step = next(s for s in item.explanation if s.key == "measure.confirmed_through")
    assert step.outcome == "RULES_UNCONFIRMED_FOR_YEAR"
    assert step.note == SHIPPED.for_year(2026).file.measure.confirmed_through_note("ja")


def test_no_explanation_when_not_asked() -> None:
    """explain=False builds no explanation at all (a large batch pays nothing for it)."""
    result = tokko.calculate(_declaration(), explain=False)
    assert all(not i.explanation for i in result.declarations[0].items)
    assert result.declarations[0].explanation == []
