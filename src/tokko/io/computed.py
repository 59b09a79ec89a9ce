"""One declaration file computed, and the results files written of it.

What ``tokko calc`` and ``tokko explain`` do with a file, and what the server does with an
upload: read the declaration (CSV, XLSX or JSON) with its agreements and fiscal strength
indices (:func:`compute_file`), then write the results as CSV (:func:`write_results_csv`, SPEC
§6) or as the workbook for people (:func:`write_results_xlsx`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TextIO

from tokko.engine.calculate import Done, build_result, compute_rows
from tokko.errors import UsageError
from tokko.io.inputs import read_agreements_file, read_declaration_file, read_indices_file
from tokko.io.results import RESULT_COLUMNS, read_of, read_positions, result_cells, with_read
from tokko.io.workbook import ResultsWorkbook
from tokko.io.writers import CsvSheet, csv_output
from tokko.messages import Lang
from tokko.model.fiscal_strength import parse_index
from tokko.model.problem import Problem
from tokko.model.result import Result
from tokko.rules.ruleset import RuleSet


class ComputedFile(NamedTuple):
    """A declaration file computed: the result, each row with its outcome, the file's columns
    (a field's name, or a header that names none), the file problems, and the rules used."""

    result: Result
    done: list[Done]
    columns: list[tuple[str, int]]
    problems: list[Problem]
    rules: RuleSet
    #: Other sheets of the workbook that hold a declaration too, not read.
    unread_sheets: tuple[tuple[str, str], ...] = ()


def compute_file(
    path: Path,
    rules: RuleSet,
    *,
    unit: int = 1,
    sheet: str | None = None,
    agreements: Path | None = None,
    indices_file: Path | None = None,
    index: str | None = None,
    ignored: Sequence[str] = (),
    explain: bool = False,
    lang: Lang = "ja",
    names: dict[Path, str] | None = None,
) -> ComputedFile:
    """Read one declaration file (and its agreements and indices files) and compute it.

    ``index`` is a fiscal strength index typed by the user for the file's one government and
    year (a :class:`~tokko.errors.UsageError` when the file holds several). ``names`` gives a
    file the name messages show (an upload's own name rather than where it was stored).
    """
    shown = names or {}
    found = read_declaration_file(
        path, unit=unit, sheet=sheet, ignored=ignored, name=shown.get(path)
    )
    book = list(found.agreements)
    problems = list(found.problems)
    if agreements is not None:
        more, more_problems = read_agreements_file(
            agreements, sheet=sheet, name=shown.get(agreements)
        )
        book += more
        problems += more_problems
    indices: dict[tuple[str, int], Decimal] = {}
    if indices_file is not None:
        indices, more_problems = read_indices_file(indices_file, name=shown.get(indices_file))
        problems += more_problems
    if index is not None:
        value = parse_index(index)
        first = compute_rows(found.rows, rules, book, unit=unit, indices=indices)
        keys = {
            (d.prepared.entity.code, d.prepared.fiscal_year)
            for d in first
            if d.prepared.entity is not None and d.prepared.fiscal_year is not None
        }
        if len(keys) > 1:
            raise UsageError("usage.index_several_declarations", n=len(keys))
        indices.update(dict.fromkeys(keys, value))
    done = compute_rows(found.rows, rules, book, unit=unit, indices=indices)
    result = build_result(done, problems, explain=explain, lang=lang, indices=indices)
    return ComputedFile(result, done, found.columns, problems, rules, found.unread_sheets)


def _header(computed: ComputedFile) -> list[str]:
    return [*(name for name, _ in computed.columns), *RESULT_COLUMNS]


def _carried(
    computed: ComputedFile, blank: object, *, text: bool
) -> Iterator[tuple[Done, list[object]]]:
    """Each row with its input cells in the file's columns (``blank`` where it has none), its
    code, years, amounts and index as read (:func:`~tokko.io.results.with_read`)."""
    width = len(computed.columns)
    at = read_positions([name for name, _ in computed.columns])
    for done in computed.done:
        cells = list(done.row.cells or ())
        own = [blank if i >= len(cells) or cells[i] is None else cells[i] for i in range(width)]
        yield done, with_read(own, at, read_of(done.prepared, done.row.data), text=text)


def _rows(computed: ComputedFile) -> list[list[object]]:
    """Each input row (its own cells, in the file's columns) and its outcome."""
    return [[*own, *result_cells(d.outcome)] for d, own in _carried(computed, "", text=True)]


def write_results_csv(
    computed: ComputedFile, out: Path | None, encoding: str, stdout: TextIO | None = None
) -> int:
    """The results CSV (SPEC §6) to ``out`` (written whole, atomically) or to ``stdout``;
    returns how many characters the encoding could not hold (written as ``\\U…``)."""
    if out is None:
        assert stdout is not None, "no file and no stream to write the results to"
        sheet = CsvSheet(stdout)
        sheet.writerow(_header(computed))
        for row in _rows(computed):
            sheet.writerow(row)
        return sheet.escaped
    with csv_output(out, encoding) as written:
        written.writerow(_header(computed))
        for row in _rows(computed):
            written.writerow(row)
    return written.escaped


def write_results_xlsx(computed: ComputedFile, out: Path, lang: Lang) -> None:
    """The results workbook for people (:class:`~tokko.io.workbook.ResultsWorkbook`)."""
    with ResultsWorkbook(out, lang, [name for name, _ in computed.columns]) as book:
        for done, own in _carried(computed, None, text=False):
            book.row(own, done.outcome)
        for d in computed.result.declarations:
            book.summary(
                d.entity_code or "",
                d.entity_name or "",
                d.fiscal_year,
                d.rules_version,
                d.counts,
                d.totals,
                d.warnings,
            )
        for problem in computed.problems:
            book.error(problem)
        for done in computed.done:
            for problem in done.outcome.problems:
                book.error(problem)
        book.info(
            rules=computed.result.rules, files=[d.row.file for d in computed.done if d.row.file]
        )
