"""Reading what a user typed: one cell, one item, one agreement, each bad cell a :class:`Problem`.

One mechanism used everywhere: :func:`clean_item` turns one row (a mapping from canonical field
names to what the user typed) into :class:`ItemFields` or a list of :class:`Problem` — every bad
cell of the row, each with its error code. The pydantic models of :mod:`tokko.declaration` run
the same functions, so a library caller and a CSV row are held to exactly the same rules. This
module imports no pydantic: ``tokko check`` starts without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from tokko import localgov
from tokko.columns import label
from tokko.errors import FieldError
from tokko.fiscal_year import parse_date, parse_fiscal_year
from tokko.money import ZERO, parse_yen
from tokko.text import fold

Procurement = Literal["single", "joint"]

#: Item fields in the order of the SPEC §3 table (without entity_code and fiscal_year).
ITEM_FIELDS: tuple[str, ...] = (
    "item_id",
    "description",
    "technology",
    "business_area",
    "expense_kind",
    "amount",
    "specific_revenue",
    "procurement",
    "agreement_id",
    "contract_id",
    "contract_total",
)
#: Fields of one row of a CSV or spreadsheet declaration.
ROW_FIELDS: tuple[str, ...] = ("entity_code", "fiscal_year", *ITEM_FIELDS)
AGREEMENT_FIELDS: tuple[str, ...] = ("agreement_id", "title", "concluded_on", "parties")
DECLARATION_FIELDS: tuple[str, ...] = ("entity_code", "fiscal_year", "items", "agreements")

_PROCUREMENT = {
    "single": "single", "単独": "single", "単独調達": "single", "単独発注": "single",
    "joint": "joint", "共同": "joint", "共同調達": "joint", "共同発注": "joint",
}  # fmt: skip


class Problem(NamedTuple):
    """One cell that cannot be used: its column, the error code and what was expected."""

    column: str
    code: str
    value: object
    detail_ja: str
    detail_en: str

    @classmethod
    def of(cls, column: str, value: object, error: FieldError) -> Problem:
        return cls(column, error.code, value, error.detail_ja, error.detail_en)


class ItemFields(NamedTuple):
    """One expense item after reading: canonical values, amounts in whole yen."""

    item_id: str
    description: str
    technology: str
    business_area: str
    expense_kind: str
    amount: Decimal
    specific_revenue: Decimal
    procurement: Procurement
    agreement_id: str | None
    contract_id: str | None
    contract_total: Decimal | None


class AgreementFields(NamedTuple):
    """One agreement (協定) after reading: its id, title, date concluded and parties' codes."""

    agreement_id: str
    title: str
    concluded_on: dt.date | None
    parties: tuple[str, ...]


def is_blank(value: object) -> bool:
    """None, or text that is empty once folded (full-width spaces included)."""
    return value is None or (isinstance(value, str) and not fold(value))


def _missing(column: str) -> FieldError:
    return FieldError(
        "MISSING_FIELD",
        f"「{label(column, 'ja')}」は必須です。値を入れてください",
        f"'{column}' is required; fill it in",
    )


def id_text(value: object) -> str:
    """An identifier as typed: folded (full-width → half-width); a whole float 12.0 is "12"."""
    if isinstance(value, str):
        return value.strip() if value.isascii() else fold(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet number used as an id
    return fold(str(value))


def read_procurement(value: object) -> Procurement:
    """``single``/``単独`` or ``joint``/``共同``; anything else → ``UNKNOWN_VALUE``."""
    found = _PROCUREMENT.get(fold(str(value)).casefold())
    if found is None:
        raise FieldError(
            "UNKNOWN_VALUE",
            f"「{value}」は調達方法として認識できません。single（単独）または joint（共同）が必要です",
            f"'{value}' is not a procurement method; expected single (単独) or joint (共同)",
        )
    return "joint" if found == "joint" else "single"


def _required(column: str, parse: Callable[[object], Any]) -> Callable[[object], Any]:
    def read(value: object) -> Any:
        if is_blank(value):
            raise _missing(column)
        return parse(value)

    return read


def _optional(parse: Callable[[object], Any], default: Any) -> Callable[[object], Any]:
    def read(value: object) -> Any:
        return default if is_blank(value) else parse(value)

    return read


def _readers(unit: int) -> dict[str, Callable[[object], Any]]:
    def yen(value: object) -> Decimal:
        return parse_yen(value, unit)

    return {
        "item_id": _required("item_id", id_text),
        "description": _required("description", lambda v: str(v).strip()),
        "technology": _required("technology", lambda v: str(v).strip()),
        "business_area": _optional(lambda v: str(v).strip(), ""),
        "expense_kind": _required("expense_kind", lambda v: str(v).strip()),
        "amount": _required("amount", yen),
        "specific_revenue": _optional(yen, ZERO),
        "procurement": _optional(read_procurement, "single"),
        "agreement_id": _optional(id_text, None),
        "contract_id": _optional(id_text, None),
        "contract_total": _optional(yen, None),
    }


_READERS: dict[int, dict[str, Callable[[object], Any]]] = {}


def readers(unit: int = 1) -> dict[str, Callable[[object], Any]]:
    """The reader of each item field for amounts in ``unit`` yen (1, or 1000 for 千円)."""
    found = _READERS.get(unit)
    if found is None:
        found = _READERS[unit] = _readers(unit)
    return found


def clean_item(raw: Mapping[str, object], unit: int = 1) -> tuple[ItemFields | None, list[Problem]]:
    """Read one item; every bad cell becomes a :class:`Problem`, none stops the others."""
    values: list[Any] = []
    problems: list[Problem] = []
    for field, read in readers(unit).items():
        value = raw.get(field)
        try:
            values.append(read(value))
        except FieldError as error:
            problems.append(Problem.of(field, value, error))
    if problems:
        return None, problems
    return ItemFields(*values), []


def clean_entity(value: object) -> localgov.LocalGovernment:
    """The local government of a row; blank → ``MISSING_FIELD``, else ``lookup``'s errors."""
    if is_blank(value):
        raise _missing("entity_code")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, str | int):
        value = str(value)
    return localgov.lookup(value)


def clean_year(value: object) -> int:
    """The fiscal year of a row; blank → ``MISSING_FIELD``."""
    if is_blank(value):
        raise _missing("fiscal_year")
    return parse_fiscal_year(value)


def clean_parties(value: object) -> tuple[str, ...]:
    """Agreement parties: a list, or codes separated by ``;``, ``、`` or ``,``."""
    if isinstance(value, str):
        parts: list[object] = list(fold(value).replace("、", ";").replace(",", ";").split(";"))
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = [value]
    codes = [clean_entity(p).code for p in parts if not is_blank(p)]
    if not codes:
        raise _missing("parties")
    return tuple(dict.fromkeys(codes))


def clean_agreement(
    raw: Mapping[str, object],
) -> tuple[AgreementFields | None, list[Problem]]:
    """Read one agreement; every bad cell becomes a :class:`Problem`."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    steps: dict[str, Callable[[object], object]] = {
        "agreement_id": _required("agreement_id", id_text),
        "title": _optional(lambda v: str(v).strip(), ""),
        "concluded_on": _optional(parse_date, None),
        "parties": clean_parties,
    }
    for field, read in steps.items():
        value = raw.get(field)
        try:
            values[field] = read(value)
        except FieldError as error:
            problems.append(Problem.of(field, value, error))
    if problems:
        return None, problems
    return AgreementFields(values["agreement_id"], values["title"], values["concluded_on"],
                           values["parties"]), []



def unknown_keys(data: Mapping[str, object], allowed: tuple[str, ...]) -> list[Problem]:
    """A problem (``UNKNOWN_VALUE``) for every key that names no field: nothing is dropped."""
    return [
        Problem(str(key), "UNKNOWN_VALUE", key, f"「{key}」は認識できない欄です（使える欄: "
                f"{'、'.join(allowed)}）", f"'{key}' is not a known field (known: "
                f"{', '.join(allowed)})")
        for key in data
        if key not in allowed
    ]
