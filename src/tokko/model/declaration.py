"""What tokko reads (SPEC §3): an expense item, an agreement, a declaration — declared once.

These pydantic models are the declaration of the input's fields: each field's annotation carries
its :class:`~tokko.model.fields.Spec` (how it is read, the headers it answers to, its flag), and
headers, JSON keys, the template, the flags of ``tokko check`` and the JSON Schema are derived
from them. A library caller and a CSV row are held to exactly the same readers: a bad value
raises a pydantic ``ValidationError`` whose error ``type`` is the SPEC §4 error code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from tokko.messages import t
from tokko.model.fields import (
    Procurement,
    Spec,
    fields_of,
    read_date,
    read_entity,
    read_fields,
    read_id,
    read_index,
    read_parties,
    read_procurement,
    read_text,
    read_year,
    read_yen,
)
from tokko.model.money import ZERO
from tokko.model.problem import Problem


def _help(name: str) -> str:
    return t(f"help.{name}", "en")


_YEN_IN = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]}
_TEXT_OR_NUMBER = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
_YEAR_IN = {"anyOf": [{"type": "integer"}, {"type": "string"}]}


def _schema(shape: dict[str, Any], name: str) -> WithJsonSchema:
    return WithJsonSchema({**shape, "description": _help(name)}, mode="validation")


def raise_problems(title: str, problems: list[Problem]) -> None:
    """Raise pydantic's ValidationError with one error per problem, its type the SPEC code."""
    raise ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError(
                    str(p.code),
                    "{message}",
                    {"message": p.message("en"), "message_ja": p.message("ja")},
                ),
                loc=(p.column,) if p.column else (),
                input=p.value,
            )
            for p in problems
        ],
    )


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ExpenseItem(_Model):
    """One expense item of a declaration, read and validated (SPEC §3). Amounts are whole yen.

    Accepts the spellings of the SPEC (``"1,234,567"``, ``"共同"``, ``"R3"``…); a bad value
    raises a pydantic ``ValidationError`` whose error ``type`` is the SPEC error code.
    """

    item_id: Annotated[
        str,
        Spec(read_id, aliases=("番号", "項番", "item"), example="1"),
        _schema(_TEXT_OR_NUMBER, "item_id"),
    ]
    description: Annotated[
        str,
        Spec(read_text, aliases=("事業の名称", "内容"), example="AI-OCRによる申請書の読取"),
        Field(description=_help("description")),
    ]
    technology: Annotated[
        str,
        Spec(
            read_text,
            aliases=("技術区分", "技術"),
            flag="--technology",
            short="-t",
            vocabulary="technologies",
            example="AI",
        ),
        Field(description=_help("technology")),
    ]
    business_area: Annotated[
        str,
        Spec(
            read_text,
            aliases=("業務", "対象事務"),
            flag="--business-area",
            short="-b",
            vocabulary="businesses",
            example="会計事務",
        ),
        Field(description=_help("business_area")),
    ] = ""
    expense_kind: Annotated[
        str,
        Spec(
            read_text,
            aliases=("経費の区分", "経費種別"),
            flag="--expense-kind",
            short="-k",
            vocabulary="expense_kinds",
            example="導入・構築",
        ),
        Field(description=_help("expense_kind")),
    ]
    amount: Annotated[
        Decimal,
        Spec(
            read_yen,
            aliases=("金額", "経費", "対象経費"),
            hints=("金額", "費用", "経費", "予算", "決算", "cost"),
            flag="--amount",
            short="-a",
            example="1,200,000",
        ),
        _schema(_YEN_IN, "amount"),
    ]
    specific_revenue: Annotated[
        Decimal,
        Spec(
            read_yen,
            aliases=("特定財源額",),
            hints=(
                "補助",
                "交付金",
                "支出金",
                "負担金",
                "国庫",
                "県費",
                "財源",
                "revenue",
                "subsid",
                "grant",
            ),
            flag="--specific-revenue",
            example="0",
        ),
        _schema(_YEN_IN, "specific_revenue"),
    ] = ZERO
    procurement: Annotated[
        Procurement,
        Spec(
            read_procurement,
            aliases=("調達区分",),
            hints=("調達", "発注", "契約方法"),
            vocabulary="procurement",
            example="単独",
        ),
        WithJsonSchema(
            {
                "type": "string",
                "description": _help("procurement"),
                "enum": [
                    "single",
                    "joint",
                    "単独",
                    "共同",
                    "単独調達",
                    "共同調達",
                    "単独発注",
                    "共同発注",
                ],
            },
            mode="validation",
        ),
    ] = "single"
    agreement_id: Annotated[
        str | None,
        Spec(read_id, aliases=("協定id",), hints=("協定",), example="北海道-AI-2021-01"),
        Field(description=_help("agreement_id")),
    ] = None
    contract_id: Annotated[
        str | None,
        Spec(read_id, aliases=("契約id",), hints=("契約",), example="C-2021-001"),
        Field(description=_help("contract_id")),
    ] = None
    contract_total: Annotated[
        Decimal | None,
        Spec(read_yen, aliases=("契約金額",), hints=("総額",), example="3,000,000"),
        WithJsonSchema(
            {
                "anyOf": [*_YEN_IN["anyOf"], {"type": "null"}],
                "description": _help("contract_total"),
            },
            mode="validation",
        ),
    ] = None
    introduced_in: Annotated[
        int | None,
        Spec(
            read_year,
            aliases=("導入した年度", "導入年"),
            hints=("導入",),
            flag="--introduced-in",
            example="R3",
        ),
        WithJsonSchema(
            {
                "anyOf": [*_YEAR_IN["anyOf"], {"type": "null"}],
                "description": _help("introduced_in"),
            },
            mode="validation",
        ),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: object) -> object:
        if not isinstance(data, Mapping):
            return data
        values, problems = read_fields(data, ITEM_FIELDS)
        problems += unknown_keys(data, ITEM_FIELDS)
        if problems:
            raise_problems(cls.__name__, problems)
        return values


class Agreement(_Model):
    """An agreement (協定) for joint procurement: its id, title, date concluded and parties."""

    agreement_id: Annotated[
        str,
        Spec(read_id, aliases=("協定id",), example="北海道-AI-2021-01"),
        Field(description=_help("agreement_id")),
    ]
    title: Annotated[
        str,
        Spec(read_text, aliases=("名称",), example="AI-OCRの共同利用に関する協定"),
        Field(description=_help("title")),
    ] = ""
    concluded_on: Annotated[
        dt.date | None,
        Spec(read_date, aliases=("協定締結日",), example="2021-06-01"),
        WithJsonSchema(
            {"anyOf": [{"type": "string"}, {"type": "null"}], "description": _help("concluded_on")},
            mode="validation",
        ),
    ] = None
    parties: Annotated[
        tuple[str, ...],
        Spec(read_parties, aliases=("構成団体コード", "参加団体"), example="010006;011002"),
        WithJsonSchema(
            {
                "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
                "description": _help("parties"),
            },
            mode="validation",
        ),
    ]

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: object) -> object:
        if not isinstance(data, Mapping):
            return data
        values, problems = read_fields(data, AGREEMENT_FIELDS)
        problems += unknown_keys(data, AGREEMENT_FIELDS)
        if problems:
            raise_problems(cls.__name__, problems)
        return values


class Declaration(_Model):
    """One local government's items for one fiscal year (SPEC §3, declaration JSON)."""

    entity_code: Annotated[
        str,
        Spec(
            read_entity,
            aliases=("団体番号", "地方公共団体コード"),
            hints=("コード", "団体"),
            flag="--entity",
            short="-e",
            example="013951",
        ),
        _schema(_TEXT_OR_NUMBER, "entity_code"),
    ]
    fiscal_year: Annotated[
        int,
        Spec(
            read_year,
            aliases=("会計年度",),
            hints=("年度",),
            flag="--fiscal-year",
            short="-y",
            example="令和5年度",
        ),
        _schema(_YEAR_IN, "fiscal_year"),
    ]
    fiscal_strength_index: Annotated[
        Decimal | None,
        Spec(
            read_index,
            aliases=("財政力", "index"),
            hints=("財政力",),
            flag="--fiscal-strength-index",
            example="0.45",
        ),
        WithJsonSchema(
            {
                "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}],
                "description": _help("fiscal_strength_index"),
            },
            mode="validation",
        ),
    ] = None
    items: tuple[ExpenseItem, ...] = ()
    agreements: tuple[Agreement, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: object) -> object:
        if not isinstance(data, Mapping):
            return data
        values, problems = read_fields(data, DECLARATION_FIELDS)
        problems += unknown_keys(data, DECLARATION_FIELDS, ("items", "agreements"))
        if problems:
            raise_problems(cls.__name__, problems)
        return {**data, **values}


#: The fields of an item, of an agreement, and of a declaration's own (government, year, index).
ITEM_FIELDS = fields_of(ExpenseItem)
AGREEMENT_FIELDS = fields_of(Agreement)
DECLARATION_FIELDS = fields_of(Declaration)
#: The fields of one row of a table: the declaration's own, then the item's (SPEC §3's table).
ROW_FIELDS = (*DECLARATION_FIELDS[:2], *ITEM_FIELDS, DECLARATION_FIELDS[2])


def unknown_keys(
    data: Mapping[Any, object], fields: tuple[Any, ...], more: tuple[str, ...] = ()
) -> list[Problem]:
    """An ``UNKNOWN_COLUMN`` problem for every key that names no field (nothing is dropped)."""
    from tokko.model.codes import ErrorCode

    known = {f.name for f in fields} | set(more)
    return [
        Problem(
            ErrorCode.UNKNOWN_COLUMN, "column.unknown_key", {"key": str(key)}, key, column=str(key)
        )
        for key in data
        if key not in known
    ]
