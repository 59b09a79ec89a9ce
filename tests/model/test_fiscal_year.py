"""Fiscal years (年度) and dates in the spellings Japanese offices use (SPEC §3).

Every oracle is written from SPEC.md (§3 spellings), never taken from the code under test. The
fiscal-year spelling properties were moved here from tests/engine/test_properties.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokko.model.codes import ErrorCode
from tokko.model.fiscal_year import (
    fiscal_year_end,
    fiscal_year_label,
    parse_date,
    parse_fiscal_year,
)
from tokko.model.problem import InvalidValue

SOME = settings(max_examples=150, deadline=None)

# ── Spellings: fiscal years (SPEC §3) ────────────────────────────────────────────────────────

_FULL_WIDTH = str.maketrans("0123456789RH", "０１２３４５６７８９ＲＨ")


def _spellings_of_western(year: int) -> list[object]:
    return [year, str(year), f"{year}年度", f"{year}年度".translate(_FULL_WIDTH)]


def _spellings_of_era(era: str, letter: str, number: int) -> list[str]:
    spelled = ["元"] if number == 1 else []
    out = [
        f"{letter}{number}",
        f"{letter.lower()}{number}",
        f"{era}{number}年度",
        f"{era}{number}",
        f"{letter}{number}".translate(_FULL_WIDTH),
        f"{era}{number}年度".translate(_FULL_WIDTH),
    ]
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
        with pytest.raises(InvalidValue) as caught:
            parse_fiscal_year(spelling)
        assert caught.value.problem.code is ErrorCode.INVALID_FISCAL_YEAR


# ── More fiscal years ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "value",
    [
        "令和0年度",
        "R0",
        "平成0年度",
        "H0",
        "1988",
        "2200",
        "21",
        "令和",
        "2021年度度",
        "2021.5",
        2021.5,
        True,
        None,
        "",
        "昭和64年度",
        "20210",
        [2021],
        "R3\u30fc",
    ],
)
def test_malformed_fiscal_years_refused(value: object) -> None:
    """Year 0 of an era, years outside 1989–2199, two digits, unknown eras, fractions, bools,
    None and empty text are INVALID_FISCAL_YEAR, saying what is expected."""
    with pytest.raises(InvalidValue) as caught:
        parse_fiscal_year(value)
    problem = caught.value.problem
    assert problem.code is ErrorCode.INVALID_FISCAL_YEAR
    assert "R3" in problem.message("en")
    assert "令和3年度" in problem.message("ja")


def test_whole_float_is_a_spreadsheet_year() -> None:
    """A cell holding 2021 as a number (2021.0) is fiscal 2021."""
    assert parse_fiscal_year(2021.0) == 2021


def test_invisible_characters_do_not_change_a_year() -> None:
    """A zero-width space or a soft hyphen inside a year is folded away (issue 12 item 2)."""
    assert parse_fiscal_year("令和\u200b3年度") == 2021
    assert parse_fiscal_year("20\u00ad21") == 2021


@pytest.mark.parametrize(
    ("year", "label"),
    [(2021, "令和3年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1989, "平成元年度")],
)
def test_fiscal_year_label(year: int, label: str) -> None:
    """fiscal_year_label spells a year as offices do, and reads back to it."""
    assert fiscal_year_label(year) == label
    assert parse_fiscal_year(label) == year


def test_fiscal_year_end() -> None:
    """A fiscal year ends on 31 March of the next calendar year."""
    assert fiscal_year_end(2021) == dt.date(2022, 3, 31)


# ── Dates (SPEC §3) ──────────────────────────────────────────────────────────────────────────

MAY_10 = dt.date(2021, 5, 10)


@pytest.mark.parametrize(
    "value",
    [
        "2021-05-10",
        "2021/5/10",
        "2021/05/10",
        "2021年5月10日",
        "２０２１年５月１０日",
        "令和3年5月10日",
        "令和３年５月１０日",
        "R3年5月10日",
        "2021年 5月 10日",
        "令和3年5月10日\u200b",
        MAY_10,
        dt.datetime(2021, 5, 10, 9, 30),
    ],
)
def test_dates(value: object) -> None:
    """ISO, slashes, 2021年5月10日 and 令和3年5月10日 (full width too), dates and datetimes."""
    assert parse_date(value) == MAY_10


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R1年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("H31年4月30日", dt.date(2019, 4, 30)),
        ("h31年4月1日", dt.date(2019, 4, 1)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("2020年2月29日", dt.date(2020, 2, 29)),
    ],
)
def test_era_dates(value: str, expected: dt.date) -> None:
    """元 is the first year of an era; a leap day exists in a leap year."""
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "令和0年5月1日",  # year 0 of an era
        "令和3年13月1日",  # month 13
        "平成32年1月1日",  # 平成 ended in its 31st year
        "令和3年2月30日",  # no such day
        "2021年2月29日",  # not a leap year
        "令和3年0月1日",
        "令和3年5月0日",
        "2021-13-01",
        "2021/2/30",
        "昭和60年5月1日",  # an era tokko does not read
        "2021年度5月10日",  # a fiscal year is not a calendar year
        "令和3年5月",  # no day
        "5月10日",  # no year
        "いつか",
        "",
        "令和元年4月30日",  # 令和 began on 1 May 2019
        "令和元年4月1日",
        "平成31年5月1日",  # 平成 ended on 30 April 2019
        "平成31年5月30日",
        "平成32年4月30日",
        "H31年5月1日",
        "r1年4月30日",
        "令和年5月10日",  # an era without its year
        "2021 3年5月10日",  # a Western year and an era's year number
        "2021元年5月10日",
    ],
)
def test_malformed_dates_refused(value: str) -> None:
    """Era year 0, month 13, 平成32年, days that do not exist, days outside the era named
    (令和 before 1 May 2019, 平成 after 30 April 2019), missing parts, an era without its year
    or a Western year with an era's number: refused with a message giving the accepted
    forms."""
    with pytest.raises(InvalidValue) as caught:
        parse_date(value)
    problem = caught.value.problem
    assert problem.code is ErrorCode.UNKNOWN_VALUE
    assert problem.detail == "date.unreadable"
    assert "令和3年5月10日" in problem.message("ja")
    assert "2021-05-10" in problem.message("en")


@SOME
@given(st.dates(min_value=dt.date(2019, 5, 1), max_value=dt.date(2117, 12, 31)))
def test_every_reiwa_date_reads_in_every_spelling(day: dt.date) -> None:
    """Any date from 1 May 2019 (to 令和99年) reads the same in ISO, slashes, 年月日 and 令和 spellings."""
    n = day.year - 2018
    era = "元" if n == 1 else str(n)
    for spelling in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"令和{era}年{day.month}月{day.day}日",
    ):
        assert parse_date(spelling) == day, spelling


# ── Long cells (issue 15 item 9) ─────────────────────────────────────────────────────────────


def test_a_year_or_a_date_padded_with_blanks_is_read_up_to_32_characters() -> None:
    """A fiscal year or a date with blanks around it is read while the cell has at most 32
    characters; a longer cell is refused without being read."""
    assert parse_fiscal_year(" " * 28 + "2021") == 2021
    assert parse_fiscal_year("令和3年度" + "\u3000" * 27) == 2021
    assert parse_date(" " * 22 + "2021-05-10") == MAY_10
    for year in (" " * 29 + "2021", "令和3年度" + "\u3000" * 28):
        with pytest.raises(InvalidValue) as caught:
            parse_fiscal_year(year)
        assert caught.value.problem.code is ErrorCode.INVALID_FISCAL_YEAR
    with pytest.raises(InvalidValue) as caught:
        parse_date(" " * 23 + "2021-05-10")
    assert caught.value.problem.detail == "date.unreadable"


@pytest.mark.parametrize(
    "value", [Decimal("2021"), Fraction(2021), dt.date(2021, 4, 1), b"2021", ["2021"]]
)
def test_a_year_is_text_or_a_number_as_a_cell_holds_it(value: object) -> None:
    """A fiscal year is text, an int or a spreadsheet's float; another object is refused even
    when it prints as a year (nothing is guessed from how a value prints)."""
    with pytest.raises(InvalidValue) as caught:
        parse_fiscal_year(value)
    assert caught.value.problem.code is ErrorCode.INVALID_FISCAL_YEAR
