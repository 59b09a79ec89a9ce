"""Batch review: many governments' rows, streamed from CSV/XLSX files, checked across files.

Every row is computed by :class:`~tokko.batchrows.Compute` (the common rows by
:class:`~tokko.fastrows.FastRows`, the rest by :func:`~tokko.calculation.compute_row`), checked
against the other rows and written, holding one row at a time; the summary per government and
year is added up as it goes. What a row must know of the others — whether its item id or its
contract repeats, the shares of its joint contract — is found one of two ways:

- **CSV output** (:mod:`tokko.batchparts`): every row is computed at once as if nothing
  repeated (:mod:`tokko.onepass`), and only the rows whose guess was wrong are read and
  computed again. A large CSV input is cut into groups of parts, one process each (where fork
  is available); a small one, or one process asked for, is one group, computed here.
- **XLSX output**: :func:`~tokko.prefilter.scan` reads the input once to find what may
  repeat, and the rows are computed on a second reading.

Both write the same rows, and any number of processes the same bytes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

from tokko import batchrows
from tokko.audit import ItemIds
from tokko.batchparts import PartFiles, Parts
from tokko.batchrows import BatchReport, Compute, Discard
from tokko.explanation import problem_message
from tokko.io.inputs import read_agreements
from tokko.io.output import (
    ERROR_COLUMNS,
    SUMMARY_COLUMNS,
    SheetWriter,
    XlsxSheet,
    csv_sheet,
    summary_cells,
    workbook,
)
from tokko.io.parts import Part, share
from tokko.io.table import Table, open_table
from tokko.parallel import workers
from tokko.prefilter import HashIn, scan
from tokko.reading import AgreementFields, Problem
from tokko.ruleset import RuleSet, load_rules

#: progress(phase, rows done, rows in all or None while still counting)
Progress = Callable[[str, int, int | None], None]
#: With ``jobs=None``, CSV inputs smaller than this (in all) are read by this process alone:
#: starting the workers would cost more than it saves (on 2 cores they break even at about
#: 10,000 rows, 1.2 MB, and save 15 ms at 20,000).
_SPLIT_BYTES = 2 << 20
#: The outputs written through the files of :mod:`tokko.batchparts` (input read once); any
#: other (XLSX: typed cells, not CSV lines) reads the input twice, :func:`~tokko.prefilter.scan`
#: first. (The tests take CSV out of it, for a reference written the other way.)
_ONE_PASS = frozenset({"csv"})


def _summary_order(key: tuple[str, str]) -> tuple[int, str, str]:
    return (0 if key[0].isdigit() and len(key[0]) == 6 else 1, key[0], key[1])


def run_batch(
    inputs: Sequence[str | Path],
    *,
    out: Path,
    summary: Path | None = None,
    errors: Path | None = None,
    agreements: Path | None = None,
    rules: RuleSet | None = None,
    unit: int = 1,
    sheet: str | None = None,
    output_format: str = "csv",
    encoding: str = "utf-8-sig",
    progress: Progress | None = None,
    jobs: int | None = None,
) -> BatchReport:
    """Compute every row of ``inputs``; write results, summary and errors (SPEC §5, §6).

    Every input is opened and its header checked before anything is written: a file that
    cannot be read raises :class:`~tokko.errors.InputFileError` and no output appears.
    With ``output_format="xlsx"`` one workbook at ``out`` holds the three sheets.
    ``jobs`` is how many processes read CSV inputs (None: one per core, for large inputs; the
    output is the same whatever it is).
    """
    ruleset = rules if rules is not None else load_rules()
    # The encoding is checked on each file's first megabyte here, and on the rest by the first
    # pass, which reads every byte anyway; a file that turns out not to decode is checked whole.
    tables = [open_table(p, unit=unit, sheet=sheet, whole=False) for p in inputs]
    book: list[AgreementFields] = []
    agreement_problems: list[tuple[str, int, Problem]] = []
    if agreements is not None:
        book, agreement_problems = read_agreements(agreements, sheet=None)
    by_id = {a.agreement_id: a for a in book}
    report = BatchReport(files=[t.name for t in tables], agreement_errors=len(agreement_problems))

    def tick(phase: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(phase, done, total)

    processes = workers(jobs) if output_format == "csv" else 1
    groups = _plan(tables, processes, auto=jobs is None)
    with ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tokko-")))
        one_pass = output_format in _ONE_PASS
        if one_pass:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix=".tokko-", dir=out.resolve().parent)))
            batch = Parts(ruleset, by_id, unit, groups, PartFiles(folder, encoding))
            try:
                batch.guess(tables, logs / "1", tick)
            except UnicodeDecodeError:
                tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
                batch.guess(tables, logs / "2", tick)
            batch.settle()
        else:
            try:
                found = scan(tables, ruleset, unit, lambda n: tick("scan", n, None),
                             batchrows.PROGRESS_EVERY, _folder(logs / "1"))
            except UnicodeDecodeError:
                tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
                found = scan(tables, ruleset, unit, lambda n: tick("scan", n, None),
                             batchrows.PROGRESS_EVERY, _folder(logs / "2"))
            tick("scan", found.rows, found.rows)
        results, summary_sheet, errors_sheet = _open_outputs(
            stack, out, summary, errors, output_format, encoding)
        errors_sheet.writerow(list(ERROR_COLUMNS))
        for file, number, problem in agreement_problems:
            errors_sheet.writerow([file, number, f"agreements.{problem.column}", problem.code,
                                   problem_message(problem)])
        if one_pass:
            compute = batch.join(results, errors_sheet, report)
        else:
            total = found.rows
            compute = Compute(ruleset, by_id, unit, tables, ItemIds(HashIn(found.candidates)),
                              found.ledger, found.candidates)
            compute.run(groups[0], [2] * len(tables), results, errors_sheet, report,
                        lambda done: tick("compute", done, total))
        tick("compute", report.rows, report.rows)
        summary_sheet.writerow(list(SUMMARY_COLUMNS))
        tallies, names = compute.summary()
        for key in sorted(tallies, key=_summary_order):
            summary_sheet.writerow(summary_cells(key, names[key], tallies[key]))
        report.entities = len(tallies)
    return report


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _plan(tables: Sequence[Table], processes: int, *, auto: bool) -> list[list[Part]]:
    """The tables shared out among ``processes``: one run of parts each (one run in all when
    there is nothing to share out)."""
    whole = [[Part(i) for i in range(len(tables))]]
    if processes < 2:
        return whole
    if auto and sum(t.path.stat().st_size for t in tables if t.kind == "csv") < _SPLIT_BYTES:
        return whole
    return share([(t.path, t.kind == "csv") for t in tables], processes)


def _open_outputs(
    stack: ExitStack, out: Path, summary: Path | None, errors: Path | None,
    output_format: str, encoding: str,
) -> tuple[SheetWriter, SheetWriter, SheetWriter]:
    if output_format == "xlsx":
        book = stack.enter_context(workbook(out))
        return (XlsxSheet(book.create_sheet("results")), XlsxSheet(book.create_sheet("summary")),
                XlsxSheet(book.create_sheet("errors")))
    results: SheetWriter = stack.enter_context(csv_sheet(out, encoding))
    summary_sheet: SheetWriter = (stack.enter_context(csv_sheet(summary, encoding))
                                  if summary is not None else Discard())
    errors_sheet: SheetWriter = (stack.enter_context(csv_sheet(errors, encoding))
                                 if errors is not None else Discard())
    return results, summary_sheet, errors_sheet


__all__ = ["BatchReport", "Progress", "run_batch"]
