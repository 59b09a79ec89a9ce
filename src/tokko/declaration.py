"""The data model of SPEC §3: expense items, agreements and declarations, and how a row is read.

Reading is one mechanism used everywhere: :func:`clean_item` turns one row (a mapping from
canonical field names to what the user typed) into :class:`ItemFields` or a list of
:class:`Problem` — every bad cell of the row, each with its error code. The pydantic models
(:class:`ExpenseItem`, :class:`Agreement`, :class:`Declaration`) run the same functions, so a
library caller and a CSV row are held to exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

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


@dataclass(frozen=True, slots=True)
class Problem:
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


def clean_agreement(raw: Mapping[str, object]) -> tuple[Agreement | None, list[Problem]]:
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
    return Agreement.model_construct(
        agreement_id=values["agreement_id"], title=values["title"],
        concluded_on=values["concluded_on"], parties=values["parties"],
    ), []


# ── pydantic models (library API) ────────────────────────────────────────────────────────────


def _raise(title: str, problems: list[Problem]) -> None:
    raise ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError(p.code, "{detail_ja} / {detail_en}",
                                         {"detail_ja": p.detail_ja, "detail_en": p.detail_en}),
                loc=(p.column,),
                input=p.value,
            )
            for p in problems
        ],
    )


def _unit(info: ValidationInfo) -> int:
    context = info.context if isinstance(info.context, dict) else {}
    return int(context.get("unit", 1))


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


_YEN_IN = WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}],
    "description": "whole yen ≥ 0: 1234567, \"1,234,567\", \"１２３４５６７\", \"1234567円\" "
                   "(never a fractional number)",
}, mode="validation")
_TEXT_OR_NUMBER_IN = WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                    mode="validation")
Yen = Annotated[Decimal, _YEN_IN]


class ExpenseItem(_Model):
    """One expense item of a declaration, validated (SPEC §3). Amounts are whole yen.

    Accepts the spellings of the SPEC (``"1,234,567"``, ``"共同"``…); a bad value raises a
    pydantic ``ValidationError`` whose error ``type`` is the SPEC error code.
    """

    item_id: Annotated[str, _TEXT_OR_NUMBER_IN]
    description: str
    technology: Annotated[str, Field(description="AI, RPA or AI+RPA (AI-OCR is AI); other "
                                                 "technologies are valid but excluded")]
    business_area: str = ""
    expense_kind: Annotated[str, Field(description="introduction 導入・構築, license "
                                                   "利用料・ライセンス料, training 研修, consulting "
                                                   "業務分析・コンサルティング, hardware 機器購入, "
                                                   "personnel 人件費, other その他")]
    amount: Yen
    specific_revenue: Yen = ZERO
    procurement: Annotated[Procurement, WithJsonSchema(
        {"type": "string", "enum": ["single", "joint", "単独", "共同", "単独調達", "共同調達"]},
        mode="validation")] = "single"
    agreement_id: str | None = None
    contract_id: str | None = None
    contract_total: Yen | None = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: object, info: ValidationInfo) -> object:
        if not isinstance(data, Mapping):
            return data
        fields, problems = clean_item(data, _unit(info))
        problems += unknown_keys(data, ITEM_FIELDS)
        if problems or fields is None:
            _raise(cls.__name__, problems)
        assert fields is not None
        return fields._asdict()


class Agreement(_Model):
    """An agreement (協定) for joint procurement: its id, title, date concluded and parties."""

    agreement_id: str
    title: str = ""
    concluded_on: Annotated[dt.date | None, WithJsonSchema(
        {"anyOf": [{"type": "string", "description": "2021-05-10, 2021/5/10 or 令和3年5月10日"},
                   {"type": "null"}]}, mode="validation")] = None
    parties: Annotated[tuple[str, ...], WithJsonSchema(
        {"anyOf": [{"type": "array", "items": {"type": "string"}},
                   {"type": "string", "description": "codes separated by ; or 、"}]},
        mode="validation")]

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: object) -> object:
        if not isinstance(data, Mapping):
            return data
        agreement, problems = clean_agreement(data)
        problems += unknown_keys(data, AGREEMENT_FIELDS)
        if problems or agreement is None:
            _raise(cls.__name__, problems)
        assert agreement is not None
        return dict(agreement)


class Declaration(_Model):
    """One local government's items for one fiscal year (SPEC §3, declaration JSON)."""

    entity_code: Annotated[str, _TEXT_OR_NUMBER_IN, Field(
        description="全国地方公共団体コード: 6 digits with check digit, or 5 digits")]
    fiscal_year: Annotated[int, WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string"}],
         "description": "2021, 2021年度, R3, 令和3年度, 令和元年度, H31…"}, mode="validation")]
    items: tuple[ExpenseItem, ...] = ()
    agreements: tuple[Agreement, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: object) -> object:
        if not isinstance(data, Mapping):
            return data
        problems = unknown_keys(data, DECLARATION_FIELDS)
        out = dict(data)
        for field, read in (("entity_code", lambda v: clean_entity(v).code),
                            ("fiscal_year", clean_year)):
            try:
                out[field] = read(data.get(field))
            except FieldError as error:
                problems.append(Problem.of(field, data.get(field), error))
        if problems:
            _raise(cls.__name__, problems)
        return out


def unknown_keys(data: Mapping[str, object], allowed: tuple[str, ...]) -> list[Problem]:
    """A problem (``UNKNOWN_VALUE``) for every key that names no field: nothing is dropped."""
    return [
        Problem(str(key), "UNKNOWN_VALUE", key, f"「{key}」は認識できない欄です（使える欄: "
                f"{'、'.join(allowed)}）", f"'{key}' is not a known field (known: "
                f"{', '.join(allowed)})")
        for key in data
        if key not in allowed
    ]
