"""Yen amounts (SPEC §3): the spellings accepted, what is refused, units, and the helpers.

Every oracle is written from SPEC.md (§3 spellings, issue 12 item 6 and 15 for the limits and
the yen sign), never taken from the code under test. The spelling properties were moved here
from tests/engine/test_properties.py.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokko.model.codes import ErrorCode
from tokko.model.money import MAX_YEN, format_yen, parse_yen, plain, round_to_unit
from tokko.model.problem import InvalidValue, Problem

SOME = settings(max_examples=150, deadline=None)

# ── Spellings: amounts (SPEC §3) ─────────────────────────────────────────────────────────────

_FULL_WIDTH_AMOUNT = str.maketrans("0123456789,", "０１２３４５６７８９，")


def _spellings_of_amount(n: int) -> list[object]:
    grouped = f"{n:,}"
    return [
        n,
        str(n),
        grouped,
        grouped.translate(_FULL_WIDTH_AMOUNT),
        str(n).translate(_FULL_WIDTH_AMOUNT),
        f"{n}円",
        f"{grouped}円",
        f"{grouped}円".translate(_FULL_WIDTH_AMOUNT),
    ]


@SOME
@given(st.integers(min_value=0, max_value=MAX_YEN - 1))
def test_amount_spellings_round_trip(n: int) -> None:
    """int, "1234567", "1,234,567", "１，２３４，５６７", "1234567円" all read as n yen."""
    for spelling in _spellings_of_amount(n):
        parsed = parse_yen(spelling)
        assert parsed == n, spelling
        assert isinstance(parsed, Decimal)


@SOME
@given(st.integers(min_value=0, max_value=MAX_YEN // 1000 - 1))
def test_amount_in_thousands(n: int) -> None:
    """unit=1000 reads a 千円 column: every spelling of n gives exactly n × 1,000 yen."""
    for spelling in _spellings_of_amount(n)[:5]:  # 円 is refused under 千円 (tested below)
        assert parse_yen(spelling, 1000) == n * 1000, spelling
    for spelling in (f"{n}千円", f"{n:,}千円"):
        assert parse_yen(spelling, 1000) == n * 1000, spelling


def _refused(value: object, unit: int = 1) -> Problem:
    with pytest.raises(InvalidValue) as caught:
        parse_yen(value, unit)
    problem = caught.value.problem
    assert problem.code is ErrorCode.INVALID_AMOUNT
    assert problem.message("ja") != problem.message("en")
    return problem


@SOME
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_refused(value: float) -> None:
    """Every float, even a whole one, is INVALID_AMOUNT: amounts are integers or strings."""
    _refused(value)


@SOME
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=999))
def test_fractions_refused(whole: int, fraction: int) -> None:
    """ "123.5", "1,234.5", Decimal("123.5") and Fraction(2469, 2) are INVALID_AMOUNT; the
    written fractions are refused as not whole numbers, in words that say so."""
    text = f"{whole}.{fraction:03d}"
    for written in (text, f"{whole:,}.{fraction:03d}", Decimal(text)):
        problem = _refused(written)
        assert problem.detail == "amount.fraction"
        assert "not a whole number" in problem.message("en")
    _refused(Fraction(2 * whole + 1, 2))


@SOME
@given(st.integers(min_value=1, max_value=10**12))
def test_negatives_refused(n: int) -> None:
    """-n as an int, "-n", "-1,234" and "△n" are INVALID_AMOUNT."""
    for value in (-n, f"-{n}", f"-{n:,}", f"△{n}"):
        _refused(value)


# ── The yen sign, △/▲ negatives, the limit, the unit a cell states ─────────────────────────


@pytest.mark.parametrize(
    "value", ["¥1,234", "￥1,234", "¥1234", "￥１，２３４", "¥1,234円", " ¥ 1,234 ", "\\1,234"]
)
def test_yen_sign_prefix_accepted(value: str) -> None:
    """A yen sign before the amount (¥, full-width ￥, and the backslash CP932 shows as ¥) is
    accepted: ¥1,234 is 1,234 yen."""
    assert parse_yen(value) == 1234


@pytest.mark.parametrize("value", ["¥", "¥¥1,234", "1,234¥", "¥-5", "$1,234"])
def test_yen_sign_alone_or_misplaced_refused(value: str) -> None:
    """A yen sign alone, twice, after the number or before a negative is no amount."""
    _refused(value)


@pytest.mark.parametrize("value", ["△5", "▲5", "△1,234", "▲１，２３４", "△5円", "-5", "−5", "(5)"])
def test_triangle_negatives_refused(value: str) -> None:
    """△5 and ▲5 (the way Japanese accounts write a negative), -5, −5 and (5) are refused as
    negative amounts, in words that say so."""
    problem = _refused(value)
    assert problem.detail == "amount.negative"
    assert "負の金額" in problem.message("ja")
    assert "negative" in problem.message("en")


@pytest.mark.parametrize(
    "value",
    [
        MAX_YEN,
        str(MAX_YEN),
        f"{MAX_YEN:,}",
        f"{MAX_YEN:,}円",
        Decimal(MAX_YEN),
        10**28,
        "9" * 32,
        Decimal("1E+999999"),
        MAX_YEN * 7,
    ],
)
def test_amounts_of_ten_to_the_fifteen_or_more_refused(value: object) -> None:
    """Amounts of 10**15 yen or more are INVALID_AMOUNT (too large), whatever their spelling."""
    problem = _refused(value)
    assert problem.detail == "amount.too_large"
    assert "1,000,000,000,000,000" in problem.message("en")


@pytest.mark.parametrize(
    "value",
    [MAX_YEN - 1, str(MAX_YEN - 1), f"{MAX_YEN - 1:,}", Decimal(MAX_YEN - 1), f"¥{MAX_YEN - 1:,}"],
)
def test_amount_just_under_the_limit_accepted(value: object) -> None:
    """10**15 − 1 yen is the largest amount accepted."""
    assert parse_yen(value) == MAX_YEN - 1
    assert MAX_YEN == 10**15


def test_limit_in_thousands() -> None:
    """Under unit=1000 the limit is still 10**15 yen: 10**12 千円 is refused, one less is not."""
    assert parse_yen(10**12 - 1, 1000) == (10**12 - 1) * 1000
    problem = _refused(10**12, 1000)
    assert problem.detail == "amount.too_large"
    assert "1,000,000,000,000" in problem.message("en")


def test_thousands_of_yen_read_in_yen_refused_suggesting_the_unit() -> None:
    """ "1,200千円" in a yen column is refused (it is not 1,200 yen), with a message naming
    --unit thousand."""
    problem = _refused("1,200千円")
    assert problem.detail == "amount.other_unit_thousand"
    assert "--unit thousand" in problem.message("ja")
    assert "--unit thousand" in problem.message("en")
    assert "千円" in problem.message("ja")


def test_thousands_of_yen_under_unit_thousand_accepted() -> None:
    """Under unit=1000, "1,200千円", "1,200" and 1200 are 1,200,000 yen."""
    for value in ("1,200千円", "１，２００千円", "1,200", 1200, "1200"):
        assert parse_yen(value, 1000) == 1_200_000


def test_yen_read_in_thousands_refused() -> None:
    """ "1,200円" read in thousands of yen states another unit: refused, naming --unit thousand."""
    problem = _refused("1,200円", 1000)
    assert problem.detail == "amount.other_unit_yen"
    assert "--unit thousand" in problem.message("en")


def test_expected_form_follows_the_unit() -> None:
    """What is expected is said in the unit read: 円 for yen, 千円 for thousands."""
    assert "円" in _refused("abc").message("ja")
    assert "千円" in _refused("abc", 1000).message("ja")
    assert "thousands of yen" in _refused("abc", 1000).message("en")


@pytest.mark.parametrize(
    "value", [True, False, None, [1], {"yen": 1}, b"1", "", "1,2", "12,34", "x" * 100]
)
def test_other_values_refused(value: object) -> None:
    """Bools, None, lists, bytes, empty text, badly grouped digits, long text: INVALID_AMOUNT."""
    _refused(value)


@pytest.mark.parametrize("value", ["1200 300", "1 234", "1,200 300", "１２００　３００"])
def test_digits_split_by_a_blank_refused(value: str) -> None:
    """Digits split by a blank are two numbers (or a typing slip), never one amount: "1200 300"
    is refused, not read as 1,200,300 (never silently wrong, issue 12)."""
    _refused(value)


def test_blanks_around_the_amount_and_its_signs_accepted() -> None:
    """Blanks around the amount, after the yen sign or before 円 are harmless."""
    assert parse_yen("  1,234  ") == 1234
    assert parse_yen("¥ 1,234") == 1234
    assert parse_yen("1,234 円") == 1234
    assert parse_yen("　1,234円　") == 1234


def test_invisible_characters_do_not_change_an_amount() -> None:
    """A zero-width space or a BOM inside an amount is folded away (issue 12 item 2)."""
    assert parse_yen("1,2\u200b34,567") == 1_234_567
    assert parse_yen("\ufeff1234567円") == 1_234_567


# ── Rounding and showing amounts ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        ("360499.5", "half_up", 360000),
        ("360500", "half_up", 361000),
        ("360500", "half_even", 360000),
        ("361500", "half_even", 362000),
        ("360999.9", "down", 360000),
        ("360000.1", "up", 361000),
        ("360000", "up", 360000),
    ],
)
def test_round_to_unit(value: str, mode: str, expected: int) -> None:
    """round_to_unit rounds to a multiple of the unit in each mode a rule file may name."""
    assert round_to_unit(Decimal(value), Decimal(1000), mode) == expected


@pytest.mark.parametrize(
    ("value", "text", "shown"),
    [
        ("360000", "360000", "360,000"),
        ("0.25", "0.25", "0.25"),
        ("1.2E+6", "1200000", "1,200,000"),
        ("1234567.50", "1234567.5", "1,234,567.5"),
        ("0", "0", "0"),
        ("-0", "0", "0"),
        ("-1234.5", "-1234.5", "-1,234.5"),
    ],
)
def test_plain_and_format_yen(value: str, text: str, shown: str) -> None:
    """plain is a decimal string without exponent or trailing zeros; format_yen adds commas."""
    assert plain(Decimal(value)) == text
    assert format_yen(Decimal(value)) == shown


# ── Why an amount is refused, the limit in the unit read, long cells (issue 15 item 9) ─────


@pytest.mark.parametrize(
    ("value", "detail", "words"),
    [
        ("1.5", "amount.fraction", "is not a whole number"),
        ("１，２３４．５円", "amount.fraction", "is not a whole number"),
        (1.5, "amount.fraction", "is not a whole number"),
        (2.0, "amount.float", "is a floating-point number"),
        ("12,34", "amount.unreadable", "is not an amount"),
        ("1,23,4", "amount.unreadable", "is not an amount"),
        ("1.2.3", "amount.unreadable", "is not an amount"),
        ("abc.def", "amount.unreadable", "is not an amount"),
        (".", "amount.unreadable", "is not an amount"),
        ("(5", "amount.unreadable", "is not an amount"),
        ("5)", "amount.unreadable", "is not an amount"),
        ("(5)", "amount.negative", "is negative"),
    ],
)
def test_the_reason_of_a_refusal_is_the_right_one(value: object, detail: str, words: str) -> None:
    """A fraction is refused as not whole, a whole float as a float, badly grouped digits, a
    stray dot or a lone bracket as no amount, and (5) as negative: the message says which."""
    problem = _refused(value)
    assert problem.detail == detail
    assert words in problem.message("en")


def test_the_limit_is_said_in_the_unit_read() -> None:
    """The too-large message states the limit in the column's unit: 1,000,000,000,000,000 yen,
    or 1,000,000,000,000 thousand yen (千円) under unit=1000."""
    for value in (10**12, str(10**12), Decimal(10**12)):
        problem = _refused(value, 1000)
        assert "(1,000,000,000,000 thousand yen or more is refused)" in problem.message("en")
        assert "（1,000,000,000,000千円以上は受け付けません）" in problem.message("ja")
    problem = _refused(MAX_YEN)
    assert "(1,000,000,000,000,000 yen or more is refused)" in problem.message("en")
    assert "（1,000,000,000,000,000円以上は受け付けません）" in problem.message("ja")


@SOME
@given(st.integers(min_value=0, max_value=MAX_YEN // 1000 - 1))
def test_a_decimal_in_thousands_is_exact(n: int) -> None:
    """A Decimal read in a 千円 column is exactly n × 1,000 yen, a whole Decimal."""
    parsed = parse_yen(Decimal(n), 1000)
    assert parsed == n * 1000
    assert isinstance(parsed, Decimal)
    assert str(parsed) == str(n * 1000)


def test_a_cell_of_up_to_64_characters_is_read() -> None:
    """An amount with blanks around it is read while the cell has at most 64 characters; a
    longer cell is refused as no amount, without being read."""
    assert parse_yen(" " * 59 + "1,000") == 1000
    assert parse_yen("1,000円" + "\u3000" * 58) == 1000
    for value in (" " * 60 + "1,000", "1,000円" + "\u3000" * 59):
        assert _refused(value).detail == "amount.unreadable"


# ── 千円 with decimals: exactly ×1,000, to the yen ─────────────────────────────────────────


@SOME
@given(st.integers(min_value=0, max_value=MAX_YEN - 1))
def test_thousands_with_decimals_are_exactly_the_yen(n: int) -> None:
    """Under unit=1000, n yen written as 千円 with three decimals ("1,234.567") — as text, a
    Decimal, or a spreadsheet's number — is exactly n yen: ×1,000, never rounded."""
    thousands, yen = divmod(n, 1000)
    text = f"{thousands}.{yen:03d}"
    for written in (text, f"{thousands:,}.{yen:03d}", f"{text}千円", Decimal(text)):
        assert parse_yen(written, 1000) == n, written
    if n < 10**12 and yen:  # a float holds 15 significant digits: what a spreadsheet shows
        assert parse_yen(float(text), 1000) == n  # (a whole one reaches tokko as an int)


@pytest.mark.parametrize(
    ("value", "yen"),
    [("1234.5", 1_234_500), ("0.001", 1), ("1.2340", 1_234), (0.1, 100), (Decimal("1.5"), 1_500)],
)
def test_thousands_decimals_examples(value: object, yen: int) -> None:
    assert parse_yen(value, 1000) == yen


@pytest.mark.parametrize("value", ["1.2345", "0.0001", Decimal("1.0005"), 0.0001])
def test_a_fraction_of_a_yen_in_thousands_is_refused(value: object) -> None:
    """A fourth decimal of 千円 is a fraction of a yen: refused, saying so."""
    problem = _refused(value, 1000)
    assert problem.detail == "amount.fraction_of_yen"
    assert "1円未満" in problem.message("ja")
    assert "0以上の千円" in problem.message("ja")  # what is expected, in the column's unit


def test_decimals_in_yen_or_in_another_unit_are_refused() -> None:
    """Decimals stay refused in a yen column; "1.5円" under 千円 or "1,234.5千円" under yen
    states another unit."""
    assert _refused("1234.5").detail == "amount.fraction"
    assert _refused("1.5円", 1000).detail == "amount.other_unit_yen"
    assert _refused("1,234.5千円").detail == "amount.other_unit_thousand"


@pytest.mark.parametrize("value", ["¥1,500", "￥1,500", "\\1,500", "¥ 1500"])
def test_a_yen_sign_states_yen(value: str) -> None:
    """¥1,500 is 1,500 yen: read as such in a yen column, refused in a 千円 column (never
    1,500,000 yen), with the message naming the unit, as 1,500円 is."""
    assert parse_yen(value) == 1500
    assert _refused(value, 1000).detail == "amount.other_unit_yen"
