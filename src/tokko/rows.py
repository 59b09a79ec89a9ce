"""Rows: what the engine reads — one input row, where it came from, and how it is read.

:func:`prepare` is step 1 of SPEC §4 (every cell read, every bad cell a problem, none stopping
the others); :func:`read_declaration` turns a declaration (JSON or model) into rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from tokko.audit import ItemIds
from tokko.columns import ITEM_COLUMNS, read_header
from tokko.errors import FieldError
from tokko.explanation import problem_message
from tokko.localgov import LocalGovernment
from tokko.reading import (
    AGREEMENT_FIELDS,
    DECLARATION_FIELDS,
    AgreementFields,
    ItemFields,
    Problem,
    clean_agreement,
    clean_entity,
    clean_item,
    clean_year,
    is_blank,
    readers,
    unknown_keys,
)
from tokko.ruleset import RuleSet, RuleVersion

if TYPE_CHECKING:
    from tokko.declaration import Declaration
    from tokko.result import RowError


class Row(NamedTuple):
    """One input row: canonical field names to values, and where it came from."""

    data: Mapping[str, object]
    file: str | None = None
    number: int | None = None
    #: Problems found while reading the row (an unknown key in a JSON item, say).
    problems: tuple[Problem, ...] = ()


class Prepared(NamedTuple):
    """A row after reading: its government, year, rule version and item, or its problems."""

    entity: LocalGovernment | None
    fiscal_year: int | None
    rules: RuleVersion | None
    item: ItemFields | None
    problems: tuple[Problem, ...]
    #: How the row is grouped into a declaration even when its code or year is bad.
    group: tuple[str, str]


def raw_key(value: object) -> str:
    """A cell as text for grouping rows whose government or year could not be read."""
    return "" if value is None else str(value).strip()


def prepare(row: Row, rules: RuleSet, unit: int, item_ids: ItemIds) -> Prepared:
    """Step 1 of SPEC §4: read every cell; a bad cell is a problem, none stops the others."""
    data = row.data
    problems: list[Problem] = list(row.problems)
    entity: LocalGovernment | None = None
    year: int | None = None
    version: RuleVersion | None = None
    try:
        entity = clean_entity(data.get("entity_code"))
    except FieldError as error:
        problems.append(Problem.of("entity_code", data.get("entity_code"), error))
    try:
        year = clean_year(data.get("fiscal_year"))
        version = rules.for_year(year)
    except FieldError as error:
        problems.append(Problem.of("fiscal_year", data.get("fiscal_year"), error))
    item, item_problems = clean_item(data, unit)
    problems.extend(item_problems)
    kind = data.get("expense_kind")
    if version is not None and not is_blank(kind):
        try:
            version.expense_kind(str(kind))
        except FieldError as error:
            problems.append(Problem.of("expense_kind", kind, error))
    if entity is not None and year is not None:
        try:
            item_id = item.item_id if item is not None else readers(unit)["item_id"](
                data.get("item_id")
            )
        except FieldError:
            item_id = None
        if item_id is not None and not item_ids.claim((entity.code, year, item_id)):
            problems.append(Problem(
                "item_id", "DUPLICATE_ITEM_ID", item_id,
                f"項目番号「{item_id}」は同じ団体・年度の前の行で使われています",
                f"item number '{item_id}' is already used by an earlier row of this "
                "government and year",
            ))
    group = (
        entity.code if entity is not None else raw_key(data.get("entity_code")),
        str(year) if year is not None else raw_key(data.get("fiscal_year")),
    )
    return Prepared(entity, year, version, item, tuple(problems), group)


def _item_fields(item: Mapping[str, object]) -> tuple[dict[str, object], tuple[Problem, ...]]:
    """Map an item's keys (English or Japanese) to fields; an unknown key is a problem, not lost."""
    data: dict[str, object] = {}
    problems = []
    for key, value in item.items():
        header = read_header(str(key), ITEM_COLUMNS)
        if header.field is None or header.field in ("entity_code", "fiscal_year"):
            problems.append(Problem(str(key), "UNKNOWN_VALUE", key,
                                    f"「{key}」は項目の欄ではありません",
                                    f"'{key}' is not a field of an item"))
        else:
            data[header.field] = value
    return data, tuple(problems)


def read_declaration(
    declaration: Declaration | Mapping[str, Any], file: str | None = None
) -> tuple[list[Row], list[AgreementFields], list[RowError]]:
    """The rows and agreements of a declaration, and what could not be read of it.

    Nothing is dropped: an unknown key, an agreement that cannot be read or a repeated
    agreement number becomes an error of the result.
    """
    from tokko.declaration import Agreement, Declaration
    from tokko.result import RowError

    if isinstance(declaration, Declaration):
        data: Mapping[str, Any] = declaration.model_dump()
    else:
        data = declaration
    errors = [
        RowError(file=file, column=p.column, code=p.code, message=problem_message(p))
        for p in unknown_keys(data, DECLARATION_FIELDS)
    ]
    agreements: dict[str, AgreementFields] = {}
    for index, raw in enumerate(data.get("agreements") or (), start=1):
        if isinstance(raw, Agreement):
            agreement: AgreementFields | None = AgreementFields(
                raw.agreement_id, raw.title, raw.concluded_on, raw.parties)
            problems: list[Problem] = []
        else:
            fields = raw if isinstance(raw, Mapping) else {}
            agreement, problems = clean_agreement(fields)
            problems += unknown_keys(fields, AGREEMENT_FIELDS)
        if agreement is not None and agreement.agreement_id in agreements:
            problems.append(Problem(
                "agreement_id", "DUPLICATE_ITEM_ID", agreement.agreement_id,
                f"協定番号「{agreement.agreement_id}」が前の協定と重複しています（先の協定を採用）",
                f"agreement '{agreement.agreement_id}' repeats an earlier one (the first stands)",
            ))
        elif agreement is not None and not problems:
            agreements[agreement.agreement_id] = agreement
        errors.extend(
            RowError(file=file, row=index, column=f"agreements.{p.column}", code=p.code,
                     message=problem_message(p))
            for p in problems
        )
    items = data.get("items")
    if not isinstance(items, list | tuple):
        problem = Problem("items", "MISSING_FIELD", None, "項目（items）の一覧がありません",
                          "the declaration has no list of items")
        errors.append(RowError(file=file, column="items", code=problem.code,
                               message=problem_message(problem)))
        items = []
    rows = []
    for number, item in enumerate(items, start=1):
        fields, key_problems = _item_fields(item if isinstance(item, Mapping) else {})
        rows.append(Row({**fields, "entity_code": data.get("entity_code"),
                         "fiscal_year": data.get("fiscal_year")}, file, number, key_problems))
    return rows, list(agreements.values()), errors
