"""Local governments (地方公共団体): JIS X 0402 codes, names, kinds, look-up and search.

The list is the ministry's 全国地方公共団体コード, shipped as package data
(``tokko/data/local_government_codes.csv``; provenance and the kind rules in
``tokko/data/README.md``). It is read once, on first use, never at import time.

Codes typed in a spreadsheet often lost their leading zero (``13951`` for ニセコ町 ``013951``):
:func:`read_code` reads a 5-digit text both ways (SPEC §3) and says when it restored the zero.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from tokko.model.codes import ErrorCode
from tokko.model.problem import InvalidValue, invalid, shown
from tokko.model.text import fold, to_katakana

__all__ = [
    "CodeReading",
    "Kind",
    "LocalGovernment",
    "all_governments",
    "check_digit",
    "get",
    "lookup",
    "read_code",
    "search",
]

_DATA_FILE = "local_government_codes.csv"
_COLUMNS = ("code", "prefecture", "city", "prefecture_kana", "city_kana")
_WEIGHTS = (6, 5, 4, 3, 2)
_TOKYO = "13"
_PREFECTURES = range(1, 48)
_FIVE_OR_SIX_DIGITS = re.compile(r"[0-9]{5,6}")  # ASCII only: NFKC leaves e.g. ١٢٣ alone
_DIGITS = re.compile(r"[0-9]+")
_SUGGESTED = 5


class Kind(StrEnum):
    """What sort of local government a code names (derived, see ``tokko/data/README.md``)."""

    PREFECTURE = "prefecture"
    DESIGNATED_CITY = "designated_city"
    CITY = "city"
    SPECIAL_WARD = "special_ward"
    TOWN = "town"
    VILLAGE = "village"


_KIND_BY_SUFFIX = {"市": Kind.CITY, "町": Kind.TOWN, "村": Kind.VILLAGE}


class LocalGovernment(NamedTuple):
    """One local government of the shipped code list."""

    code: str
    prefecture: str
    city: str
    prefecture_kana: str
    city_kana: str
    kind: Kind

    @property
    def name(self) -> str:
        """The municipality's name, or the prefecture's for a prefecture: 札幌市, 北海道."""
        return self.city or self.prefecture

    @property
    def full_name(self) -> str:
        """Prefecture and municipality: 北海道札幌市; just 北海道 for the prefecture."""
        return self.prefecture + self.city


class CodeReading(NamedTuple):
    """The government a code names, and whether its leading zero had to be restored."""

    government: LocalGovernment
    restored: bool = False


# --- codes -------------------------------------------------------------------------------------


def check_digit(five_digits: str) -> str:
    """The JIS X 0402 check digit of a 5-digit code: ``"01100"`` → ``"2"``."""
    if len(five_digits) != 5 or not _DIGITS.fullmatch(five_digits):
        raise ValueError(f"check_digit needs 5 ASCII digits, got {five_digits!r}")
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, five_digits, strict=True))
    return str((11 - total % 11) % 10)


def _valid(code: str) -> bool:
    return check_digit(code[:5]) == code[5]


def _malformed(text: str) -> InvalidValue:
    if not text:
        return invalid(ErrorCode.INVALID_CODE, "entity_code.empty", text)
    if _DIGITS.fullmatch(text):
        return invalid(
            ErrorCode.INVALID_CODE, "entity_code.digits", text, shown=shown(text), n=len(text)
        )
    others = "".join(dict.fromkeys(ch for ch in text if not "0" <= ch <= "9"))
    return invalid(
        ErrorCode.INVALID_CODE,
        "entity_code.non_digits",
        text,
        shown=shown(text),
        others=shown(others),
    )


def _wrong_check_digit(code: str, value: object, spelled: str) -> InvalidValue:
    expected = check_digit(code[:5])
    return invalid(
        ErrorCode.INVALID_CODE,
        spelled,
        value,
        shown=shown(value),
        code=code,
        digit=code[5],
        first=code[:5],
        expected=expected,
        right=code[:5] + expected,
    )


def _distance(core: str, other: str) -> int | None:
    """0 for the same 5-digit core, 1 for one digit or one swap of neighbours away, else None."""
    diff = [i for i in range(5) if other[i] != core[i]]
    if len(diff) <= 1:
        return len(diff)
    if (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and other[diff[0]] == core[diff[1]]
        and other[diff[1]] == core[diff[0]]
    ):
        return 1
    return None


def _suggestions(*cores: str) -> str:
    """Up to five governments near one of ``cores`` (the 5-digit cores of a value's readings):
    the same core first (a wrong check digit), then one digit or one swap away, the readings
    taken in turn; else the nearest of the same prefecture: ``013951 北海道ニセコ町、…``."""
    table = _table().governments
    exact = [g for g in table if any(_distance(core, g.code[:5]) == 0 for core in cores)]
    near = [[g for g in table if _distance(core, g.code[:5]) == 1] for core in cores]
    found = list(
        dict.fromkeys(
            [
                *exact,
                *(g for group in zip(*near, strict=False) for g in group),
                *(g for group in near for g in group),
            ]
        )
    )[:_SUGGESTED]
    if not found:
        core = cores[0]
        same = [g for g in table if g.code[:2] == core[:2]]
        found = sorted(same, key=lambda g: abs(int(g.code[:5]) - int(core)))[:_SUGGESTED]
    return "、".join(f"{g.code} {g.full_name}" for g in found) or "—"


def _ward_city(code: str) -> LocalGovernment | None:
    """The designated city whose ward (行政区) ``code`` could be, if any."""
    if code[:2] == _TOKYO or not 100 <= int(code[2:5]) <= 199:
        return None
    cities = [
        g
        for g in _table().governments
        if g.kind is Kind.DESIGNATED_CITY and g.code[:2] == code[:2] and g.code[2:5] <= code[2:5]
    ]
    return cities[-1] if cities else None


def _unknown(code: str, value: object) -> InvalidValue:
    if int(code[:2]) not in _PREFECTURES:
        return invalid(ErrorCode.UNKNOWN_ENTITY, "entity.bad_prefecture", value, code=code)
    if (city := _ward_city(code)) is not None:
        return invalid(
            ErrorCode.UNKNOWN_ENTITY,
            "entity.ward",
            value,
            code=code,
            city=city.name,
            city_code=city.code,
        )
    return invalid(
        ErrorCode.UNKNOWN_ENTITY, "entity.unknown", value, code=code, near=_suggestions(code[:5])
    )


def _from_number(value: int) -> CodeReading:
    """A number lost its leading zero (a spreadsheet or JSON cell): zero-padded to 6 digits
    and its check digit verified, never read as 5 digits."""
    if not 0 <= value <= 999_999:
        raise invalid(ErrorCode.INVALID_CODE, "entity_code.number_range", value, shown=value)
    code = f"{value:06d}"
    if not _valid(code):
        raise _wrong_check_digit(code, value, "entity_code.number_check_digit")
    government = _table().by_code.get(code)
    if government is None:
        raise _unknown(code, value)
    return CodeReading(government)


def _from_five(text: str) -> CodeReading:
    """A 5-digit text, read as a 5-digit JIS code and as a 6-digit code missing its zero."""
    as_five = _table().by_code.get(text + check_digit(text))
    padded = "0" + text
    as_six = _table().by_code.get(padded) if _valid(padded) else None
    if as_five is not None and as_six is not None:
        raise invalid(
            ErrorCode.AMBIGUOUS_CODE,
            "entity_code.ambiguous",
            text,
            shown=text,
            five=f"{as_five.code} {as_five.full_name}",
            six=f"{as_six.code} {as_six.full_name}",
        )
    if as_five is not None:
        return CodeReading(as_five)
    if as_six is not None:
        return CodeReading(as_six, restored=True)
    raise invalid(
        ErrorCode.UNKNOWN_ENTITY,
        "entity.unknown_five",
        text,
        shown=text,
        five=text + check_digit(text),
        six=padded,
        near=_suggestions(text, padded[:5]),
    )


@lru_cache(maxsize=65536, typed=True)
def _read(value: str | int) -> CodeReading:
    if isinstance(value, int):
        return _from_number(value)
    text = fold(value)
    if not _FIVE_OR_SIX_DIGITS.fullmatch(text):
        raise _malformed(text)
    if len(text) == 5:
        return _from_five(text)
    if not _valid(text):
        raise _wrong_check_digit(text, value, "entity_code.check_digit")
    government = _table().by_code.get(text)
    if government is None:
        raise _unknown(text, value)
    return CodeReading(government)


def read_code(value: object) -> CodeReading:
    """The government ``value`` names: 6 digits with a valid check digit, 5 digits read both
    ways (SPEC §3), or a number that lost its leading zero. ``INVALID_CODE``,
    ``UNKNOWN_ENTITY`` or ``AMBIGUOUS_CODE`` otherwise. Cached per distinct value and type."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise invalid(
            ErrorCode.INVALID_CODE,
            "entity_code.type",
            value,
            shown=shown(value),
            kind=type(value).__name__,
        )
    if isinstance(value, str) and len(value) > 64:
        raise _malformed(value[:64])
    return _read(value)


def lookup(value: object) -> LocalGovernment:
    """The government ``value`` names (see :func:`read_code`)."""
    return read_code(value).government


# --- the list ----------------------------------------------------------------------------------


def _search_key(text: str) -> str:
    """What search compares: NFKC, katakana for hiragana, ケ for ヶ, no blanks."""
    return "".join(to_katakana(fold(text)).replace("ヶ", "ケ").split())


def _kind(code: str, city: str) -> Kind:
    prefecture, municipality = code[:2], int(code[2:5])
    if municipality == 0:
        return Kind.PREFECTURE
    if prefecture != _TOKYO and 100 <= municipality <= 199:
        return Kind.DESIGNATED_CITY
    if prefecture == _TOKYO and 101 <= municipality <= 123:
        return Kind.SPECIAL_WARD
    kind = _KIND_BY_SUFFIX.get(city[-1:])
    if kind is None:
        raise ValueError(f"{_DATA_FILE}: cannot tell the kind of {code} {city!r}")
    return kind


class _Table(NamedTuple):
    governments: tuple[LocalGovernment, ...]
    by_code: dict[str, LocalGovernment]


def _rows() -> Iterator[list[str]]:
    # Package data sits beside this module (importlib.resources would cost start-up time).
    text = (Path(__file__).parent.parent / "data" / _DATA_FILE).read_bytes().decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    if tuple(next(reader, ())) != _COLUMNS:
        raise ValueError(f"{_DATA_FILE}: expected the header {','.join(_COLUMNS)}")
    yield from reader


@cache
def _table() -> _Table:
    governments: list[LocalGovernment] = []
    by_code: dict[str, LocalGovernment] = {}
    for row in _rows():
        code, prefecture, city, prefecture_kana, city_kana = row
        if not _FIVE_OR_SIX_DIGITS.fullmatch(code) or len(code) != 6 or code in by_code:
            raise ValueError(f"{_DATA_FILE}: bad or repeated code {code!r}")
        if check_digit(code[:5]) != code[5]:
            raise ValueError(f"{_DATA_FILE}: wrong check digit in {code}")
        gov = LocalGovernment(code, prefecture, city, prefecture_kana, city_kana, _kind(code, city))
        governments.append(gov)
        by_code[code] = gov
    return _Table(tuple(governments), by_code)


@cache
def _search_keys() -> tuple[tuple[str, ...], ...]:
    """Per government, what :func:`search` matches: name, full name, kana, full kana (worked
    out on the first search: reading codes needs none of it)."""
    return tuple(
        tuple(
            _search_key(s)
            for s in (
                gov.name,
                gov.full_name,
                gov.city_kana or gov.prefecture_kana,
                gov.prefecture_kana + gov.city_kana,
            )
        )
        for gov in _table().governments
    )


def all_governments() -> tuple[LocalGovernment, ...]:
    """Every local government of the list, in file (code) order."""
    return _table().governments


def get(code: str) -> LocalGovernment | None:
    """The government with exactly this 6-digit code, or ``None``; never raises."""
    return _table().by_code.get(code)


def search(query: str, limit: int | None = None) -> list[LocalGovernment]:
    """Governments matching ``query``: a 5/6-digit code, or part of a name or kana reading.

    Names match in kanji, hiragana or katakana (full- or half-width), with or without the
    prefecture (札幌, さっぽろ, ｻｯﾎﾟﾛ, 北海道札幌市). Exact matches come first, then prefix
    matches, then the rest, each in code order; at most ``limit`` results. A code that is
    malformed or not in the list gives ``[]`` (:func:`lookup` says why).
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be None or >= 0, got {limit}")
    text = fold(query)
    if _FIVE_OR_SIX_DIGITS.fullmatch(text):
        readings = [text] if len(text) == 6 else [text + check_digit(text), "0" + text]
        found = [g for g in (_table().by_code.get(code) for code in readings) if g is not None]
        return found[:limit]
    key = _search_key(text)
    if not key:
        return []
    exact: list[LocalGovernment] = []
    prefix: list[LocalGovernment] = []
    inside: list[LocalGovernment] = []
    for gov, keys in zip(_table().governments, _search_keys(), strict=True):
        if key in keys:
            exact.append(gov)
        elif any(k.startswith(key) for k in keys):
            prefix.append(gov)
        elif any(key in k for k in keys):
            inside.append(gov)
    return (exact + prefix + inside)[:limit]
