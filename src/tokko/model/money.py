"""Yen amounts: reading what officers type, exact arithmetic, and rounding driven by the rules.

Amounts are :class:`decimal.Decimal` holding whole yen, below :data:`MAX_YEN` (10^15 yen, a
thousand trillion: far beyond any budget, so that every product and sum of the engine stays
exact). A float never becomes an amount: a JSON number with a decimal point is refused; a
spreadsheet cell holding a whole number reaches here as an int (:mod:`tokko.io.xlsx` converts
it), a fraction as a float, refused.

:data:`EXACT` is the arithmetic of the engine: enough digits for any sum of amounts under
:data:`MAX_YEN` times a rate, and a trap on any rounding, so an inexact result is an exception,
never a silently different amount.
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from tokko.messages import Ref
from tokko.model.codes import ErrorCode
from tokko.model.problem import InvalidValue, invalid, shown
from tokko.model.text import fold

#: Rounding modes a rule file may name, mapped to the :mod:`decimal` constants.
ROUNDING_MODES: dict[str, str] = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_CEILING,
}
#: Amounts of this many yen or more are refused (INVALID_AMOUNT).
MAX_YEN = 10**15
#: The engine's arithmetic: exact, or an exception.
EXACT = decimal.Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
ZERO = Decimal(0)
#: Division before rounding (amount ÷ unit): 60 digits, far more than any quotient here needs.
_DIVIDE = decimal.Context(prec=60)

#: ASCII digits grouped by commas in threes: ``1,234,567``.
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def _refused(value: object, why: str, unit: int, **params: object) -> InvalidValue:
    return invalid(
        ErrorCode.INVALID_AMOUNT,
        why,
        value,
        shown=shown(value),
        expected=Ref("amount.expected.thousand" if unit == 1000 else "amount.expected.yen"),
        **params,
    )


def _limit(unit: int) -> Ref:
    """The largest amount refused, in the unit the column is read in: 1,000,000,000,000千円."""
    return Ref(
        "amount.limit.thousand" if unit == 1000 else "amount.limit.yen",
        {"n": f"{MAX_YEN // unit:,}"},
    )


def _whole(text: str) -> int | None:
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(text.replace(",", ""))
    return None


@lru_cache(maxsize=8192)
def _parse_text(text: str, unit: int) -> int:
    folded = fold(text)
    stated: int | None = None  # the unit the cell itself states, if any
    if folded.startswith(("¥", "\\")):  # a yen sign states yen (¥1,500 is 1,500 yen)
        folded, stated = folded[1:].lstrip(), 1
    if folded.endswith("千円"):
        folded, stated = folded[:-2].rstrip(), 1000
    elif folded.endswith("円"):
        folded, stated = folded[:-1].rstrip(), 1
    number = _whole(folded)
    if number is not None and stated is not None and stated != unit:
        # 1,200千円 read as yen (or 1,200円 read as 千円): the cell states another unit.
        raise _refused(
            text, "amount.other_unit_thousand" if stated == 1000 else "amount.other_unit_yen", unit
        )
    if number is not None:
        return number * unit
    if folded.startswith(("-", "△", "▲", "−")) or (folded.startswith("(") and folded.endswith(")")):
        raise _refused(text, "amount.negative", unit)
    if _NUMBER.fullmatch(folded) and "." in folded:
        whole, _, decimals = folded.partition(".")
        units = _whole(whole)
        if units is not None and stated is not None and stated != unit:
            why = "amount.other_unit_thousand" if stated == 1000 else "amount.other_unit_yen"
            raise _refused(text, why, unit)
        if unit == 1000 and units is not None:
            return _thousands(text, units, decimals)
        raise _refused(text, "amount.fraction", unit)
    raise _refused(text, "amount.unreadable", unit)


def _thousands(value: object, whole: int, decimals: str) -> int:
    """千円 with decimals, in yen: ``1,234.567`` 千円 is 1,234,567 yen exactly; a fraction of a
    yen (a fourth decimal that is not 0) is refused."""
    if decimals.rstrip("0")[3:]:
        raise _refused(value, "amount.fraction_of_yen", 1000)
    return whole * 1000 + int(decimals[:3].ljust(3, "0"))


def parse_yen(value: object, unit: int = 1) -> Decimal:
    """One amount cell in whole yen; ``unit=1000`` reads a 千円 column (×1,000, exactly).

    Accepts ints and text such as ``"1,234,567"``, ``"１２３４５６７"``, ``"1234567円"``,
    ``"¥1,234,567"``; refuses floats, fractions, negatives (``-5``, ``△5``), amounts of
    :data:`MAX_YEN` or more and anything else with ``INVALID_AMOUNT``. Empty values are the
    caller's business (required or default).
    """
    if isinstance(value, bool):
        raise _refused(value, "amount.unreadable", unit)
    if isinstance(value, int):
        if value < 0:
            raise _refused(value, "amount.negative", unit)
        yen = value * unit
    elif isinstance(value, str):
        if value.isdigit() and value.isascii() and len(value) <= 16:  # "1200000": the usual
            yen = int(value) * unit
        elif len(value) > 64:
            raise _refused(value, "amount.unreadable", unit)
        else:
            yen = _parse_text(value, unit)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _refused(value, "amount.fraction", unit)
        if value < 0:
            raise _refused(value, "amount.negative", unit)
        if value.adjusted() >= 18:  # before int(): 1E+999999 would be a million digits
            raise _refused(value, "amount.too_large", unit, limit=_limit(unit))
        if value != value.to_integral_value():
            if unit != 1000:
                raise _refused(value, "amount.fraction", unit)
            whole, _, decimals = format(value, "f").partition(".")
            return _checked(value, _thousands(value, int(whole), decimals), unit)
        yen = int(value) * unit
    elif isinstance(value, float):
        if unit == 1000 and math.isfinite(value) and not value.is_integer() and value > 0:
            # a spreadsheet's number in a 千円 column: the decimal it shows (its shortest
            # repr, exactly), then ×1,000 as text would be
            return _checked(value, _parse_text(repr(value), 1000), unit)
        raise _refused(value, "amount.fraction" if not value.is_integer() else "amount.float", unit)
    else:
        raise _refused(value, "amount.unreadable", unit)
    if yen >= MAX_YEN:  # (as _checked; inline: this is every amount of a batch)
        raise _refused(value, "amount.too_large", unit, limit=_limit(unit))
    return Decimal(yen)


def _checked(value: object, yen: int, unit: int) -> Decimal:
    """``yen`` as an amount, if under :data:`MAX_YEN`."""
    if yen >= MAX_YEN:
        raise _refused(value, "amount.too_large", unit, limit=_limit(unit))
    return Decimal(yen)


def round_to_unit(amount: Decimal, unit: Decimal, mode: str) -> Decimal:
    """Round ``amount`` to a multiple of ``unit`` with one of :data:`ROUNDING_MODES`."""
    steps = _DIVIDE.divide(amount, unit).quantize(Decimal(1), rounding=ROUNDING_MODES[mode])
    return EXACT.multiply(steps, unit)


def plain(amount: Decimal) -> str:
    """Decimal string without exponent or trailing fractional zeros: ``"360000"``, ``"0.25"``."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_yen(amount: Decimal) -> str:
    """``Decimal("1234567.50")`` → ``"1,234,567.5"``: thousands separators, no exponent."""
    text = plain(amount)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{frac}"
