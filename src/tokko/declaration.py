"""The data model of SPEC §3 as pydantic models: expense items, agreements and declarations.

The models read values with the functions of :mod:`tokko.reading` (re-exported here), so a
library caller and a CSV row are held to exactly the same rules; a bad value raises a pydantic
``ValidationError`` whose error ``type`` is the SPEC error code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from tokko.errors import FieldError
from tokko.money import ZERO
from tokko.reading import (
    AGREEMENT_FIELDS,
    DECLARATION_FIELDS,
    ITEM_FIELDS,
    ROW_FIELDS,
    AgreementFields,
    ItemFields,
    Problem,
    Procurement,
    clean_agreement,
    clean_entity,
    clean_item,
    clean_parties,
    clean_year,
    id_text,
    is_blank,
    read_procurement,
    readers,
    unknown_keys,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "DECLARATION_FIELDS",
    "ITEM_FIELDS",
    "ROW_FIELDS",
    "Agreement",
    "AgreementFields",
    "Declaration",
    "ExpenseItem",
    "ItemFields",
    "Problem",
    "Procurement",
    "clean_agreement",
    "clean_entity",
    "clean_item",
    "clean_parties",
    "clean_year",
    "id_text",
    "is_blank",
    "read_procurement",
    "readers",
    "unknown_keys",
]


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
        return agreement._asdict()


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
