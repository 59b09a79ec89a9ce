"""Local governments (地方公共団体): JIS X 0402 codes, names, kinds, look-up and search.

The list is the ministry's 全国地方公共団体コード, shipped as package data
(``tokko/data/local_government_codes.csv``; provenance and the kind rules in
``tokko/data/README.md``). It is read once, on first use, never at import time.
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

from tokko.errors import FieldError
from tokko.text import fold, to_katakana

__all__ = [
    "Kind",
    "LocalGovernment",
    "all_governments",
    "check_digit",
    "get",
    "lookup",
    "normalize_code",
    "search",
]

_DATA_FILE = "local_government_codes.csv"
_COLUMNS = ("code", "prefecture", "city", "prefecture_kana", "city_kana")
_WEIGHTS = (6, 5, 4, 3, 2)
_TOKYO = "13"
_PREFECTURES = range(1, 48)

_FIVE_OR_SIX_DIGITS = re.compile(r"[0-9]{5,6}")  # ASCII only: NFKC leaves e.g. ١٢٣ alone
_DIGITS = re.compile(r"[0-9]+")
_MAX_SHOWN = 24

_EXPECTED_JA = "6桁（検査数字つき）または5桁の数字が必要です"
_EXPECTED_EN = "expected 6 digits with a valid check digit, or 5 digits"


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


# --- codes -------------------------------------------------------------------------------------


def check_digit(five_digits: str) -> str:
    """The JIS X 0402 check digit of a 5-digit code: ``"01100"`` → ``"2"``."""
    if len(five_digits) != 5 or not _DIGITS.fullmatch(five_digits):
        raise ValueError(f"check_digit needs 5 ASCII digits, got {five_digits!r}")
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, five_digits, strict=True))
    return str((11 - total % 11) % 10)


def _shown(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def _invalid_text(text: str) -> FieldError:
    if not text:
        return FieldError(
            "INVALID_CODE",
            f"団体コードが空です。{_EXPECTED_JA}",
            f"the local government code is empty; {_EXPECTED_EN}",
        )
    if _DIGITS.fullmatch(text):
        found_ja, found_en = f"{len(text)}桁", f"{len(text)} digits"
    else:
        others = "".join(dict.fromkeys(ch for ch in text if not "0" <= ch <= "9"))
        found_ja = f"数字以外の文字「{_shown(others)}」を含む"
        found_en = f"contains non-digits {_shown(others)!r}"
    return FieldError(
        "INVALID_CODE",
        f"「{_shown(text)}」（{found_ja}）は団体コードとして読めません。{_EXPECTED_JA}",
        f"'{_shown(text)}' ({found_en}) is not a local government code; {_EXPECTED_EN}",
    )


def _verified(code: str, what_ja: str, what_en: str) -> str:
    expected = check_digit(code[:5])
    if code[5] == expected:
        return code
    right = code[:5] + expected
    raise FieldError(
        "INVALID_CODE",
        f"{what_ja}の検査数字（6桁目）{code[5]}が違います。「{code[:5]}」の検査数字は{expected}です"
        f"（{right}）。前の5桁も確かめてください",
        f"{what_en} has a wrong check digit {code[5]}: the check digit of {code[:5]} is "
        f"{expected} ({right}); check the first five digits too",
    )


def normalize_code(value: str | int) -> str:
    """The 6-digit code (with check digit) that ``value`` spells, or ``INVALID_CODE``.

    Text is folded (full-width digits, surrounding blanks); 6 digits must carry the right check
    digit, 5 digits get it appended. An ``int`` is a number that lost its leading zero (a
    spreadsheet or JSON cell): it is zero-padded to 6 digits and verified, never read as 5 digits.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        kind = type(value).__name__
        raise FieldError(
            "INVALID_CODE",
            f"{kind}型の値 {value!r} は団体コードとして読めません。{_EXPECTED_JA}",
            f"{value!r} ({kind}) is not a local government code; {_EXPECTED_EN}",
        )
    if isinstance(value, int):
        if not 0 <= value <= 999_999:
            raise FieldError(
                "INVALID_CODE",
                f"数値 {value} は団体コードとして読めません（0〜999999の範囲外）。{_EXPECTED_JA}",
                f"the number {value} is not a local government code (outside 0–999999); "
                f"{_EXPECTED_EN}",
            )
        code = f"{value:06d}"
        return _verified(
            code,
            f"数値 {value}（先頭を0で補って{code}）",
            f"the number {value} (zero-padded to {code})",
        )
    text = fold(value)
    if not _FIVE_OR_SIX_DIGITS.fullmatch(text):
        raise _invalid_text(text)
    if len(text) == 5:
        return text + check_digit(text)
    return _verified(text, f"団体コード「{text}」", f"the code {text}")


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
    text = (Path(__file__).parent / "data" / _DATA_FILE).read_bytes().decode("utf-8")
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
        tuple(_search_key(s) for s in (gov.name, gov.full_name,
                                       gov.city_kana or gov.prefecture_kana,
                                       gov.prefecture_kana + gov.city_kana))
        for gov in _table().governments
    )


def all_governments() -> tuple[LocalGovernment, ...]:
    """Every local government of the list, in file (code) order."""
    return _table().governments


def get(code: str) -> LocalGovernment | None:
    """The government with exactly this 6-digit code, or ``None``; never raises."""
    return _table().by_code.get(code)


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


def _unknown(code: str) -> FieldError:
    hint_ja = hint_en = ""
    if int(code[:2]) not in _PREFECTURES:
        hint_ja, hint_en = "。都道府県の部分は01〜47です", "; the prefecture part runs 01–47"
    elif (city := _ward_city(code)) is not None:
        hint_ja = (
            f"。{city.name}の区（行政区）のコードかもしれません。行政区は別の団体ではないので、"
            f"{city.name}のコード{city.code}を使ってください"
        )
        hint_en = (
            f"; it may be a ward (行政区) of {city.name}, which is not a separate local "
            f"government: use {city.name}'s code {city.code}"
        )
    return FieldError(
        "UNKNOWN_ENTITY",
        f"団体コード{code}の地方公共団体は、全国地方公共団体コード（総務省）の一覧にありません{hint_ja}",
        f"no local government has the code {code} in the 全国地方公共団体コード list "
        f"(総務省){hint_en}",
    )


def _find(code: str) -> LocalGovernment:
    gov = _table().by_code.get(code)
    if gov is None:
        raise _unknown(code)
    return gov


@lru_cache(maxsize=65536, typed=True)
def _lookup_cached(value: str | int) -> LocalGovernment:
    return _find(normalize_code(value))


def lookup(value: str | int) -> LocalGovernment:
    """The government ``value`` names (see :func:`normalize_code`); ``INVALID_CODE`` or
    ``UNKNOWN_ENTITY`` otherwise. Cached per distinct value (and type), so cheap to repeat."""
    if not isinstance(value, str | int):  # e.g. unhashable: same error, no cache
        return _find(normalize_code(value))
    return _lookup_cached(value)


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
        try:
            return [lookup(text)][:limit]
        except FieldError:
            return []
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
