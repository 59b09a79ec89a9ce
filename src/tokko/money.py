"""Yen amounts: parsing what officers type, and rounding driven by the rule file.

Amounts are :class:`decimal.Decimal` holding whole yen. A float never becomes an amount: a
JSON number written with a decimal point is refused; a spreadsheet cell holding a whole number
reaches here as an int (``tokko.io.table`` converts it), a fraction as a float, refused.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
)
from functools import lru_cache

from tokko.errors import FieldError
from tokko.text import fold

#: Rounding modes a rule file may name, mapped to the :mod:`decimal` constants.
ROUNDING_MODES: dict[str, str] = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_CEILING,
}

#: ASCII digits grouped by commas in threes: ``1,234,567``.
GROUPED_YEN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_EXPECTED_JA = "0以上の整数の円（例: 1234567、1,234,567、1234567円）"
_EXPECTED_EN = "whole yen of 0 or more (e.g. 1234567, 1,234,567, 1234567円)"
ZERO = Decimal(0)


def _invalid(value: object, why_ja: str, why_en: str) -> FieldError:
    shown = str(value)
    return FieldError(
        "INVALID_AMOUNT",
        f"「{shown}」は{why_ja}。{_EXPECTED_JA}が必要です",
        f"'{shown}' {why_en}; expected {_EXPECTED_EN}",
    )


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> int:
    folded = fold(text)
    folded = folded.removesuffix("円").rstrip()
    if folded[:1] in ("¥", "\\"):
        folded = folded[1:].lstrip()
    if folded.isascii() and folded.isdigit():
        return int(folded)
    if GROUPED_YEN.fullmatch(folded):
        return int(folded.replace(",", ""))
    if folded.startswith(("-", "△", "▲")) or (folded.startswith("(") and folded.endswith(")")):
        raise _invalid(text, "負の金額です", "is negative")
    if "." in folded:
        raise _invalid(text, "整数ではありません（小数は受け付けません）", "is not a whole number")
    raise _invalid(text, "金額として読めません", "is not an amount")


def parse_yen(value: object, unit: int = 1) -> Decimal:
    """Parse one amount cell into whole yen; ``unit=1000`` reads a 千円 column.

    Accepts ints and strings such as ``"1,234,567"``, ``"１２３４５６７"``, ``"1234567円"``;
    refuses floats, fractions, negatives and anything else with ``INVALID_AMOUNT``.
    Empty values are the caller's business (required or default).
    """
    if isinstance(value, bool):
        raise _invalid(value, "金額ではありません", "is not an amount")
    if isinstance(value, int):
        if value < 0:
            raise _invalid(value, "負の金額です", "is negative")
        return Decimal(value * unit)
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise _invalid(value, "整数ではありません", "is not a whole number")
        if value < 0:
            raise _invalid(value, "負の金額です", "is negative")
        return Decimal(int(value) * unit)
    if isinstance(value, float) and not value.is_integer():
        raise _invalid(value, "整数ではありません（小数は受け付けません）", "is not a whole number")
    if isinstance(value, float):
        raise _invalid(
            value,
            "小数（浮動小数点数）です。金額は整数か文字列で指定してください",
            "is a floating-point number; give amounts as integers or strings",
        )
    if isinstance(value, str):
        return Decimal(_parse_text(value) * unit)
    raise _invalid(value, "金額として読めません", "is not an amount")


def round_to_unit(amount: Decimal, unit: Decimal, mode: str) -> Decimal:
    """Round ``amount`` to a multiple of ``unit`` with one of :data:`ROUNDING_MODES`."""
    steps = (amount / unit).quantize(Decimal(1), rounding=ROUNDING_MODES[mode])
    return steps * unit


def format_yen(amount: Decimal) -> str:
    """``Decimal("1234567.50")`` → ``"1,234,567.5"``: thousands separators, no exponent."""
    text = plain(amount)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{grouped}{dot}{frac}"


def plain(amount: Decimal) -> str:
    """Decimal string without exponent or trailing fractional zeros: ``"360000"``, ``"0.25"``."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
