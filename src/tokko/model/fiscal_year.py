"""Fiscal years (年度, April to March) and dates, in the spellings Japanese offices use.

A fiscal year is stored as the Western year of its April: ``R3``, ``令和3年度`` and ``2021`` are
all ``2021``. Era names count their first year as 元 (``令和元年度`` = 2019).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from tokko.model.codes import ErrorCode
from tokko.model.problem import invalid, shown
from tokko.model.text import fold

#: Era → (Western year of its first year, last year number accepted, or None when open).
#: 平成31年度 is the fiscal year that began in April 2019; 令和 began on 1 May 2019.
_ERAS: dict[str, tuple[int, int | None]] = {
    "令和": (2019, None),
    "R": (2019, None),
    "平成": (1989, 31),
    "H": (1989, 31),
}

#: The calendar days of each era, for dates (a fiscal year may straddle two eras; a day may not).
_ERA_DAYS: dict[str, tuple[dt.date, dt.date | None]] = {
    "令和": (dt.date(2019, 5, 1), None),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
}

_YEAR = re.compile(r"(?:FY)?(\d{4})(?:年度|年)?", re.IGNORECASE)
_ERA_YEAR = re.compile(r"(令和|平成|R|H)\s*(元|\d{1,2})(?:年度|年)?", re.IGNORECASE)
_MIN_YEAR = 1989
_MAX_YEAR = 2199


def _era_year(era: str, number: str) -> int | None:
    start, last = _ERAS[era.upper() if era.isascii() else era]
    n = 1 if number == "元" else int(number)
    if n < 1 or (last is not None and n > last):
        return None
    return start + n - 1


@lru_cache(maxsize=1024)
def _parse_year_text(text: str) -> int:
    folded = fold(text).replace(" ", "")
    year: int | None = None
    if match := _YEAR.fullmatch(folded):
        year = int(match.group(1))
    elif match := _ERA_YEAR.fullmatch(folded):
        year = _era_year(match.group(1), match.group(2))
    if year is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        raise invalid(
            ErrorCode.INVALID_FISCAL_YEAR, "fiscal_year.unreadable", text, shown=shown(text)
        )
    return year


def parse_fiscal_year(value: object) -> int:
    """A fiscal year in any accepted spelling, as the Western year of its April."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid(
            ErrorCode.INVALID_FISCAL_YEAR, "fiscal_year.unreadable", value, shown=shown(value)
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet cell holding 2021
    text = str(value)
    if len(text) > 32:
        raise invalid(
            ErrorCode.INVALID_FISCAL_YEAR, "fiscal_year.unreadable", value, shown=shown(value)
        )
    return _parse_year_text(text)


def fiscal_year_label(year: int) -> str:
    """``2021`` → ``"令和3年度"``; ``2019`` → ``"令和元年度"``; before 2019 in 平成."""
    era, start = ("令和", 2019) if year >= 2019 else ("平成", 1989)
    n = year - start + 1
    return f"{era}{'元' if n == 1 else n}年度"


def fiscal_year_end(year: int) -> dt.date:
    """The last day of fiscal year ``year``: 31 March of the following calendar year."""
    return dt.date(year + 1, 3, 31)


_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_JA_DATE = re.compile(r"(\d{4}|令和|平成|R|H)\s*(元|\d{1,2})?年\s*(\d{1,2})月\s*(\d{1,2})日", re.I)


@lru_cache(maxsize=1024)
def _parse_date_text(text: str) -> dt.date:
    folded = fold(text)
    parts: tuple[int, int, int] | None = None
    if match := _ISO_DATE.fullmatch(folded):
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif (match := _JA_DATE.fullmatch(folded)) is not None:
        era, number, month, day = match.groups()
        year: int | None = None
        if era.isdigit() and number is None:
            year = int(era)
        elif not era.isdigit() and number is not None:
            year = _era_year(era, number)  # calendar years count eras as fiscal years do
        if year is not None:
            parts = (year, int(month), int(day))
    if parts is not None:
        try:
            day = dt.date(*parts)
        except ValueError:
            day = None
        era = _era_of(folded)
        if day is not None and (era is None or _in_era(day, era)):
            return day
    raise invalid(ErrorCode.UNKNOWN_VALUE, "date.unreadable", text, shown=shown(text))


def _era_of(text: str) -> str | None:
    """The era a Japanese date names (令和, 平成), or None."""
    for name, era in (
        ("令和", "令和"),
        ("R", "令和"),
        ("r", "令和"),
        ("平成", "平成"),
        ("H", "平成"),
        ("h", "平成"),
    ):
        if text.startswith(name):
            return era
    return None


def _in_era(day: dt.date, era: str) -> bool:
    """Whether the era had that day (令和元年4月1日 never was: 令和 began on 1 May 2019)."""
    first, last = _ERA_DAYS[era]
    return first <= day and (last is None or day <= last)


def parse_date(value: object) -> dt.date:
    """A date: ISO ``2021-05-10``, ``2021/5/10``, ``令和3年5月10日``, or a date object."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) > 32:
        raise invalid(ErrorCode.UNKNOWN_VALUE, "date.unreadable", value, shown=shown(value))
    return _parse_date_text(text)
