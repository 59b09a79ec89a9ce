"""The ``[fiscal_strength]`` table of a rule file (SPEC §1, §2, §4 step 7): brackets, coverage.

The multipliers in these tables are made up for the tests: the ordinance's real table has not
been transcribed (SPEC §1), and nothing here stands for it. Oracles are written from the SPEC —
the bracket semantics "over ``above`` (exclusive) up to ``up_to`` (inclusive)", every index ≥ 0
covered exactly once — with integers, never with the code under test.

A refusal comes through pydantic as an error of type ``tokko_rule`` whose context carries the
catalog id (``detail``) and its parameters, and through :func:`tokko.rules.checks.schema_problems`
as a :class:`~tokko.model.problem.Problem` at the key path, readable in both languages.
"""

from __future__ import annotations

import bisect
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tokko
from tokko.messages import has
from tokko.model.problem import Problem
from tokko.rules.checks import schema_problems
from tokko.rules.fiscal_strength import FiscalStrength, MultiplierBracket, multiplier_for
from tokko.rules.ruleset import parse_rule_file

SOME = settings(max_examples=200, deadline=None)
D = Decimal
SHIPPED_FILE = Path(__file__).resolve().parents[2] / "rules" / "ai-rpa" / "2021.toml"

APPLIES = """
[fiscal_strength.applies]
value = true
source = "guidebook-2024"
note_ja = "乗率の表は省令から転記するまで空です"
note_en = "the table stays empty until transcribed from the ordinance"
"""

ONE_TABLE = (
    APPLIES
    + """
[[fiscal_strength.multipliers]]
value = 1.0
up_to = 0.40
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0.8
above = 0.40
up_to = 0.60
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0.5
above = 0.60
source = "ordinance"
note_en = "open above"
"""
)

TWO_TABLES = (
    APPLIES
    + """
[[fiscal_strength.multipliers]]
value = 1.2
up_to = 0.30
entities = "prefecture"
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0.9
above = 0.30
entities = "prefecture"
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 1.0
up_to = 0.5
entities = "municipality"
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0.7
above = 0.5
up_to = 1
entities = "municipality"
source = "ordinance"

[[fiscal_strength.multipliers]]
value = 0
above = 1
entities = "municipality"
source = "ordinance"
"""
)


def load(text: str) -> FiscalStrength:
    """The ``[fiscal_strength]`` table of a rule file, read the way tokko reads rule files."""
    return FiscalStrength.model_validate(
        tomllib.loads(text, parse_float=Decimal)["fiscal_strength"]
    )


def bracket(**fields: Any) -> str:
    lines = ["[[fiscal_strength.multipliers]]", 'source = "ordinance"']
    lines += [f"{key} = {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def refusal(text: str) -> tuple[list[tuple[int | str, ...]], str, str]:
    """The locations, English and Japanese of the one refusal of ``text``: a ``tokko_rule``
    error whose context names a catalog entry, put into words as a rule-file problem."""
    with pytest.raises(ValidationError) as caught:
        load(text)
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    (error,) = errors
    assert error["type"] == "tokko_rule"
    ctx = error.get("ctx") or {}
    assert has(ctx["detail"])
    assert isinstance(ctx["params"], dict)
    (problem,) = schema_problems(caught.value, "ai-rpa/test.toml")
    assert isinstance(problem, Problem)
    assert problem.detail == ctx["detail"]
    assert problem.file == "ai-rpa/test.toml"
    en, ja = problem.detail_text("en"), problem.detail_text("ja")
    assert en == str(ctx["en"])
    return [tuple(error["loc"])], en, ja


# ── the table as a rule file writes it ─────────────────────────────────────────────────────


def test_no_table_is_valid_and_has_no_table() -> None:
    """A table that only says the adjustment applies is valid and has no table."""
    table = load(APPLIES)
    assert table.applies.value is True
    assert table.applies.source == "guidebook-2024"
    assert table.applies.note("ja") == "乗率の表は省令から転記するまで空です"
    assert table.applies.note("en") == "the table stays empty until transcribed from the ordinance"
    assert table.multipliers == ()
    assert not table.has_table


def test_applies_false_without_table_is_valid() -> None:
    """applies = false without a table is valid."""
    assert load(APPLIES.replace("value = true", "value = false")).applies.value is False


def test_one_table_reads_decimals() -> None:
    """One table for every government: exact decimals, open ends as None, in file order."""
    table = load(ONE_TABLE)
    assert table.has_table
    assert not table.per_entity_kind
    first = table.multipliers[0]
    assert first == MultiplierBracket(value=D("1.0"), up_to=D("0.40"), source="ordinance")
    assert isinstance(first.value, Decimal)
    assert first.above is None
    assert table.multipliers[2].up_to is None
    assert table.multipliers[2].note_en == "open above"
    assert table.multipliers[2].note("ja") == "open above"  # the other language's, if only one
    assert table.table_for("prefecture") == table.table_for("municipality") == table.multipliers


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ("0", "1.0"),
        ("0.00", "1.0"),
        ("0.01", "1.0"),
        ("0.39", "1.0"),
        ("0.40", "1.0"),  # up_to is inclusive
        ("0.41", "0.8"),  # just above
        ("0.60", "0.8"),
        ("0.61", "0.5"),
        ("1.00", "0.5"),
        ("25.37", "0.5"),
        ("0.405", "0.8"),  # between grid points still falls in exactly one bracket
    ],
)
def test_one_table_boundaries(index: str, expected: str) -> None:
    """Over ``above`` (exclusive) up to ``up_to`` (inclusive), the same for both kinds."""
    table = load(ONE_TABLE)
    for kind in ("prefecture", "municipality"):
        chosen = multiplier_for(table, D(index), kind)  # type: ignore[arg-type]
        assert chosen.value == D(expected)
        assert chosen.source == "ordinance"


@pytest.mark.parametrize(
    ("kind", "index", "expected"),
    [
        ("prefecture", "0", "1.2"),
        ("prefecture", "0.30", "1.2"),
        ("prefecture", "0.31", "0.9"),
        ("prefecture", "0.50", "0.9"),
        ("prefecture", "3.00", "0.9"),
        ("municipality", "0", "1.0"),
        ("municipality", "0.30", "1.0"),
        ("municipality", "0.50", "1.0"),
        ("municipality", "0.51", "0.7"),
        ("municipality", "1.00", "0.7"),
        ("municipality", "1", "0.7"),
        ("municipality", "1.01", "0"),
        ("municipality", "2.50", "0"),
    ],
)
def test_two_tables_boundaries(kind: Any, index: str, expected: str) -> None:
    """With a prefecture table and a municipality table, each kind reads its own."""
    table = load(TWO_TABLES)
    assert table.per_entity_kind
    chosen = multiplier_for(table, D(index), kind)
    assert chosen.value == D(expected)
    assert chosen.entities == kind


def test_two_tables_split_by_kind() -> None:
    """table_for gives each kind's brackets in file order."""
    table = load(TWO_TABLES)
    assert [b.value for b in table.table_for("prefecture")] == [D("1.2"), D("0.9")]
    assert [b.value for b in table.table_for("municipality")] == [D("1.0"), D("0.7"), D(0)]


def test_brackets_may_be_listed_in_any_order() -> None:
    """The brackets need not be listed in index order."""
    text = (
        APPLIES
        + bracket(value=0.5, above=0.60)
        + bracket(value=1.0, up_to=0.40)
        + bracket(value=0.8, above=0.40, up_to=0.60)
    )
    table = load(text)
    assert multiplier_for(table, D("0.40"), "municipality").value == D("1.0")
    assert multiplier_for(table, D("0.60"), "municipality").value == D("0.8")
    assert multiplier_for(table, D("0.61"), "municipality").value == D("0.5")


def test_a_bracket_for_the_index_zero_alone() -> None:
    """``up_to = 0`` is the index 0 alone; ``above = 0`` starts just above it."""
    table = load(APPLIES + bracket(value=2, up_to=0) + bracket(value=1, above=0))
    assert multiplier_for(table, D(0), "prefecture").value == 2
    assert multiplier_for(table, D("0.01"), "prefecture").value == 1


def test_single_open_bracket_covers_everything() -> None:
    """One bracket without bounds covers every index ≥ 0."""
    table = load(APPLIES + bracket(value=1))
    assert multiplier_for(table, D(0), "prefecture").value == 1
    assert multiplier_for(table, D("99.99"), "municipality").value == 1


# ── refusals ───────────────────────────────────────────────────────────────────────────────


def test_refuses_a_gap() -> None:
    """A gap between two brackets is refused, naming the indices nobody covers."""
    text = (
        APPLIES
        + bracket(value=1.0, up_to=0.40)
        + bracket(value=0.8, above=0.45, up_to=0.60)
        + bracket(value=0.5, above=0.60)
    )
    locs, en, ja = refusal(text)
    assert locs == [()]
    assert "no bracket covers indices over 0.40 up to 0.45" in en
    assert "0.40を超え0.45以下の指数に当たる段階がありません" in ja


def test_refuses_a_gap_at_the_start() -> None:
    """A first bracket starting over an index leaves 0..above bare."""
    _, en, ja = refusal(APPLIES + bracket(value=1.0, above=0.10))
    assert "no bracket covers indices from 0 up to 0.10" in en
    assert "0以上0.10以下の指数に当たる段階がありません" in ja


def test_refuses_a_gap_at_zero_alone() -> None:
    """``above = 0`` first leaves the index 0 itself bare."""
    _, en, ja = refusal(
        APPLIES + bracket(value=1.0, above=0, up_to=0.4) + bracket(value=1, above=0.4)
    )
    assert "no bracket covers the index 0" in en
    assert "指数0に当たる段階がありません" in ja


def test_refuses_an_overlap_naming_both_brackets() -> None:
    """An overlap names both brackets and the indices both cover."""
    text = (
        APPLIES
        + bracket(value=1.0, up_to=0.50)
        + bracket(value=0.8, above=0.40, up_to=0.60)
        + bracket(value=0.5, above=0.60)
    )
    _, en, ja = refusal(text)
    assert "multipliers[0] and multipliers[1] overlap" in en
    assert "over 0.40 up to 0.50" in en
    assert "multipliers[0] と multipliers[1] が重なっています" in ja
    assert "0.40を超え0.50以下の指数" in ja


def test_refuses_two_open_ends() -> None:
    """Two brackets open above overlap over the later start."""
    _, en, ja = refusal(
        APPLIES
        + bracket(value=1.0, up_to=0.50)
        + bracket(value=0.8, above=0.40)
        + bracket(value=0.5, above=0.60)
    )
    assert "multipliers[0] and multipliers[1] overlap" in en
    assert "multipliers[1] and multipliers[2] overlap (both cover indices over 0.60)" in en
    assert "0.60を超える指数が両方に当たります" in ja


def test_refuses_two_brackets_from_zero() -> None:
    """Two brackets starting at 0 overlap."""
    _, en, _ = refusal(
        APPLIES
        + bracket(value=1, up_to=0.3)
        + bracket(value=2, up_to=0.5)
        + bracket(value=3, above=0.5)
    )
    assert "multipliers[0] and multipliers[1] overlap (both cover indices from 0 up to 0.30)" in en


def test_reports_every_gap_and_overlap_at_once() -> None:
    """Every gap and overlap of a table is reported in one refusal."""
    text = (
        APPLIES
        + bracket(value=1, above=0.1, up_to=0.4)
        + bracket(value=1, above=0.3, up_to=0.5)
        + bracket(value=1, above=0.6, up_to=0.9)
    )
    _, en, ja = refusal(text)
    assert "from 0 up to 0.10" in en
    assert "multipliers[0] and multipliers[1] overlap" in en
    assert "over 0.50 up to 0.60" in en
    assert "over 0.90" in en
    assert ja.count("段階がありません") == 3
    assert "重なっています" in ja


def test_refuses_a_missing_open_end() -> None:
    """A table that stops at a bound leaves every larger index bare."""
    _, en, ja = refusal(
        APPLIES + bracket(value=1.0, up_to=0.40) + bracket(value=0.8, above=0.40, up_to=0.60)
    )
    assert "no bracket covers indices over 0.60" in en
    assert "0.60を超える指数に当たる段階がありません" in ja


@pytest.mark.parametrize(("above", "up_to"), [(0.50, 0.40), (0.40, 0.40)])
def test_refuses_above_not_below_up_to(above: float, up_to: float) -> None:
    """A bracket whose ``above`` is not below its ``up_to`` is refused at that bracket."""
    locs, en, ja = refusal(APPLIES + bracket(value=1.0, above=above, up_to=up_to))
    assert locs == [("multipliers", 0)]  # the bracket's index, as tokko's key path shows it
    assert f"above ({above:.2f}) must be below up_to ({up_to:.2f})" in en
    assert "より小さい値が必要です" in ja


@pytest.mark.parametrize("key", ["above", "up_to"])
def test_refuses_a_bound_with_three_decimals(key: str) -> None:
    """A bound has at most 2 decimals, as the index does."""
    fields = {"value": 1, key: "0.405"}
    locs, en, ja = refusal(APPLIES + bracket(value=1, up_to=0.1) + bracket(**fields))
    assert locs == [("multipliers", 1, key)]
    assert "at most 2 decimals" in en
    assert "0.405" in en
    assert "小数2桁まで" in ja


def test_accepts_trailing_zeros_on_a_bound() -> None:
    """``0.400`` is a bound of 2 decimals."""
    table = load(APPLIES + bracket(value=1, up_to="0.400") + bracket(value=2, above="0.4"))
    assert multiplier_for(table, D("0.40"), "prefecture").value == 1


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"value": 1, "up_to": -0.1}, ("multipliers", 0, "up_to")),
        ({"value": 1, "above": -1}, ("multipliers", 0, "above")),
        ({"value": -0.5}, ("multipliers", 0, "value")),
        ({"value": 1, "up_to": '"0.40"'}, ("multipliers", 0, "up_to")),
        ({"value": '"1.0"'}, ("multipliers", 0, "value")),
        ({"value": 1, "above": "nan"}, ("multipliers", 0, "above")),
        ({"value": 1, "up_to": "inf"}, ("multipliers", 0, "up_to")),
        ({"value": "true"}, ("multipliers", 0, "value")),
    ],
)
def test_refuses_bad_numbers(fields: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Negative, quoted, nan, inf and boolean numbers are refused where they stand."""
    locs, en, ja = refusal(APPLIES + bracket(**fields))
    assert locs == [loc]
    assert en
    assert ja
    assert en != ja


def test_refuses_a_float_read_without_parse_float_decimal() -> None:
    """A TOML float read as a binary float (without parse_float=Decimal) is refused."""
    raw = tomllib.loads(ONE_TABLE)["fiscal_strength"]  # floats: the caller forgot parse_float
    with pytest.raises(ValidationError, match=r"written without quotes \(got float\)"):
        FiscalStrength.model_validate(raw)


def test_refuses_multipliers_when_the_adjustment_does_not_apply() -> None:
    """A table under ``applies = false`` is a contradiction, refused."""
    locs, en, ja = refusal(ONE_TABLE.replace("value = true", "value = false"))
    assert locs == [()]
    assert "applies is false" in en
    assert "fiscal_strength.applies = false" in ja


def test_refuses_mixed_entity_and_no_entity_brackets() -> None:
    """Either every bracket names its entities or none does."""
    text = (
        APPLIES
        + bracket(value=1, up_to=0.5, entities='"prefecture"')
        + bracket(value=1, above=0.5, entities='"prefecture"')
        + bracket(value=1)
    )
    _, en, ja = refusal(text)
    assert "multipliers[2] give no entities while multipliers[0], multipliers[1] give them" in en
    assert "multipliers[2] は指定していません" in ja


def test_refuses_a_missing_table_for_one_kind() -> None:
    """Brackets for prefectures only leave municipalities without a table."""
    _, en, ja = refusal(APPLIES + bracket(value=1, entities='"prefecture"'))
    assert "municipality table: there is no bracket for municipalities" in en
    assert "市町村の表: 市町村の段階がありません" in ja


def test_each_of_two_tables_must_cover() -> None:
    """Each of the two tables must cover every index; the message names the table."""
    text = TWO_TABLES.replace("above = 0.30\n", "above = 0.35\n")
    _, en, ja = refusal(text)
    assert "prefecture table: no bracket covers indices over 0.30 up to 0.35" in en
    assert "都道府県の表: 0.30を超え0.35以下の指数に当たる段階がありません" in ja
    assert "municipality" not in en


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (APPLIES + bracket(value=1, entities='"city"'), ("multipliers", 0, "entities")),
        (APPLIES + bracket(value=1, unknown=1), ("multipliers", 0, "unknown")),
        (APPLIES.replace("value = true", 'value = "yes"'), ("applies", "value")),
        (APPLIES.replace('source = "guidebook-2024"', 'source = ""'), ("applies", "source")),
    ],
)
def test_refuses_other_schema_errors(text: str, where: tuple[Any, ...]) -> None:
    """Unknown kinds and keys, a quoted boolean, an empty source: pydantic's own refusals."""
    with pytest.raises(ValidationError) as caught:
        load(text)
    assert [tuple(e["loc"]) for e in caught.value.errors()] == [where]


def test_models_are_frozen() -> None:
    """The table is a frozen value."""
    table = load(ONE_TABLE)
    with pytest.raises(ValidationError):
        table.multipliers[0].value = D(2)  # type: ignore[misc]


# ── inside a whole rule file ───────────────────────────────────────────────────────────────

SHIPPED_TEXT = SHIPPED_FILE.read_text(encoding="utf-8")
SHIPPED_APPLIES = "[fiscal_strength.applies]\nvalue = true\n"


def _with_brackets(brackets: str) -> bytes:
    """The shipped file as a local version with ``brackets`` under [fiscal_strength]."""
    assert SHIPPED_TEXT.count('version = "2021.2"') == 1
    assert SHIPPED_TEXT.count("# ── Rounding") == 1
    text = SHIPPED_TEXT.replace('version = "2021.2"', 'version = "2021.2-fs"')
    text = text.replace("# ── Rounding", brackets + "\n# ── Rounding")
    return text.encode()


def test_rule_file_with_a_table_loads() -> None:
    """A rule file carrying a covering table loads, and the table is the one written."""
    version, problems = parse_rule_file(
        _with_brackets(bracket(value=1.0, up_to=0.40) + bracket(value=0.8, above=0.40)),
        "ai-rpa/2021.toml",
    )
    assert problems == []
    assert version is not None
    assert version.file.fiscal_strength.has_table
    assert multiplier_for(version.file.fiscal_strength, D("0.41"), "municipality").value == D("0.8")


def test_rule_file_with_a_gap_is_refused_at_the_key() -> None:
    """A rule file whose table has a gap is refused at ``fiscal_strength``, naming the gap."""
    version, problems = parse_rule_file(
        _with_brackets(bracket(value=1.0, up_to=0.40) + bracket(value=0.8, above=0.50)),
        "ai-rpa/2021.toml",
    )
    assert version is None
    (problem,) = problems
    assert (problem.file, problem.key, problem.detail) == (
        "ai-rpa/2021.toml",
        "fiscal_strength",
        "fs.coverage",
    )
    assert "no bracket covers indices over 0.40 up to 0.50" in problem.message("en")
    assert problem.message("en").startswith("fiscal_strength: ")
    assert "0.40を超え0.50以下の指数に当たる段階がありません" in problem.message("ja")


def test_rule_file_with_a_bad_bound_is_refused_at_its_key_path() -> None:
    """A bad bound is refused at ``fiscal_strength.multipliers[1].above``."""
    _, problems = parse_rule_file(
        _with_brackets(bracket(value=1.0, up_to=0.40) + bracket(value=0.8, above=0.405)),
        "ai-rpa/2021.toml",
    )
    keys = [p.key for p in problems]
    assert "fiscal_strength.multipliers[1].above" in keys


def test_rule_file_citing_an_undefined_source_in_a_bracket() -> None:
    """A bracket citing a source [sources] lacks is refused at its key."""
    brackets = bracket(value=1.0).replace('source = "ordinance"', 'source = "no-such-law"')
    _, problems = parse_rule_file(_with_brackets(brackets), "ai-rpa/2021.toml")
    assert [(p.key, p.detail) for p in problems] == [
        ("fiscal_strength.multipliers[0]", "rule.unknown_source")
    ]


def test_item_rounding_with_a_table_is_refused() -> None:
    """Rounding happens once, after the multiplier: scope "item" with a table is refused."""
    data = _with_brackets(bracket(value=1.0)).decode()
    data = data.replace('value = "declaration"', 'value = "item"')
    _, problems = parse_rule_file(data.encode(), "ai-rpa/2021.toml")
    assert [p.detail for p in problems] == ["rule.item_rounding_with_multipliers"]


def test_load_rules_refuses_a_folder_with_a_bad_table(tmp_path: Path) -> None:
    """load_rules refuses the whole folder with RuleFileError listing the table's problem."""
    path = tmp_path / "ai-rpa" / "2021.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(_with_brackets(bracket(value=1.0, above=0.10)))
    with pytest.raises(tokko.RuleFileError) as caught:
        tokko.load_rules(tmp_path)
    assert [(p.key, p.detail) for p in caught.value.problems] == [
        ("fiscal_strength", "fs.coverage")
    ]


# ── generated tables ───────────────────────────────────────────────────────────────────────

Interval = tuple[int | None, int | None]  # (above, up_to) in hundredths; None: open


def intervals(cuts: list[int]) -> list[Interval]:
    """The brackets that ``cuts`` (sorted, distinct, hundredths) make of [0, ∞)."""
    ends: list[int | None] = [*cuts, None]
    starts: list[int | None] = [None, *cuts]
    return list(zip(starts, ends, strict=True))


def as_bracket(interval: Interval, value: int, entities: str | None) -> dict[str, Any]:
    above, up_to = interval
    raw: dict[str, Any] = {"value": Decimal(value).scaleb(-2), "source": "ordinance"}
    if above is not None:
        raw["above"] = Decimal(above).scaleb(-2)
    if up_to is not None:
        raw["up_to"] = Decimal(up_to).scaleb(-2)
    if entities is not None:
        raw["entities"] = entities
    return raw


cut_lists = st.lists(st.integers(0, 300), unique=True, max_size=6).map(sorted)


@st.composite
def generated(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str | None, list[int]]]:
    """A ``[fiscal_strength]`` table covering [0, ∞) (one or two tables, shuffled) and its cuts."""
    kinds: list[str | None] = ["prefecture", "municipality"] if draw(st.booleans()) else [None]
    cuts = {kind: draw(cut_lists) for kind in kinds}
    rows = [
        as_bracket(interval, draw(st.integers(0, 200)), kind)
        for kind in kinds
        for interval in intervals(cuts[kind])
    ]
    rows = draw(st.permutations(rows))
    raw = {"applies": {"value": True, "source": "guidebook-2024"}, "multipliers": rows}
    return raw, cuts


def hundredths(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


@SOME
@given(generated(), st.integers(0, 400), st.sampled_from(["prefecture", "municipality"]))
def test_generated_tables_pick_the_bracket_holding_the_index(
    case: tuple[dict[str, Any], dict[str | None, list[int]]], n: int, kind: Any
) -> None:
    """For any table covering [0, ∞) (listed in any order), exactly one bracket holds each index
    and multiplier_for picks it."""
    raw, cuts = case
    table = FiscalStrength.model_validate(raw)
    table_cuts = cuts[kind] if kind in cuts else cuts[None]
    # Oracle: the bracket after the cuts strictly below n ((c_j, c_j+1], the first from 0).
    j = bisect.bisect_left(table_cuts, n)
    expected = intervals(table_cuts)[j]
    index = Decimal(n).scaleb(-2)
    chosen = multiplier_for(table, index, kind)
    assert (hundredths(chosen.above), hundredths(chosen.up_to)) == expected
    assert chosen.entities == (kind if kind in cuts else None)
    holders = [
        b
        for b in table.table_for(kind)
        if (b.above is None or index > b.above) and (b.up_to is None or index <= b.up_to)
    ]
    assert holders == [chosen]


@st.composite
def broken(draw: st.DrawFn) -> dict[str, Any]:
    """A covering table with one bracket removed or one bound moved, so a gap or overlap."""
    raw, _ = draw(generated())
    rows: list[dict[str, Any]] = [dict(r) for r in raw["multipliers"]]
    how = draw(st.sampled_from(["remove", "shift", "close_start", "open_start", "close_end"]))
    if how == "remove":
        assume(len(rows) >= 2)
        del rows[draw(st.integers(0, len(rows) - 1))]
    elif how == "shift":
        candidates = [
            (i, key) for i, r in enumerate(rows) for key in ("above", "up_to") if key in r
        ]
        assume(candidates)
        i, key = draw(st.sampled_from(candidates))
        moved = rows[i][key] + Decimal(draw(st.integers(-50, 50).filter(bool))).scaleb(-2)
        assume(moved >= 0)
        rows[i][key] = moved
        assume(
            "above" not in rows[i] or "up_to" not in rows[i] or rows[i]["above"] < rows[i]["up_to"]
        )
    elif how == "close_start":  # from 0 → over 0: index 0 left bare
        firsts = [i for i, r in enumerate(rows) if "above" not in r]
        i = draw(st.sampled_from(firsts))
        rows[i]["above"] = Decimal(0)
        assume("up_to" not in rows[i] or rows[i]["up_to"] > 0)
    elif how == "open_start":  # over a → from 0: overlaps the first bracket
        later = [i for i, r in enumerate(rows) if "above" in r]
        assume(later)
        del rows[draw(st.sampled_from(later))]["above"]
    else:  # open above → up to a bound: nothing covers what lies beyond
        lasts = [i for i, r in enumerate(rows) if "up_to" not in r]
        i = draw(st.sampled_from(lasts))
        rows[i]["up_to"] = rows[i].get("above", Decimal(0)) + Decimal(
            draw(st.integers(1, 100))
        ).scaleb(-2)
    return {**raw, "multipliers": rows}


@SOME
@given(broken())
def test_generated_tables_with_a_gap_or_overlap_are_refused(raw: dict[str, Any]) -> None:
    """A covering table with one bracket removed or one bound moved is refused: a gap or an
    overlap, reported as one ``tokko_rule`` error."""
    with pytest.raises(ValidationError) as caught:
        FiscalStrength.model_validate(raw)
    (error,) = caught.value.errors()
    assert error["type"] == "tokko_rule"
    ctx = error.get("ctx") or {}
    assert ctx["detail"] == "fs.coverage"
    en = str(ctx["en"])
    assert "no bracket covers" in en or "overlap" in en or "there is no bracket" in en
