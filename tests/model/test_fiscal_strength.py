"""The fiscal strength index (財政力指数, SPEC §1, §3): computed as the ordinance does, and read.

Oracles are written from the SPEC — the ordinance's rounding of the index (each year half up to
2 decimals, then their mean half up to 2 decimals) — with integers and
:class:`fractions.Fraction`, never with the code under test. The multiplier table is rule data:
tests/rules/test_fiscal_strength_table.py.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokko
from tokko.model.codes import ErrorCode
from tokko.model.fiscal_strength import (
    decimals,
    fiscal_strength_index,
    index_text,
    parse_index,
    year_ratios,
)
from tokko.model.problem import InvalidValue

SOME = settings(max_examples=200, deadline=None)
D = Decimal


# ── the index (省令第2条) ───────────────────────────────────────────────────────────────────


def test_index_is_public_api() -> None:
    """tokko.fiscal_strength_index is the library's helper (SPEC §5)."""
    assert tokko.fiscal_strength_index is fiscal_strength_index


def test_index_hand_computed() -> None:
    """Hand-computed cases: half up (not half even) per year, then the mean half up."""
    # 4,500 / 10,000 = 0.45 each year → 0.45.
    assert fiscal_strength_index([4500, 4500, 4500], [10000, 10000, 10000]) == D("0.45")
    # 0.3333… → 0.33, 0.6666… → 0.67, 0.5 → 0.50; (0.33 + 0.67 + 0.50) / 3 = 0.50.
    assert str(fiscal_strength_index([1, 2, 1], [3, 3, 2])) == "0.50"
    # 1.235 → 1.24 (half up, not half even); 1.0 → 1.00; 0 → 0.00: 2.24 / 3 = 0.7466… → 0.75.
    assert fiscal_strength_index([1235, 7, 0], [1000, 7, 5]) == D("0.75")
    assert str(fiscal_strength_index([0, 0, 0], [1, 2, 3])) == "0.00"
    assert str(fiscal_strength_index([5, 5, 5], [5, 5, 5])) == "1.00"


def test_index_rounds_each_year_first() -> None:
    """Each year's ratio is rounded before the mean, as the ordinance says."""
    # 0.124 → 0.12, 0.124 → 0.12, 0.127 → 0.13: 0.37 / 3 = 0.1233… → 0.12.
    # Averaging first would give 0.375 / 3 = 0.125 → 0.13: the ordinance's order matters.
    assert fiscal_strength_index([124, 124, 127], [1000, 1000, 1000]) == D("0.12")


def test_index_mean_half_rounds_up() -> None:
    """The mean is rounded half up too: 0.005 exactly → 0.01."""
    # 0.01 + 0.01 + 0.00 = 0.02; 0.02 / 3 = 0.00666… → 0.01. And 0.005 exactly → 0.01.
    assert fiscal_strength_index([1, 1, 0], [100, 100, 100]) == D("0.01")
    assert fiscal_strength_index([5, 5, 5], [1000, 1000, 1000]) == D("0.01")
    assert fiscal_strength_index([4, 4, 4], [1000, 1000, 1000]) == D("0.00")


def test_index_takes_decimal_thousands_and_huge_figures() -> None:
    """Decimal figures (thousands of yen with a fraction) and huge ones are exact."""
    revenues = [D("123456789.5"), D("123456789"), D("1E+30")]
    demands = [D("246913579"), D("246913578"), D("3E+30")]
    # 0.4999999989… → 0.50, 0.5 → 0.50, 0.333… → 0.33: 1.33 / 3 = 0.4433… → 0.44.
    assert fiscal_strength_index(revenues, demands) == D("0.44")


@pytest.mark.parametrize(
    ("revenues", "demands", "why", "figure"),
    [
        ([1, 1, 1], [1, 0, 1], "must be more than 0", "基準財政需要額"),
        ([1, 1, 1], [1, 1, -1], "must be more than 0", "基準財政需要額"),
        ([1, -1, 1], [1, 1, 1], "must be 0 or more", "基準財政収入額"),
        ([1, 1], [1, 1, 1], "each of the three preceding fiscal years", "基準財政収入額"),
        ([1, 1, 1], [1, 1, 1, 1], "each of the three preceding fiscal years", "基準財政需要額"),
        ([1, 1, 0.5], [1, 1, 1], "an int or a finite Decimal", "基準財政収入額"),
        ([1, 1, True], [1, 1, 1], "an int or a finite Decimal", "基準財政収入額"),
        ([1, 1, D("NaN")], [1, 1, 1], "an int or a finite Decimal", "基準財政収入額"),
        ([1, 1, 1], [1, 1, "1"], "an int or a finite Decimal", "基準財政需要額"),
    ],
)
def test_index_refuses_bad_figures(revenues: Any, demands: Any, why: str, figure: str) -> None:
    """A missing year, a demand not above 0, a negative revenue, a float, a bool, NaN or text
    is a ValueError naming the figure (in the ordinance's words) and why."""
    with pytest.raises(ValueError, match=why) as caught:
        fiscal_strength_index(revenues, demands)
    assert figure in str(caught.value)


def half_up_hundredths(x: Fraction) -> Fraction:
    """``x`` (≥ 0) rounded half up to 2 decimals, by the definition: ⌊100x + ½⌋ / 100."""
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


def oracle_index(revenues: list[Decimal | int], demands: list[Decimal | int]) -> Fraction:
    yearly = [
        half_up_hundredths(Fraction(r) / Fraction(d))
        for r, d in zip(revenues, demands, strict=True)
    ]
    return half_up_hundredths(sum(yearly, Fraction(0)) / 3)


figures = st.one_of(
    st.integers(0, 10**13),
    st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False),
)
positive = st.one_of(
    st.integers(1, 10**13),
    st.decimals(
        min_value=D("0.001"), max_value=10**12, places=3, allow_nan=False, allow_infinity=False
    ),
)


@st.composite
def exact_halves(draw: st.DrawFn) -> tuple[int, int]:
    """A year whose ratio is exactly k/100 + 0.005, where half up and half even can differ."""
    m = draw(st.integers(1, 10**6))
    k = draw(st.integers(0, 300))
    return m * (2 * k + 1), 200 * m


@st.composite
def years(draw: st.DrawFn) -> tuple[list[Decimal | int], list[Decimal | int]]:
    revenues: list[Decimal | int] = []
    demands: list[Decimal | int] = []
    for _ in range(3):
        r: Decimal | int
        d: Decimal | int
        if draw(st.booleans()):
            r, d = draw(exact_halves())
        else:
            r, d = draw(figures), draw(positive)
        revenues.append(r)
        demands.append(d)
    return revenues, demands


@SOME
@given(years())
def test_index_equals_the_fraction_oracle(
    case: tuple[list[Decimal | int], list[Decimal | int]],
) -> None:
    """For any three years, the index equals an independent Fraction computation with half-up
    rounding (per year, then the mean), on the hundredth grid."""
    revenues, demands = case
    index = fiscal_strength_index(revenues, demands)
    assert isinstance(index, Decimal)
    assert Fraction(index) == oracle_index(revenues, demands)
    assert index.as_tuple().exponent == -2


# ── reading a typed index ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.45", "0.45"),
        ("０．４５", "0.45"),
        (" 0.45 ", "0.45"),
        ("　０．４５　", "0.45"),
        (0.45, "0.45"),
        (0.1, "0.10"),
        (1.1, "1.10"),
        (1, "1.00"),
        (0, "0.00"),
        ("1", "1.00"),
        ("0.5", "0.50"),
        ("0.450", "0.45"),
        (D("0.45"), "0.45"),
        (D("1E+1"), "10.00"),
        (D("-0"), "0.00"),
        (-0.0, "0.00"),
        (2.67, "2.67"),
        ("0.4\u200b5", "0.45"),
    ],
)
def test_parse_index_accepts(value: object, expected: str) -> None:
    """``0.45``, full width, blanks, a cell's float, ints, trailing zeros: on the hundredth grid."""
    parsed = parse_index(value)
    assert isinstance(parsed, Decimal)
    assert str(parsed) == expected


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("0.455", "index.decimals"),
        (0.455, "index.decimals"),
        (1e-05, "index.decimals"),
        (2.675, "index.decimals"),
        (D("0.001"), "index.decimals"),
        ("-0.45", "index.negative"),
        ("−0.45", "index.negative"),
        ("△0.45", "index.negative"),
        ("▲0.45", "index.negative"),
        (-1, "index.negative"),
        (-0.5, "index.negative"),
        (D("-0.5"), "index.negative"),
        ("", "index.not_number"),
        ("abc", "index.not_number"),
        ("0,45", "index.not_number"),
        ("45%", "index.not_number"),
        ("1e-1", "index.not_number"),
        (".45", "index.not_number"),
        (True, "index.not_number"),
        (None, "index.not_number"),
        ([0.45], "index.not_number"),
        (float("nan"), "index.not_number"),
        (float("inf"), "index.not_number"),
        (D("NaN"), "index.not_number"),
    ],
)
def test_parse_index_refuses(value: object, detail: str) -> None:
    """More than 2 decimals, negatives (-, −, △, ▲) and what is no number are
    INVALID_FISCAL_STRENGTH_INDEX, saying what was expected in each language."""
    with pytest.raises(InvalidValue) as caught:
        parse_index(value)
    problem = caught.value.problem
    assert problem.code is ErrorCode.INVALID_FISCAL_STRENGTH_INDEX
    assert problem.detail == detail
    assert "expected" in problem.message("en")
    assert "必要です" in problem.message("ja")
    assert "財政力指数" in problem.message("ja")
    assert isinstance(caught.value, ValueError)


@SOME
@given(st.integers(0, 10**7))
def test_parse_index_reads_every_spelling_of_a_grid_value(n: int) -> None:
    """Any index n/100 reads the same from its text, full-width text, float and Decimal."""
    text = f"{n // 100}.{n % 100:02d}"
    expected = Fraction(n, 100)
    full_width = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    for spelling in (text, full_width, float(text), Decimal(text)):
        parsed = parse_index(spelling)
        assert Fraction(parsed) == expected
        assert str(parsed) == text


# ── Each year's ratio, the index as written, how many decimals (issue 15 item 9) ────────────


def test_year_ratios_hand_computed() -> None:
    """Each year's 基準財政収入額 ÷ 基準財政需要額 rounded half up to 2 decimals, as the index
    helper shows them: 0.45, 0.4649 → 0.46, 0.335 → 0.34 (half up)."""
    ratios = year_ratios([45_000, 46_490, 335], [100_000, 100_000, 1_000])
    assert ratios == [D("0.45"), D("0.46"), D("0.34")]
    assert [str(r) for r in ratios] == ["0.45", "0.46", "0.34"]


@SOME
@given(years())
def test_year_ratios_equal_the_fraction_oracle(
    case: tuple[list[Decimal | int], list[Decimal | int]],
) -> None:
    """For any three years, each ratio is the year's exact quotient rounded half up to the
    hundredth, on the hundredth grid; the index is their mean rounded again."""
    revenues, demands = case
    ratios = year_ratios(revenues, demands)
    assert [Fraction(r) for r in ratios] == [
        half_up_hundredths(Fraction(r) / Fraction(d))
        for r, d in zip(revenues, demands, strict=True)
    ]
    assert all(r.as_tuple().exponent == -2 for r in ratios)
    assert Fraction(fiscal_strength_index(revenues, demands)) == half_up_hundredths(
        sum(map(Fraction, ratios), Fraction(0)) / 3
    )


@pytest.mark.parametrize(
    ("revenues", "demands", "year", "figure"),
    [
        ([1, -1, 1], [1, 1, 1], 2, "基準財政収入額"),
        ([-1, 1, 1], [1, 1, 1], 1, "基準財政収入額"),
        ([1, 1, 1], [1, 1, 0], 3, "基準財政需要額"),
        ([1, 1, 1], [1, 1.5, 1], 2, "基準財政需要額"),
    ],
)
def test_a_bad_figure_names_its_year(revenues: Any, demands: Any, year: int, figure: str) -> None:
    """The message names which of the three years holds the bad figure (the first is year 1)."""
    with pytest.raises(InvalidValue) as caught:
        fiscal_strength_index(revenues, demands)
    assert f"of year {year} " in caught.value.problem.message("en")
    assert f"{year}年度目の{figure}" in caught.value.problem.message("ja")


@pytest.mark.parametrize(
    ("index", "text"),
    [
        ("0.4", "0.40"),
        ("0.45", "0.45"),
        ("1", "1.00"),
        ("0", "0.00"),
        ("12.5", "12.50"),
        ("1E+2", "100.00"),
        ("2.5E+1", "25.00"),
        ("0.450", "0.45"),
    ],
)
def test_index_text_is_on_the_hundredth_grid(index: str, text: str) -> None:
    """An index is written as the ordinance writes it, with two decimals: 0.4 → 0.40."""
    assert index_text(D(index)) == text


@SOME
@given(st.integers(0, 10**7))
def test_index_text_of_a_read_index(n: int) -> None:
    """Whatever spelling an index n/100 was read from, it is written back as n/100 with two
    decimals, never in exponent form."""
    text = f"{n // 100}.{n % 100:02d}"
    for spelling in (text, D(text).normalize(), float(text)):
        assert index_text(parse_index(spelling)) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1E+2"), "100.00"),
        (D("1E+5"), "100000.00"),
        (D("2.5E+1"), "25.00"),
        (D("4.5E-1"), "0.45"),
        (D("0E+3"), "0.00"),
    ],
)
def test_parse_index_accepts_exponent_forms(value: Decimal, expected: str) -> None:
    """A Decimal index in exponent form (a normalised 100 is 1E+2) reads as its value on the
    hundredth grid."""
    assert str(parse_index(value)) == expected


@SOME
@given(st.integers(0, 10**9), st.integers(0, 6), st.integers(0, 4))
def test_decimals_counts_the_places_a_value_needs(n: int, places: int, zeros: int) -> None:
    """decimals(x) is the fewest decimals that write x exactly (trailing zeros do not count,
    an integer or zero needs none), whatever the exponent x is spelled with."""
    value = D(n).scaleb(-places)
    needed = next(k for k in range(places + 1) if (Fraction(value) * 10**k).denominator == 1)
    for spelling in (value, value.normalize(), D(f"{value:f}" + ("0" * zeros if places else ""))):
        assert decimals(spelling) == needed, spelling


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.450", 2),
        ("0.45", 2),
        ("1", 0),
        ("0", 0),
        ("0.000", 0),
        ("1E+3", 0),
        ("1.5", 1),
        ("1.50", 1),
        ("10", 0),
    ],
)
def test_decimals_examples(value: str, expected: int) -> None:
    """0.450 needs 2 decimals; 1, 0, 0.000 and 1E+3 need none."""
    assert decimals(D(value)) == expected


def test_an_index_text_of_up_to_32_characters_is_read() -> None:
    """An index written with leading zeros is read while it has at most 32 characters; a
    longer text is refused as no number, without being read."""
    assert str(parse_index("0" * 28 + "0.45")) == "0.45"
    with pytest.raises(InvalidValue) as caught:
        parse_index("0" * 29 + "0.45")
    assert caught.value.problem.detail == "index.not_number"
