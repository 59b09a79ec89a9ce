"""Reading a declaration file (JSON, CSV or XLSX) and an agreements file into rows.

The one place that turns a path into what the engine reads, for ``tokko calc``, ``tokko
explain`` and ``tokko batch`` alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tokko.columns import AGREEMENT_COLUMNS
from tokko.errors import InputFileError
from tokko.explanation import problem_message
from tokko.io.encoding import detect_encoding
from tokko.io.table import REQUIRED_AGREEMENT_COLUMNS, open_table
from tokko.reading import AgreementFields, Problem, clean_agreement
from tokko.result import RowError
from tokko.rows import Row, read_declaration


def _load_json(path: Path, name: str) -> Any:
    encoding = detect_encoding(path, name)
    try:
        return json.loads(path.read_text(encoding=encoding))
    except json.JSONDecodeError as exc:
        raise InputFileError(
            name,
            f"JSON として読めません（{exc.lineno}行 {exc.colno}列: {exc.msg}）",
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from exc


def read_declaration_file(
    path: str | Path, *, unit: int = 1, sheet: str | None = None, name: str | None = None
) -> tuple[list[Row], list[AgreementFields], list[RowError]]:
    """Rows, agreements and reading problems of one declaration file.

    JSON holds one declaration (SPEC §3) or a list of them; CSV and XLSX hold rows with their
    own government and year columns. A file that cannot be read at all raises InputFileError.
    """
    file = Path(path)
    shown = name or str(path)
    if file.suffix.lower() != ".json":
        table = open_table(file, unit=unit, sheet=sheet, name=shown)
        return [table.row(record) for record in table.rows()], [], []
    if not file.is_file():
        raise InputFileError(shown, "ファイルがありません", "no such file")
    data = _load_json(file, shown)
    declarations = data if isinstance(data, list) else [data]
    rows: list[Row] = []
    agreements: list[AgreementFields] = []
    errors: list[RowError] = []
    for declaration in declarations:
        if not isinstance(declaration, dict):
            raise InputFileError(shown, "申告（JSONオブジェクト）が必要です",
                                 "expected a declaration (a JSON object)")
        more_rows, more_agreements, more_errors = read_declaration(declaration, shown)
        rows += more_rows
        agreements += more_agreements
        errors += more_errors
    return rows, agreements, errors


def read_agreements(
    path: str | Path, *, sheet: str | None = None, name: str | None = None
) -> tuple[list[AgreementFields], list[tuple[str, int, Problem]]]:
    """The agreements of an agreements CSV/XLSX, and the problems of the rows that failed."""
    table = open_table(path, columns=AGREEMENT_COLUMNS, required=REQUIRED_AGREEMENT_COLUMNS,
                       sheet=sheet, name=name)
    agreements: list[AgreementFields] = []
    problems: list[tuple[str, int, Problem]] = []
    seen: set[str] = set()
    for record in table.rows():
        data = {f: (record.cells[i] if i < len(record.cells) else None)
                for f, i in table.index.items()}
        agreement, found = clean_agreement(data)
        if agreement is not None and agreement.agreement_id in seen:
            found = [Problem(
                "agreement_id", "DUPLICATE_ITEM_ID", agreement.agreement_id,
                f"協定番号「{agreement.agreement_id}」が前の行と重複しています（先の行を採用）",
                f"agreement '{agreement.agreement_id}' repeats an earlier row (the first stands)",
            )]
            agreement = None
        problems.extend((table.name, record.number, p) for p in found)
        if agreement is not None:
            seen.add(agreement.agreement_id)
            agreements.append(agreement)
    return agreements, problems


def agreement_errors(problems: list[tuple[str, int, Problem]]) -> list[RowError]:
    """Agreement-file problems as result errors (column prefixed ``agreements.``)."""
    return [
        RowError(file=file, row=number, column=f"agreements.{p.column}", code=p.code,
                 message=problem_message(p))
        for file, number, p in problems
    ]
