"""The fiscal strength index (財政力指数): computing it as the ordinance does, and reading it.

- :func:`fiscal_strength_index` computes the index from three years' 基準財政収入額 and
  基準財政需要額 as 特別交付税に関する省令 第2条 defines it: each year's ratio rounded half up to
  2 decimals; their sum ÷ 3, rounded half up to 2 decimals again.
- :func:`parse_index` reads an index as a user typed it (``0.45``, ``０．４５``, a cell's 0.45).

The multiplier table that turns an index into a multiplier is rule data
(:mod:`tokko.rules.fiscal_strength`). Exact decimals throughout: a float never takes part in a
computation (a spreadsheet float is read through its shortest decimal spelling, ``repr``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)

from tokko.messages import Ref
from tokko.model.codes import ErrorCode
from tokko.model.problem import InvalidValue, invalid, shown
from tokko.model.text import fold

#: The grid every index lies on: the ordinance rounds the index to 2 decimals.
HUNDREDTH = Decimal("0.01")
_YEARS = 3  # 省令第2条: the three preceding fiscal years
_INDEX_TEXT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: Any rounding, overflow or division by zero in the exact computation is a bug, never a result.
_TRAPS = [InvalidOperation, DivisionByZero, Overflow, Inexact]


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` needs (trailing zeros do not count): ``0.450`` → 2."""
    digits, exponent = value.as_tuple()[1:]
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(-(exponent + trailing), 0) if any(digits) else 0


def _width(value: Decimal) -> int:
    """How many digit places ``value`` spans, from its first digit or the units to its last."""
    digits, exponent = value.as_tuple()[1:]
    assert isinstance(exponent, int)
    return max(len(digits) + exponent, 1) + max(-exponent, 0)


def _figures(values: Sequence[Decimal | int], what: str, *, positive: bool) -> list[Decimal]:
    if len(values) != _YEARS:
        raise invalid(
            ErrorCode.INVALID_AMOUNT,
            "index.three_years",
            len(values),
            what=Ref(what),
            n=len(values),
        )
    out = []
    for year, value in enumerate(values, start=1):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | Decimal)
            or (isinstance(value, Decimal) and not value.is_finite())
        ):
            raise invalid(
                ErrorCode.INVALID_AMOUNT,
                "index.figure",
                value,
                what=Ref(what),
                year=year,
                shown=shown(value),
            )
        number = Decimal(value)
        if number < 0 or (positive and number == 0):
            raise invalid(
                ErrorCode.INVALID_AMOUNT,
                "index.demand_positive" if positive else "index.revenue_negative",
                value,
                what=Ref(what),
                year=year,
                shown=shown(value),
            )
        out.append(number)
    return out


def _divide_half_up(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` rounded half up to a whole number, exactly (both ≥ 0): the
    exact remainder alone decides the rounding, so no digit is rounded twice."""
    quotient, remainder = divmod(numerator, denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient


def fiscal_strength_index(
    revenues: Sequence[Decimal | int], demands: Sequence[Decimal | int]
) -> Decimal:
    """The fiscal strength index (財政力指数) of 特別交付税に関する省令 第2条.

    ``revenues`` and ``demands`` are 基準財政収入額 and 基準財政需要額 of the three preceding
    fiscal years (same order, same unit). Each year's ratio is rounded half up to 2 decimals;
    the three are summed and divided by 3, rounded half up to 2 decimals again::

        >>> fiscal_strength_index([45_000, 46_000, 44_000], [100_000, 100_000, 100_000])
        Decimal('0.45')

    Raises :class:`~tokko.model.problem.InvalidValue` (a ``ValueError``) when a year is
    missing, a demand is not above 0, a revenue is negative or a value is a float.
    """
    # Each year in hundredths (an integer), then their mean in hundredths.
    yearly = _hundredths(revenues, demands)
    with localcontext(Context(prec=max(_width(y) for y in yearly) + 8, traps=_TRAPS)):
        return _divide_half_up(sum(yearly, Decimal(0)), Decimal(_YEARS)).scaleb(-2)


def year_ratios(
    revenues: Sequence[Decimal | int], demands: Sequence[Decimal | int]
) -> list[Decimal]:
    """Each year's 基準財政収入額 ÷ 基準財政需要額, rounded half up to 2 decimals (the first
    rounding of :func:`fiscal_strength_index`)."""
    return [y.scaleb(-2) for y in _hundredths(revenues, demands)]


def _hundredths(
    revenues: Sequence[Decimal | int], demands: Sequence[Decimal | int]
) -> list[Decimal]:
    """Each year's ratio in hundredths, rounded half up: an exact integer."""
    revenue = _figures(revenues, "index.revenue", positive=False)
    demand = _figures(demands, "index.demand", positive=True)
    width = max(_width(v) for v in (*revenue, *demand))
    with localcontext(Context(prec=2 * width + 16, traps=_TRAPS)):
        return [_divide_half_up(r * 100, d) for r, d in zip(revenue, demand, strict=True)]


def index_text(index: Decimal) -> str:
    """An index as the ordinance writes it, on the hundredth grid: ``0.4`` → ``"0.40"``."""
    return format(index.quantize(HUNDREDTH, context=Context(prec=_width(index) + 3)), "f")


def _not_an_index(value: object, why: str) -> InvalidValue:
    return invalid(ErrorCode.INVALID_FISCAL_STRENGTH_INDEX, why, value, shown=shown(value))


def parse_index(value: object) -> Decimal:
    """An index as typed: ``"0.45"``, ``"０．４５"``, ``1``, a spreadsheet cell's ``0.45``.

    ≥ 0 with at most 2 decimals (trailing zeros accepted); returned on the hundredth grid
    (``Decimal("0.45")``, ``Decimal("1.00")``). Anything else → ``INVALID_FISCAL_STRENGTH_INDEX``.
    """
    number: Decimal
    if isinstance(value, bool):
        raise _not_an_index(value, "index.not_number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _not_an_index(value, "index.not_number")
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _not_an_index(value, "index.not_number")
        number = value
    elif isinstance(value, str):
        text = fold(value).replace(" ", "")
        if text.startswith(("-", "−", "△", "▲")) and _INDEX_TEXT.fullmatch(text[1:]):
            raise _not_an_index(value, "index.negative")
        if len(text) > 32 or not _INDEX_TEXT.fullmatch(text):
            raise _not_an_index(value, "index.not_number")
        number = Decimal(text)
    else:
        raise _not_an_index(value, "index.not_number")
    if number < 0:
        raise _not_an_index(value, "index.negative")
    if decimals(number) > 2:
        raise _not_an_index(value, "index.decimals")
    return number.quantize(HUNDREDTH, context=Context(prec=_width(number) + 3)).copy_abs()
