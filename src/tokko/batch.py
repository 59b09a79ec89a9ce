"""Batch review: many governments' rows, streamed from CSV/XLSX files, checked across files.

A prefecture's review runs in up to three passes over the input, holding one row at a time:

1. **scan** — every row's item key (government, year, item id) and contract id go through a
   fixed-size bit table; a key met twice there is a *candidate*. Unique keys — nearly all —
   are never stored, so memory does not grow with the number of rows.
2. **contracts** (only when some contract id is a candidate) — the rows of candidate contracts
   are computed and added to a :class:`~tokko.audit.ContractLedger`.
3. **compute** — every row is computed (common rows by :class:`~tokko.fastrows.FastRows`, the
   rest by :func:`~tokko.calculation.compute_row`), checked against the ledger and written; the
   summary per government and year is added up as it goes.

A bit-table collision only makes a key a candidate, which is then checked exactly: it can slow
a row down, never give it a warning or an error.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokko.audit import ContractLedger, ItemIds
from tokko.calculation import Tally, compute_row, contract_row, prepare
from tokko.declaration import (
    Agreement,
    Problem,
    clean_entity,
    clean_year,
    id_text,
    is_blank,
    read_procurement,
)
from tokko.errors import FieldError
from tokko.explanation import problem_message
from tokko.fastrows import FastRows, FastTally
from tokko.io.inputs import read_agreements
from tokko.io.output import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    CsvSheet,
    SheetWriter,
    XlsxSheet,
    csv_sheet,
    needs_neutralizing,
    result_cells,
    summary_cells,
    workbook,
)
from tokko.io.table import Record, Table, open_table
from tokko.ruleset import RuleSet, load_rules

#: progress(phase, rows done, rows in all or None while still counting)
Progress = Callable[[str, int, int | None], None]
_BITS = 1 << 27  # 16 MiB of bits whatever the size of the input
_PROGRESS_EVERY = 5000
_FORMULA_START = ("=", "+", "-", "@", "\t")


class _SeenTwice:
    """A fixed-size bit table that finds the keys met more than once (and a few more).

    :func:`_scan` sets its bits inline: one bit per item key; two bits per contract id (fewer
    false candidates, for keys whose candidates cost a pass over the input).
    """

    def __init__(self, bits: int = _BITS) -> None:
        self.table = bytearray(bits >> 3)
        self.mask = bits - 1
        self.candidates: set[int] = set()

    def maybe_seen2(self, key: Hashable) -> bool:
        """True when ``key``'s two bits are set: it may have been met."""
        h = hash(key)
        first, second = h & self.mask, (h >> 32) & self.mask
        table = self.table
        return bool(table[first >> 3] & (1 << (first & 7))
                    and table[second >> 3] & (1 << (second & 7)))


class _HashIn(Container[Any]):
    """Membership by hash among candidate hashes (may say yes for a non-candidate)."""

    def __init__(self, hashes: set[int]) -> None:
        self._hashes = hashes

    def __contains__(self, key: object) -> bool:
        return hash(key) in self._hashes


@dataclass
class BatchReport:
    """What a batch run did."""

    rows: int = 0
    error_rows: int = 0
    agreement_errors: int = 0
    entities: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row and every agreement was read (exit code 0)."""
        return self.error_rows == 0 and self.agreement_errors == 0


class _Keys:
    """The item key and contract id of a row, as :func:`~tokko.calculation.prepare` sees them."""

    def __init__(self) -> None:
        #: What each cell value read as: a code / a year, or None when it does not read.
        self.entities: dict[Any, str | None] = {}
        self.years: dict[Any, int | None] = {}

    def _entity(self, value: Any) -> str | None:
        try:
            return self.entities[value]
        except KeyError:
            try:
                code: str | None = clean_entity(value).code
            except FieldError:
                code = None
            if len(self.entities) < 100_000:
                self.entities[value] = code
            return code

    def _year(self, value: Any) -> int | None:
        try:
            return self.years[value]
        except KeyError:
            try:
                year: int | None = clean_year(value)
            except FieldError:
                year = None
            if len(self.years) < 100_000:
                self.years[value] = year
            return year

    def item(self, table: Table, cells: list[Any]) -> tuple[str, int, str] | None:
        """(government, year, item id) when all three read; None otherwise."""
        try:
            code = self._entity(_cell(cells, table.index.get("entity_code")))
            year = self._year(_cell(cells, table.index.get("fiscal_year")))
        except TypeError:  # an unhashable cell is never a code or a year
            return None
        raw_id = _cell(cells, table.index.get("item_id"))
        if code is None or year is None or is_blank(raw_id):
            return None
        return code, year, id_text(raw_id)

    @staticmethod
    def contract(table: Table, cells: list[Any]) -> str | None:
        raw = _cell(cells, table.index.get("contract_id"))
        return None if is_blank(raw) else id_text(raw)


def _cell(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _records(tables: Sequence[Table]) -> Iterator[tuple[Table, Record]]:
    for table in tables:
        for record in table.rows():
            yield table, record


def _named(table: Table) -> list[tuple[str, int]]:
    """Each column of a table as (name, how many columns of that name came before it)."""
    seen: dict[str, int] = {}
    named = []
    for header, canonical in zip(table.headers, table.fields, strict=True):
        name = canonical or header
        named.append((name, seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    return named


def _output_columns(tables: Sequence[Table]) -> list[tuple[str, int]]:
    """The input columns of all tables, in first-seen order (two 備考 columns stay two)."""
    columns: list[tuple[str, int]] = []
    for table in tables:
        columns.extend(c for c in _named(table) if c not in columns)
    return columns


def _layout(table: Table, columns: list[tuple[str, int]]) -> list[int] | None:
    """Where each output column is in this table (None: the same order as the output)."""
    own = _named(table)
    if own == columns:
        return None
    return [own.index(c) if c in own else -1 for c in columns]


def _summary_order(key: tuple[str, str]) -> tuple[int, str, str]:
    return (0 if key[0].isdigit() and len(key[0]) == 6 else 1, key[0], key[1])


def _merge(tally: Tally, fast: FastTally) -> None:
    items, eligible, excluded_items, amount, deducted, net, excluded, measure = fast
    tally.items += items
    tally.eligible += eligible
    tally.excluded_items += excluded_items
    tally.amount += amount
    tally.specific_revenue += deducted
    tally.net += net
    tally.excluded += excluded
    tally.measure_exact += measure


def _scan(
    tables: Sequence[Table], rules: RuleSet, unit: int, tick: Progress
) -> tuple[set[int], ContractLedger, int]:
    """Pass 1: candidate item keys, the contract ledger, and the number of rows.

    Joint rows — the ones meant to share a contract — go into the ledger as they come. Other
    rows' contract ids go through a two-bit filter; a contract that may repeat among them, or
    that a joint row shares with them, is gathered exactly by :func:`_complete`.
    The loop is written out because it runs once per row.
    """
    keys, items, singles = _Keys(), _SeenTwice(), _SeenTwice()
    entities, years = keys.entities, keys.years
    item_bits, item_mask, item_candidates = items.table, items.mask, items.candidates
    single_bits, single_mask, single_candidates = singles.table, singles.mask, singles.candidates
    ledger = ContractLedger()
    joint_values: dict[Any, bool] = {}
    rows = 0
    for table in tables:
        index = table.index
        i_entity, i_year = index["entity_code"], index["fiscal_year"]
        i_item, i_contract = index["item_id"], index.get("contract_id", -1)
        i_procurement = index.get("procurement", -1)
        for cells in table.cells():
            rows += 1
            if rows % _PROGRESS_EVERY == 0:
                tick("scan", rows, None)
            try:
                code, year = entities[cells[i_entity]], years[cells[i_year]]
                raw_id = cells[i_item]
                if code is None or year is None or not raw_id.isascii() or not raw_id.strip():
                    raise KeyError(raw_id)  # let the general reading decide
                key: tuple[str, int, str] | None = (code, year, raw_id.strip())
            except (KeyError, IndexError, TypeError, AttributeError):
                key = keys.item(table, cells)
            if key is not None:
                h = hash(key)
                slot = h & item_mask
                if item_bits[slot >> 3] & (1 << (slot & 7)):
                    item_candidates.add(h)
                else:
                    item_bits[slot >> 3] |= 1 << (slot & 7)
            contract = cells[i_contract] if 0 <= i_contract < len(cells) else None
            if contract is None or contract == "" or is_blank(contract):
                continue
            how = cells[i_procurement] if 0 <= i_procurement < len(cells) else ""
            joint = joint_values.get(how)
            if joint is None:
                joint = joint_values[how] = _is_joint(how)
            if joint:
                row = table.row(Record(0, cells))
                facts = contract_row(prepare(row, rules, unit, ItemIds()))
                if facts is not None:
                    ledger.add(facts)
                continue
            h = hash(id_text(contract))
            first, second = h & single_mask, (h >> 32) & single_mask
            if (single_bits[first >> 3] & (1 << (first & 7))
                    and single_bits[second >> 3] & (1 << (second & 7))):
                single_candidates.add(h)
            single_bits[first >> 3] |= 1 << (first & 7)
            single_bits[second >> 3] |= 1 << (second & 7)
    tick("scan", rows, rows)
    _complete(tables, rules, unit, ledger, singles)
    return item_candidates, ledger, rows


def _is_joint(value: Any) -> bool:
    try:
        return not is_blank(value) and read_procurement(value) == "joint"
    except (FieldError, TypeError):
        return False


def _complete(
    tables: Sequence[Table], rules: RuleSet, unit: int, ledger: ContractLedger,
    singles: _SeenTwice,
) -> None:
    """Pass 2, only when needed: gather exactly every contract that may be declared twice."""
    wanted = set(singles.candidates)
    wanted.update(hash(c) for c in ledger.contracts() if singles.maybe_seen2(c))
    if not wanted:
        return
    ledger.discard(lambda contract: hash(contract) in wanted)
    for table in tables:
        i_contract = table.index.get("contract_id")
        if i_contract is None:
            continue
        for record in table.rows():
            raw = _cell(record.cells, i_contract)
            if is_blank(raw) or hash(id_text(raw)) not in wanted:
                continue
            facts = contract_row(prepare(table.row(record), rules, unit, ItemIds()))
            if facts is not None:
                ledger.add(facts)


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
) -> BatchReport:
    """Compute every row of ``inputs``; write results, summary and errors (SPEC §5, §6).

    Every input is opened and its header checked before anything is written: a file that
    cannot be read raises :class:`~tokko.errors.InputFileError` and no output appears.
    With ``output_format="xlsx"`` one workbook at ``out`` holds the three sheets.
    """
    ruleset = rules if rules is not None else load_rules()
    tables = [open_table(p, unit=unit, sheet=sheet) for p in inputs]
    book: list[Agreement] = []
    agreement_problems: list[tuple[str, int, Problem]] = []
    if agreements is not None:
        book, agreement_problems = read_agreements(agreements, sheet=None)
    by_id = {a.agreement_id: a for a in book}
    report = BatchReport(files=[t.name for t in tables], agreement_errors=len(agreement_problems))

    def tick(phase: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(phase, done, total)

    candidates, ledger, total = _scan(tables, ruleset, unit, tick)
    with ExitStack() as stack:
        results, summary_sheet, errors_sheet = _open_outputs(
            stack, out, summary, errors, output_format, encoding)
        errors_sheet.writerow(list(ERROR_COLUMNS))
        for file, number, problem in agreement_problems:
            errors_sheet.writerow([file, number, f"agreements.{problem.column}", problem.code,
                                   problem_message(problem)])
        compute = _Compute(ruleset, by_id, unit, ItemIds(_HashIn(candidates)), ledger)
        compute.run(tables, results, errors_sheet, report, lambda done: tick("compute", done,
                                                                             total))
        tick("compute", report.rows, total)
        summary_sheet.writerow(list(SUMMARY_COLUMNS))
        tallies, names = compute.summary()
        for key in sorted(tallies, key=_summary_order):
            summary_sheet.writerow(summary_cells(key, names[key], tallies[key]))
        report.entities = len(tallies)
    return report


class _Compute:
    """Pass 3: every row computed, in order, written out and added up."""

    def __init__(self, rules: RuleSet, agreements: dict[str, Agreement], unit: int,
                 ids: ItemIds, ledger: ContractLedger) -> None:
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._ids = ids
        self._ledger = ledger
        self._tallies: dict[tuple[str, str], Tally] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._fast: list[FastRows] = []

    def run(self, tables: Sequence[Table], results: SheetWriter, errors: SheetWriter,
            report: BatchReport, tick: Callable[[int], None]) -> None:
        columns = _output_columns(tables)
        results.writerow([*(name for name, _ in columns), *RESULT_COLUMNS])
        rows = 0
        for table in tables:
            fast = FastRows(table.index, len(table.headers), self._rules, self._agreements,
                            self._unit, self._ids, self._ledger)
            self._fast.append(fast)
            layout = _layout(table, columns)
            direct = layout is None and table.kind == "csv" and isinstance(results, CsvSheet)
            for record in table.rows():
                rows += 1
                if rows % _PROGRESS_EVERY == 0:
                    tick(rows)
                computed = fast.compute(record.cells)
                if computed is None:
                    self._general(table, record, layout, len(columns), results, errors, report)
                elif direct and record.text is not None and _safe(record):
                    results.write_text(f"{record.text},{computed}")
                else:
                    results.writerow([*_own_cells(record.cells, layout, len(columns)),
                                      *computed.split(",")])
        report.rows = rows

    def _general(self, table: Table, record: Record, layout: list[int] | None, width: int,
                 results: SheetWriter, errors: SheetWriter, report: BatchReport) -> None:
        """A row the fast path would not vouch for, computed the general way."""
        done = compute_row(table.row(record), self._rules, self._agreements, self._unit,
                           self._ids, self._ledger)
        results.writerow([*_own_cells(record.cells, layout, width), *result_cells(done)])
        key = done.prepared.group
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = Tally()
        if not self._names.get(key) and done.prepared.entity is not None:
            self._names[key] = done.prepared.entity.name
        tally.add(done.outcome, done.prepared.rules)
        for problem in done.outcome.problems:
            errors.writerow([table.name, record.number, problem.column, problem.code,
                             problem_message(problem)])
        if done.outcome.status == "error":
            report.error_rows += 1

    def summary(self) -> tuple[dict[tuple[str, str], Tally], dict[tuple[str, str], str]]:
        """The tallies per (entity, year) of both paths, and the government names."""
        for fast in self._fast:
            for key, counts in fast.tallies.items():
                tally = self._tallies.setdefault(key, Tally())
                tally.rules = tally.rules or _rules_of(key, self._rules)
                self._names[key] = self._names.get(key) or fast.names[key]
                _merge(tally, counts)
        for key in self._tallies:
            self._names.setdefault(key, "")
        return self._tallies, self._names


def _rules_of(key: tuple[str, str], rules: RuleSet) -> Any:
    try:
        return rules.for_year(int(key[1]))
    except (FieldError, ValueError):
        return None


def _safe(record: Record) -> bool:
    """True when no cell would run as a formula in a spreadsheet (so the text can be reused)."""
    text = record.text
    if text is not None and '"' not in text:
        return not (text[:1] in _FORMULA_START or ",=" in text or ",+" in text
                    or ",-" in text or ",@" in text or ",\t" in text)
    return not needs_neutralizing(record.cells)


def _own_cells(cells: list[Any], layout: list[int] | None, width: int) -> list[Any]:
    if layout is None:
        return [cells[i] if i < len(cells) else "" for i in range(width)]
    return [cells[i] if 0 <= i < len(cells) else "" for i in layout]


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
                                  if summary is not None else _Discard())
    errors_sheet: SheetWriter = (stack.enter_context(csv_sheet(errors, encoding))
                                 if errors is not None else _Discard())
    return results, summary_sheet, errors_sheet


class _Discard:
    """A sheet nobody asked for."""

    def writerow(self, row: Sequence[object]) -> None:
        """Drop the row."""

    def write_text(self, line: str) -> None:
        """Drop the line."""


__all__ = ["BatchReport", "Progress", "run_batch"]
