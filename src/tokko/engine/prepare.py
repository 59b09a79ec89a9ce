"""SPEC §4 step 1: read one input row — every cell, each bad cell a problem, none stopping the
others — into the government, the fiscal year, the rule version in force and the item.

A row is what a table (CSV, XLSX) or a declaration gives: canonical field names to values as
typed, with where it came from. :func:`prepare` reads it with the readers declared on the
fields of :mod:`tokko.model.declaration`, so a CSV row and a library caller's item are held to
exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from tokko.model.codes import ErrorCode, WarningCode
from tokko.model.construct import construct
from tokko.model.declaration import ITEM_FIELDS, ExpenseItem
from tokko.model.fields import is_blank, missing, read_fields, refuse_unknown, settle
from tokko.model.fiscal_strength import parse_index
from tokko.model.fiscal_year import parse_fiscal_year
from tokko.model.localgov import LocalGovernment, read_code
from tokko.model.problem import InvalidValue, Problem, invalid, shown
from tokko.rules.ruleset import RuleSet, RuleVersion


class Row(NamedTuple):
    """One input row: canonical field names to values as typed, and where it came from."""

    data: Mapping[str, object]
    file: str | None = None
    #: The row as a spreadsheet shows it (header = 1), or the item's position in a declaration.
    number: int | None = None
    #: Problems found while reading the row (a value under no header, say).
    problems: tuple[Problem, ...] = ()
    #: The row's cells as they stood in a table (carried to the results; a row read whole
    #: carries its code, years and amounts as read: :func:`tokko.io.results.with_read`).
    cells: tuple[object, ...] | None = None


class Prepared(NamedTuple):
    """A row after step 1: its government, year, rule version, item and index, or problems."""

    entity: LocalGovernment | None
    fiscal_year: int | None
    rules: RuleVersion | None
    item: ExpenseItem | None
    #: The fiscal strength index the row gives (None: none given).
    fiscal_strength_index: Decimal | None
    problems: tuple[Problem, ...]
    #: ``CODE_LEADING_ZERO_RESTORED`` when the code had lost its leading zero.
    warnings: tuple[WarningCode, ...]
    #: The declaration (government, year) the row belongs to, as text, even when unreadable.
    group: tuple[str, str]


class _NoEntity(Exception):  # noqa: N818 — a row read without a government, on purpose
    """The row has no government and needs none."""


def raw_key(value: object) -> str:
    """A cell as text, for grouping rows whose government or year could not be read."""
    return "" if value is None else str(value).strip()


def _where(problem: Problem, row: Row, column: str) -> Problem:
    return problem.at(file=row.file, row=row.number, column=column)


def prepare(row: Row, rules: RuleSet, unit: int = 1, *, entity_required: bool = True) -> Prepared:
    """Step 1 of SPEC §4: read every cell; a bad cell is a problem, none stops the others.

    ``entity_required=False`` reads a row without a government (a one-off check): its
    government is then None, not a problem.
    """
    data = row.data
    problems: list[Problem] = [p.at(file=row.file, row=row.number) for p in row.problems]
    warnings: tuple[WarningCode, ...] = ()
    entity: LocalGovernment | None = None
    year: int | None = None
    version: RuleVersion | None = None
    code = data.get("entity_code")
    try:
        code = settle(code, lambda v: read_code(v).government.code)
        refuse_unknown(code)
        if is_blank(code):
            if entity_required:
                raise missing("entity_code")
            raise _NoEntity
        reading = read_code(code)
        entity = reading.government
        if reading.restored:
            warnings = (WarningCode.CODE_LEADING_ZERO_RESTORED,)
    except InvalidValue as error:
        problems.append(_where(error.problem, row, "entity_code"))
    except _NoEntity:
        pass
    try:
        value = settle(data.get("fiscal_year"), parse_fiscal_year)
        refuse_unknown(value)
        if is_blank(value):
            raise missing("fiscal_year")
        year = parse_fiscal_year(value)
        version = rules.for_year(year)
    except InvalidValue as error:
        problems.append(_where(error.problem, row, "fiscal_year"))
    values, item_problems = read_fields(data, ITEM_FIELDS, unit)
    problems += [p.at(file=row.file, row=row.number) for p in item_problems]
    kind = values.get("expense_kind")
    if version is not None and isinstance(kind, str):
        try:
            version.expense_kind(kind)
        except InvalidValue as error:
            problems.append(_where(error.problem, row, "expense_kind"))
    introduced = values.get("introduced_in")
    if year is not None and isinstance(introduced, int) and introduced > year:
        problems.append(
            _where(
                invalid(
                    ErrorCode.INVALID_FISCAL_YEAR,
                    "introduced_in.after",
                    introduced,
                    introduced=introduced,
                    year=year,
                ).problem,
                row,
                "introduced_in",
            )
        )
    index: Decimal | None = None
    given = data.get("fiscal_strength_index")
    if not is_blank(given):
        try:
            given = settle(given, parse_index)
            refuse_unknown(given)
            index = parse_index(given)
        except InvalidValue as error:
            problems.append(_where(error.problem, row, "fiscal_strength_index"))
    item = None
    if not item_problems:
        item = construct(ExpenseItem, **values)
    group = (
        entity.code if entity is not None else raw_key(code),
        str(year) if year is not None else raw_key(data.get("fiscal_year")),
    )
    return Prepared(entity, year, version, item, index, tuple(problems), warnings, group)


def duplicate_item(row: Row, item_id: str) -> Problem:
    """The ``DUPLICATE_ITEM_ID`` problem of a later row with an item id already used."""
    return Problem(
        ErrorCode.DUPLICATE_ITEM_ID,
        "item_id.repeated",
        {"item_id": shown(item_id)},
        item_id,
        row.file,
        row.number,
        "item_id",
    )


def index_conflict(row: Row, index: Decimal, first: Decimal) -> Problem:
    """``FISCAL_STRENGTH_INDEX_CONFLICT``: a row gives another index for its government and
    year than the one given before (the first stands)."""
    return Problem(
        ErrorCode.FISCAL_STRENGTH_INDEX_CONFLICT,
        "index.conflict",
        {"index": index, "first": first},
        index,
        row.file,
        row.number,
        "fiscal_strength_index",
    )
