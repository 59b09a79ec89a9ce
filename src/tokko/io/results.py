"""The result files of SPEC §6: results (the input columns, then what became of each row), the
summary per government and year, and the errors — as CSV for programs, or one workbook.

The same cells serve ``tokko calc --format csv|xlsx`` and ``tokko batch``: :func:`result_cells`,
:func:`summary_cells`, :func:`error_cells`. Input columns are carried through under their
canonical English name where they name a field, under their own header otherwise (an unknown
column is never dropped). A row that was read carries its code, years, amounts and index as
tokko read them (:func:`with_read`: ``041009`` for ``41009``, ``2023`` for ``令和5年度``,
``1980000`` for ``1,980,000`` or for ``1,980`` 千円): plain numbers for programs, typed cells
for people, the same values the amounts were computed from. A row in error keeps its cells as
typed, so that the reviewer sees what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from tokko.engine.prepare import Prepared
from tokko.engine.steps import Outcome
from tokko.engine.totals import Adjustment, Tally, totals
from tokko.messages import Lang
from tokko.model.fields import is_blank
from tokko.model.fiscal_strength import index_text
from tokko.model.money import plain
from tokko.model.problem import Problem
from tokko.rules.ruleset import RuleVersion

#: The input fields a row that was read carries as read (:func:`with_read`).
READ_FIELDS = (
    "entity_code",
    "fiscal_year",
    "amount",
    "specific_revenue",
    "contract_total",
    "introduced_in",
    "fiscal_strength_index",
)
#: What a row was read as: field → value (a code, a year, yen, an index); absent or None: as typed.
Read = dict[str, object]


def read_of(prepared: Prepared, data: Mapping[str, object]) -> Read:
    """What step 1 read of a row (``data``, its fields as typed). A row in error carries its
    government and fiscal year as read when they could be (so that the results group as the
    summary does), its other cells as typed; a field left blank reads as nothing (a blank
    specific revenue is 0 yen, but nothing was typed there)."""
    item = prepared.item
    if item is None or prepared.problems or prepared.entity is None:
        return {
            "entity_code": prepared.entity.code if prepared.entity is not None else None,
            "fiscal_year": prepared.fiscal_year,
        }
    revenue = None if is_blank(data.get("specific_revenue")) else item.specific_revenue
    return {
        "entity_code": prepared.entity.code,
        "fiscal_year": prepared.fiscal_year,
        "amount": item.amount,
        "specific_revenue": revenue,
        "contract_total": item.contract_total,
        "introduced_in": item.introduced_in,
        "fiscal_strength_index": prepared.fiscal_strength_index,
    }


def read_positions(names: Sequence[str]) -> list[tuple[int, str]]:
    """Where the :data:`READ_FIELDS` are among the output's input columns."""
    return [(i, name) for i, name in enumerate(names) if name in READ_FIELDS]


def with_read(
    cells: list[Any], at: Sequence[tuple[int, str]], read: Read, *, text: bool = False
) -> list[Any]:
    """``cells`` (a row's input cells in the output's columns) with each field at ``at`` as it
    was read: a str (a code), an int (a year) or a Decimal (yen, an index on the hundredth
    grid) that a workbook types — or, with ``text``, as a CSV writes it (plain). A field read
    as nothing (None: left blank) keeps its cell."""
    if read:
        for i, name in at:
            value = read.get(name)
            if value is not None:
                cells[i] = str(value) if text else value
    return cells


#: Columns the results add after the input columns (SPEC §6).
RESULT_COLUMNS = ("status", "reasons", "warnings", "net", "rate", "measure")
SUMMARY_COLUMNS = (
    "entity_code",
    "entity_name",
    "fiscal_year",
    "rules_version",
    "items",
    "eligible_items",
    "excluded_items",
    "error_items",
    "warning_items",
    "amount",
    "specific_revenue",
    "net",
    "excluded",
    "measure_by_rate",
    "fiscal_strength_index",
    "fiscal_strength_multiplier",
    "measure_exact",
    "measure",
    "warnings",
)
ERROR_COLUMNS = ("file", "row", "column", "code", "message")


def _amount(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


#: A rate as written (a rule version has a few rates; a batch writes them on every row).
_RATES: dict[Decimal, str] = {}


def result_cells(outcome: Outcome) -> list[str]:
    """The six result columns of one row."""
    rate = outcome.rate
    rate_text = ""
    if rate is not None:
        found = _RATES.get(rate)
        if found is None:
            found = plain(rate) if len(_RATES) > 64 else _RATES.setdefault(rate, plain(rate))
        rate_text = found
    return [
        outcome.status,
        str(outcome.reason) if outcome.reason else "",
        ";".join(outcome.warnings),
        _amount(outcome.net),
        rate_text,
        _amount(outcome.measure),
    ]


def summary_cells(
    code: str,
    name: str,
    year: int,
    version: RuleVersion | None,
    tally: Tally,
    adjustment: Adjustment,
) -> list[object]:
    """One summary line: government, year, rules, counts and totals (SPEC §6)."""
    found, warnings = totals(tally, version, adjustment)
    return [
        code,
        name,
        year,
        version.version if version else "",
        tally.items,
        tally.eligible,
        tally.excluded_items,
        tally.error_items,
        tally.warning_items,
        plain(found.amount),
        plain(found.specific_revenue),
        plain(found.net),
        plain(found.excluded),
        plain(found.measure_by_rate),
        index_text(found.fiscal_strength_index) if found.fiscal_strength_index is not None else "",
        _amount(found.fiscal_strength_multiplier),
        plain(found.measure_exact),
        plain(found.measure),
        ";".join(warnings),
    ]


def error_cells(problem: Problem, lang: Lang) -> list[object]:
    """One line of the errors file."""
    return [
        problem.file or "",
        problem.row if problem.row is not None else "",
        problem.column or "",
        str(problem.code),
        problem.message(lang),
    ]


def named_columns(headers: Sequence[str], fields: Sequence[str | None]) -> list[tuple[str, int]]:
    """Each input column as (name, how many columns of that name came before it): the
    canonical field name, or the header of a column that names none (two 備考 stay two)."""
    seen: dict[str, int] = {}
    named = []
    for header, canonical in zip(headers, fields, strict=True):
        name = canonical or header
        named.append((name, seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    return named


def output_columns(tables: Sequence[Sequence[tuple[str, int]]]) -> list[tuple[str, int]]:
    """The input columns of all tables, in first-seen order."""
    columns: list[tuple[str, int]] = []
    for named in tables:
        columns.extend(c for c in named if c not in columns)
    return columns


def layout(
    named: Sequence[tuple[str, int]], columns: Sequence[tuple[str, int]]
) -> list[int] | None:
    """Where each output column is among one table's cells (None: the same order)."""
    if list(named) == list(columns):
        return None
    return [named.index(c) if c in named else -1 for c in columns]


def own_cells(cells: Sequence[Any], where: list[int] | None, width: int) -> list[Any]:
    """A row's input cells in the output's column order ("" where the table has none)."""
    if where is None:
        if len(cells) == width:
            return list(cells)
        return [cells[i] if i < len(cells) else "" for i in range(width)]
    return [cells[i] if 0 <= i < len(cells) else "" for i in where]
