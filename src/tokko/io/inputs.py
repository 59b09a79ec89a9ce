"""Reading the files of a run: a declaration (JSON, CSV or XLSX), agreements, indices.

The one place that turns a path into what the engine reads, for ``tokko calc``, ``explain``
and ``batch`` alike. A JSON file is read with its limits stated: at most
:data:`MAX_JSON_BYTES`, nesting at most :data:`MAX_DEPTH` deep, a key given twice in one object
refused (the last one would win silently), integers of more than 64 digits read as too large.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from tokko.engine.calculate import read_agreements, read_declaration
from tokko.engine.prepare import Row
from tokko.engine.steps import Agreement
from tokko.errors import InputFileError
from tokko.io import csvfile, xlsx
from tokko.io.table import Table, open_agreements, open_table
from tokko.io.template import agreements_sheet
from tokko.messages import Ref
from tokko.model.codes import ErrorCode
from tokko.model.declaration import DECLARATION_FIELDS, ROW_FIELDS
from tokko.model.fields import is_blank, read_fields
from tokko.model.problem import Problem

MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64


class _Twice(ValueError):  # noqa: N818 — signals a repeated key inside this module
    """A JSON object gives one key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Twice(key)
        found[key] = value
    return found


def _integer(text: str) -> int | Decimal:
    # Decimal, not int, past 64 digits: int() refuses 4,300 digits with a traceback; an amount
    # that large is refused as too large, with the row named.
    return int(text) if len(text) <= 64 else Decimal(text)


def _depth(text: str) -> int:
    """How deeply brackets nest (outside strings), counted without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def load_json(path: Path, name: str) -> Any:
    """The JSON document of a file, within the limits above; anything else InputFileError."""
    if path.stat().st_size > MAX_JSON_BYTES:
        raise InputFileError(name, "file.too_large", limit=f"{MAX_JSON_BYTES // 2**20} MiB")
    encoding = csvfile.detect_encoding(path, name, records=False)
    return loads_json(path.read_text(encoding=encoding), name)


#: The json module's words for what it met, in the catalog (the rest is shown as it is).
_JSON_REASONS = {
    "Expecting value": "json.expecting_value",
    "Expecting property name enclosed in double quotes": "json.expecting_name",
    "Expecting ',' delimiter": "json.expecting_comma",
    "Expecting ':' delimiter": "json.expecting_colon",
    "Unterminated string starting at": "json.unterminated_string",
    "Extra data": "json.extra_data",
    "Invalid control character at": "json.control_character",
    "Invalid \\escape": "json.bad_escape",
}


def _json_reason(message: str) -> Ref | str:
    found = _JSON_REASONS.get(message)
    return Ref(found) if found else message


def loads_json(text: str, name: str) -> Any:
    """A JSON document from its text (``name`` says where it came from): no key twice in one
    object, at most :data:`MAX_DEPTH` levels, an integer of more than 64 digits read as a
    Decimal (then refused as too large where it is an amount); anything else InputFileError."""
    # Nesting deeper than the brackets the text holds is impossible: most texts need no walk.
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
        raise InputFileError(name, "file.json_too_deep", limit=MAX_DEPTH)
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_integer)
    except _Twice as twice:
        raise InputFileError(name, "file.json_key_twice", key=twice.key) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            name,
            "file.json_invalid",
            line=exc.lineno,
            column=exc.colno,
            reason=_json_reason(exc.msg),
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputFileError(
            name, "file.json_invalid", line="?", column="?", reason=str(exc)[:200]
        ) from None


def _structure(name: str, error: ValidationError) -> InputFileError:
    where = ".".join(str(p) for p in error.errors()[0]["loc"])
    return InputFileError(name, "file.not_a_declaration", where=where or Ref("file.json_whole"))


class DeclarationFile(NamedTuple):
    """What a declaration file holds: its rows, its agreements, the problems of reading it,
    and its columns as the results carry them (a JSON file's are the fields)."""

    rows: list[Row]
    agreements: list[Agreement]
    problems: list[Problem]
    columns: list[tuple[str, int]]
    #: (file, sheet) of other sheets that hold a declaration too, not read
    #: (:attr:`Table.unread_sheets`).
    unread_sheets: tuple[tuple[str, str], ...] = ()


def read_declaration_file(
    path: str | Path,
    *,
    unit: int = 1,
    sheet: str | None = None,
    name: str | None = None,
    ignored: Sequence[str] = (),
) -> DeclarationFile:
    """Rows, agreements and the problems of reading one declaration file.

    JSON holds one declaration (SPEC §3) or a list of them; CSV and XLSX hold rows with their
    own government and year columns. A file that cannot be read at all raises InputFileError.
    """
    file = Path(path)
    shown = name or str(path)
    if file.suffix.lower() != ".json":
        table = open_table(file, unit=unit, sheet=sheet, name=shown, ignored=ignored)
        book, found = template_agreements(table)  # a filled template's 協定 sheet
        return DeclarationFile(
            [table.row(n, cells) for n, cells in table.records()],
            book,
            [*table.problems, *found],
            table.columns(),
            tuple((table.name, s) for s in table.unread_sheets),
        )
    if not file.is_file():
        raise InputFileError(shown, "file.missing" if not file.exists() else "file.not_a_file")
    data = load_json(file, shown)
    declarations = data if isinstance(data, list) else [data]
    rows: list[Row] = []
    agreements: list[Agreement] = []
    problems: list[Problem] = []
    for declaration in declarations:
        try:
            more_rows, more_agreements, more_problems = read_declaration(
                declaration, shown, ignored
            )
        except ValidationError as error:
            raise _structure(shown, error) from None
        rows += more_rows
        agreements += more_agreements
        problems += more_problems
    names = [f.name for f in ROW_FIELDS]
    rows = [row._replace(cells=tuple(row.data.get(n) for n in names)) for row in rows]
    return DeclarationFile(rows, agreements, problems, [(n, 0) for n in names])


def read_agreements_file(
    path: str | Path,
    *,
    sheet: str | None = None,
    name: str | None = None,
) -> tuple[list[Agreement], list[Problem]]:
    """The agreements of an agreements CSV/XLSX, and the problems of the rows that failed;
    ``name`` is the file's name in messages (default: ``path``)."""
    table = open_agreements(path, sheet=sheet, name=name)
    numbers: list[int] = []

    def entries() -> Iterator[Mapping[str, object]]:
        for number, cells in table.records():
            numbers.append(number)
            yield table.row(number, cells).data

    rows = list(entries())
    agreements, problems = read_agreements(rows, table.name, numbers)
    return agreements, [*table.problems, *problems]


def read_indices_file(
    path: str | Path,
    *,
    sheet: str | None = None,
    name: str | None = None,
) -> tuple[dict[tuple[str, int], Decimal], list[Problem]]:
    """The fiscal strength indices of a CSV/XLSX (団体コード, 年度, 財政力指数), and the
    problems of its rows; a government-year given twice with two values is an error. ``name``
    is the file's name in messages (default: ``path``)."""
    fields = (*DECLARATION_FIELDS[:3],)
    table = open_table(
        path,
        fields=fields,
        sheet=sheet,
        name=name,
        required=("entity_code", "fiscal_year", "fiscal_strength_index"),
    )
    indices: dict[tuple[str, int], Decimal] = {}
    problems: list[Problem] = list(table.problems)
    for number, cells in table.records():
        data = table.row(number, cells).data
        if all(is_blank(v) for v in data.values()):
            continue
        values, found = read_fields(data, fields)
        problems += [p.at(file=table.name, row=number) for p in found]
        if found:
            continue
        key = (str(values["entity_code"]), int(values["fiscal_year"]))
        index = values["fiscal_strength_index"]
        if index is None:
            continue
        first = indices.setdefault(key, index)
        if first != index:
            problems.append(
                Problem(
                    ErrorCode.FISCAL_STRENGTH_INDEX_CONFLICT,
                    "index.conflict",
                    {"index": index, "first": first},
                    index,
                    table.name,
                    number,
                    "fiscal_strength_index",
                )
            )
    return indices, problems


def template_agreements(table: Table) -> tuple[list[Agreement], list[Problem]]:
    """The agreements on a workbook's own agreements sheet (協定 / Agreements of a filled
    ``tokko template``), and the problems of their rows; none for a CSV."""
    if table.kind != "xlsx":
        return [], []
    with xlsx.open_workbook(table.path, table.name) as book:
        found = agreements_sheet(book)
    if found is None or found == table.sheet:
        return [], []
    return read_agreements_file(table.path, sheet=found, name=table.name)
