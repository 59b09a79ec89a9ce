"""The batch gives every row exactly what tokko.calculate_rows gives it (SPEC §4–§6).

:func:`tokko.batch.run_batch` computes a row in one of two ways — field by field with the fields'
own readers, or whole through :func:`tokko.engine.prepare.prepare` for a row with any problem —
remembers what :func:`tokko.engine.steps.decide` said for the values it met, and finds repeated
item ids and contracts through a first pass (:mod:`tokko.batch.keys`) that marks them in a bit
table sized from the file. None of that may change an answer: each test here runs the batch on
CSV files and compares every results row (status, reasons, warnings, net, rate, measure), every
error (file, row, column, code, message, in order), every summary line and the report with
:func:`tokko.calculate_rows` over the same rows, read by :func:`tokko.io.inputs.
read_declaration_file`.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokko
import tokko.batch.keys
import tokko.batch.rows
from tokko.batch import BatchReport, run_batch
from tokko.io.inputs import read_agreements_file, read_declaration_file, read_indices_file
from tokko.io.writers import neutralize
from tokko.model.codes import ErrorCode, ReasonCode, WarningCode
from tokko.model.declaration import ROW_FIELDS
from tokko.model.result import Result

RULES = tokko.load_rules()
FIELDS = tuple(f.name for f in ROW_FIELDS)
JA = {
    "entity_code": "団体コード",
    "fiscal_year": "年度",
    "item_id": "項目番号",
    "description": "事業名",
    "technology": "区分",
    "business_area": "対象業務",
    "expense_kind": "経費区分",
    "amount": "事業費",
    "specific_revenue": "特定財源",
    "procurement": "調達方法",
    "agreement_id": "協定番号",
    "contract_id": "契約番号",
    "contract_total": "契約総額",
    "introduced_in": "導入年度",
    "fiscal_strength_index": "財政力指数",
}
REQUIRED = (
    "entity_code",
    "fiscal_year",
    "item_id",
    "description",
    "technology",
    "expense_kind",
    "amount",
)
OPTIONAL = tuple(f for f in FIELDS if f not in REQUIRED)
#: Columns that name no field: notes (accepted silently) and unknown ones (UNKNOWN_COLUMN).
EXTRA = ("memo", "備考", "担当課", "国庫補助金")
#: A decimal as tokko writes amounts: no exponent, no trailing fractional zeros.
PLAIN = re.compile(r"0|[1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9]")

AGREEMENTS = [
    ["K-1", "北海道AI共同調達協定", "2021-06-01", "010006;011002;012025;013951"],
    ["K-2", "一団体だけ", "2021-06-01", "011002"],
    ["K-3", "年度後に締結", "2022-04-01", "011002;012025"],
    ["K-4", "東京の協定", "令和3年6月1日", "131016、131024"],
    ["K-5", "日付が読めない", "そのうち", "011002;012025"],
    ["K-1", "番号の重複", "2021-06-01", "011002;012025"],
    ["K-6", "2020年度の協定", "2020-05-01", "01100;01202"],
]
INDICES = [
    ["011002", "2021", "0.45"],
    ["012025", "R3", "0.5"],
    ["012025", "2021", "0.6"],  # another value for the same year: a problem of the file
    ["013030", "2021", "x"],
]

#: Values a clean row takes (every one valid), weighted towards the common ones.
VALID: dict[str, list[str]] = {
    "entity_code": [
        "011002",
        "011002",
        "011002",
        "012025",
        "012025",
        "013030",
        "01100",
        "13951",
        "131016",
        "０１１００２",
        " 012025 ",
    ],
    "fiscal_year": [
        "2021",
        "2021",
        "2021",
        "R3",
        "令和3年度",
        "２０２１",
        "2020",
        "R2",
        "2022",
        "2023",
        "2024",
        "2025",
        "2026",
        "2027",
        "令和9年度",
    ],
    "item_id": ["1", "1", "2", "3", "4", "5", "２", " 1", "A-1", "a-1"],
    "description": ["AI-OCR", "RPA導入", "=SUM(A1)", "改行\nあり", "A,B"],
    "technology": ["AI", "AI", "RPA", "AI+RPA", "ai", "ＡＩ", "AI-OCR", "IoT", " RPA "],
    "business_area": ["", "", "", "財務会計", "住民記録", "国保資格", "子育て支援"],
    "expense_kind": [
        "導入",
        "導入",
        "導入",
        "introduction",
        "利用料",
        "利用料・ライセンス料",
        "license",
        "研修",
        "機器購入",
        "人件費",
    ],
    "amount": [
        "1000",
        "1000",
        "2000",
        "1,234,567",
        "１２３４５６７",
        "1234567円",
        "0",
        "1665",
        "３００，０００",
        "￥2,000",
        "999999999999999",
    ],
    "specific_revenue": ["", "", "", "0", "500", "2000000", "1,000"],
    "procurement": ["", "", "", "単独", "共同", "共同", "joint", "JOINT", "共同調達"],
    "agreement_id": ["", "K-1", "K-1", "K-2", "K-3", "K-4", "K-5", "K-6", "K-9"],
    "contract_id": ["", "", "", "C-1", "C-1", "C-2", "J-1", "J-1", "J-2", "Ｃ－１"],
    "contract_total": ["", "", "5000", "3000", "1,000,000"],
    "introduced_in": ["", "", "2021", "R3", "2020", "令和2年度", "2019"],
    "fiscal_strength_index": ["", "", "", "0.45", "0.45", "０．４５", "0.5"],
    "memo": ["", "", "=1+1", "-x", "備考"],
}
#: Values that make a cell wrong (or make a row the engine reads whole).
BAD: dict[str, list[str]] = {
    "entity_code": ["", "011003", "99999", "999997", "12203", "=1+1"],
    "fiscal_year": ["", "R", "2019", "H99"],
    "item_id": [""],
    "description": ["", " "],
    "technology": [""],
    "business_area": [],
    "expense_kind": ["", "謎"],
    "amount": ["", "12.5", "-5", "abc", "1,200千円", "1000000000000000", "1,23,4"],
    "specific_revenue": ["x", "-1", "0.5"],
    "procurement": ["other"],
    "agreement_id": [],
    "contract_id": [],
    "contract_total": ["bad", "-3"],
    "introduced_in": ["bad", "2022", "2030"],
    "fiscal_strength_index": ["1.234", "-1", "x"],
    "memo": [],
}
ENCODINGS = ("utf-8", "utf-8-sig", "cp932")

for _values in (*VALID.values(), *BAD.values(), *AGREEMENTS, *INDICES):
    for _value in _values:
        _value.encode("cp932")  # every file may be written in CP932


# ── Writing the inputs ───────────────────────────────────────────────────────────────────────


@dataclass
class Layout:
    """How one file is laid out: its columns (fields and extra columns) and their headers."""

    columns: list[str]
    headers: list[str]
    encoding: str


@dataclass
class Batch:
    """Files to run: each a layout and rows of cells by column (None: a blank line; a list:
    a row as it stands, shorter or longer than the header)."""

    files: list[tuple[Layout, list[dict[str, str] | list[str] | None]]]
    agreements: bool = True
    indices: bool = False
    unit: int = 1
    ignore: list[str] = field(default_factory=list)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str] | None],
    encoding: str = "utf-8",
    blank_first: int = 0,
) -> Path:
    """A CSV file; None rows (and ``blank_first`` leading lines) are blank lines."""
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(header)
        for _ in range(blank_first):
            writer.writerow([])
        for row in rows:
            writer.writerow([] if row is None else row)
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def write_inputs(folder: Path, batch: Batch) -> tuple[list[Path], Path | None, Path | None]:
    """The batch's files. File k starts with k × ``offset`` blank lines, more than the lines of
    any file (a row takes at most two: one cell may hold a line break), so that the row numbers
    of two files never meet (calculate_rows' items carry their row, not their file)."""
    offset = 2 * max(len(rows) for _, rows in batch.files) + 10
    paths = []
    for k, (layout, rows) in enumerate(batch.files):
        lines: list[list[str] | None] = []
        for row in rows:
            if row is None or isinstance(row, list):
                lines.append(row)
            else:
                lines.append([row.get(c, "") for c in layout.columns])
        paths.append(
            write_csv(
                folder / f"in{k}.csv",
                layout.headers,
                lines,
                layout.encoding,
                blank_first=k * offset,
            )
        )
    agreements = indices = None
    if batch.agreements:
        agreements = write_csv(
            folder / "agreements.csv", ["協定番号", "協定名", "締結日", "構成団体"], AGREEMENTS
        )
    if batch.indices:
        indices = write_csv(folder / "indices.csv", ["団体コード", "年度", "財政力指数"], INDICES)
    return paths, agreements, indices


# ── Generated tables ─────────────────────────────────────────────────────────────────────────


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    extra = draw(st.lists(st.sampled_from(EXTRA), unique=True, max_size=2))
    columns = draw(st.permutations([*REQUIRED, *optional, *extra]))
    headers = [JA[c] if c in JA and draw(st.booleans()) else c for c in columns]
    return Layout(list(columns), headers, draw(st.sampled_from(ENCODINGS)))


@st.composite
def cells(draw: st.DrawFn) -> dict[str, str]:
    """A clean row with, now and then, a cell or two changed to any value (maybe a bad one)."""
    row = {c: draw(st.sampled_from(values)) for c, values in VALID.items()}
    for name in draw(st.lists(st.sampled_from(list(VALID)), max_size=2)):
        row[name] = draw(st.sampled_from(VALID[name] + BAD[name]))
    return row


@st.composite
def files(draw: st.DrawFn, pool: list[dict[str, str]]) -> tuple[Layout, list[Any]]:
    layout = draw(layouts())
    rows: list[dict[str, str] | list[str] | None] = []
    for _ in range(draw(st.integers(0, 16))):
        shape = draw(
            st.sampled_from(
                ["new"] * 10 + ["repeat"] * 3 + ["blank", "short", "long-empty", "long-value"]
            )
        )
        if shape == "repeat" and pool:  # a row given again, in this file or an earlier one
            rows.append(draw(st.sampled_from(pool)))
            continue
        row = draw(cells())
        pool.append(row)
        if shape == "blank":
            rows.append(None)
        elif shape in ("new", "repeat"):
            rows.append(row)
        else:
            line = [row.get(c, "") for c in layout.columns]
            if shape == "short":
                rows.append(line[: draw(st.integers(1, len(line) - 1))])
            else:
                rows.append([*line, "" if shape == "long-empty" else "余分"])
    return layout, rows


@st.composite
def batches(draw: st.DrawFn, max_files: int = 3) -> Batch:
    pool: list[dict[str, str]] = []
    found = [draw(files(pool)) for _ in range(draw(st.integers(1, max_files)))]
    if len(found) > 1 and draw(st.integers(0, 4)) == 0:
        found.append(found[0])  # a file given twice: every row a repeat
    return Batch(
        found,
        agreements=draw(st.integers(0, 4)) != 0,
        indices=draw(st.integers(0, 3)) == 0,
        unit=draw(st.sampled_from([1, 1, 1000])),
        ignore=draw(st.sampled_from([[], [], ["担当課"]])),
    )


# ── Running and comparing ────────────────────────────────────────────────────────────────────


@dataclass
class Ran:
    report: BatchReport
    results: list[list[str]]
    summary: list[list[str]]
    errors: list[list[str]]


def run(folder: Path, batch: Batch) -> tuple[Ran, Result, list[Any], int]:
    """The batch's outputs, calculate_rows' result over the same rows, the rows, and how many
    problems the files themselves had."""
    inputs, agreements, indices = write_inputs(folder, batch)
    out, summary, errors = folder / "r.csv", folder / "s.csv", folder / "e.csv"
    report = run_batch(
        inputs,
        out=out,
        summary=summary,
        errors=errors,
        agreements=agreements,
        fiscal_strength=indices,
        rules=RULES,
        unit=batch.unit,
        ignore_columns=batch.ignore,
    )
    ran = Ran(report, read_csv(out)[1:], read_csv(summary)[1:], read_csv(errors)[1:])
    rows: list[Any] = []
    problems: list[Any] = []
    for path in inputs:
        declaration = read_declaration_file(path, unit=batch.unit, ignored=batch.ignore)
        rows += declaration.rows
        problems += declaration.problems
    book: list[Any] = []
    known = {}
    if agreements is not None:
        book, found = read_agreements_file(agreements)
        problems += found
    if indices is not None:
        known, found = read_indices_file(indices)
        problems += found
    reference = tokko.calculate_rows(
        rows, RULES, book, unit=batch.unit, problems=problems, explain=False, indices=known
    )
    return ran, reference, rows, len(problems)


def _amount(cell: str, value: Decimal | None) -> bool:
    if value is None:
        return cell == ""
    return bool(PLAIN.fullmatch(cell)) and Decimal(cell) == value


def assert_same(ran: Ran, reference: Result, rows: Sequence[Any], file_problems: int) -> None:
    """Every output of the batch is what calculate_rows says of the same rows."""
    items = {}
    for declaration in reference.declarations:
        for item in declaration.items:
            assert item.row not in items  # the files' row numbers never meet
            items[item.row] = item
    assert len(ran.results) == len(rows)
    outside = 0
    for got, row in zip(ran.results, rows, strict=True):
        status, reasons, warnings, net, rate, measure = got[-6:]
        where = f"{row.file} row {row.number}: {dict(row.data)} → {got[-6:]}"
        item = items.get(row.number)
        if item is None:  # a row whose government or year could not be read
            outside += 1
            assert (status, reasons, warnings, net, rate, measure) == (
                "error",
                "",
                "",
                "",
                "",
                "",
            ), where
            continue
        assert status == item.status, where
        assert reasons == ";".join(item.reasons), where
        assert warnings == ";".join(item.warnings), where
        assert _amount(net, item.net), where
        assert _amount(rate, item.rate), where
        assert _amount(measure, item.measure), where
    assert len(items) + outside == len(rows)

    assert ran.errors == [
        [
            neutralize(e.file or ""),
            "" if e.row is None else str(e.row),
            neutralize(e.column or ""),
            e.code,
            neutralize(e.message),
        ]
        for e in reference.errors
    ]

    expected = []
    for d in sorted(reference.declarations, key=lambda d: (d.entity_code, d.fiscal_year)):
        t, c = d.totals, d.counts
        expected.append(
            (
                d.entity_code,
                d.entity_name,
                str(d.fiscal_year),
                d.rules_version or "",
                c.items,
                c.eligible,
                c.excluded,
                c.error,
                c.warning,
                t.amount,
                t.specific_revenue,
                t.net,
                t.excluded,
                t.measure_by_rate,
                t.fiscal_strength_index,
                t.fiscal_strength_multiplier,
                t.measure_exact,
                t.measure,
                ";".join(d.warnings),
            )
        )
    assert len(ran.summary) == len(expected)
    for line, want in zip(ran.summary, expected, strict=True):
        assert line[:4] == list(want[:4]), (line, want)
        assert [int(n) for n in line[4:9]] == list(want[4:9]), (line, want)
        for position, (cell, value) in enumerate(zip(line[9:18], want[9:18], strict=True), 9):
            if position == 14 and value is not None:  # the index, on the hundredth grid: 0.50
                assert cell == f"{value:.2f}", (line, want)
                continue
            assert _amount(cell, value), (line, want)
        assert line[18] == want[18], (line, want)

    statuses = Counter(item.status for item in items.values())
    warned = [item for item in items.values() if item.warnings]
    counted = Counter(w for item in warned for w in item.warnings)
    report = ran.report
    assert report.rows == len(rows)
    assert report.error_rows == statuses["error"] + outside
    assert report.warning_rows == len(warned)
    assert report.warnings == dict(counted)
    assert report.file_problems == file_problems
    assert report.entities == len(reference.declarations)
    # Exit code 0 only when there were rows, all computed, and every file read whole.
    assert report.ok == (len(rows) > 0 and report.error_rows == 0 and file_problems == 0)


def check(batch: Batch) -> Ran:
    with tempfile.TemporaryDirectory() as name:
        ran, reference, rows, file_problems = run(Path(name), batch)
    assert_same(ran, reference, rows, file_problems)
    return ran


@contextmanager
def colliding() -> Iterator[None]:
    """Bit tables of 8 bits: every item key and every contract shares its bit with others."""
    with (
        mock.patch.object(tokko.batch.keys, "_MIN_BITS", 1 << 3),
        mock.patch.object(tokko.batch.keys, "_MAX_BITS", 1 << 3),
    ):
        yield


@contextmanager
def forgetful() -> Iterator[None]:
    """The batch's memos hold one entry: what decide said is worked out again nearly every row."""
    with mock.patch.object(tokko.batch.rows, "_MEMO", 1):
        yield


@contextmanager
def counting_whole_rows() -> Iterator[list[int]]:
    """Counts the rows the batch reads whole (through prepare) rather than field by field."""
    calls = [0]
    real = tokko.batch.rows.Rows._whole

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(self, *args, **kwargs)

    with mock.patch.object(tokko.batch.rows.Rows, "_whole", counted):
        yield calls


# ── Properties ───────────────────────────────────────────────────────────────────────────────

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(batch=batches())
def test_every_row_as_calculate_rows_gives_it(batch: Batch) -> None:
    """Valid rows, repeated item ids and contracts (single and joint, within and across files),
    joint rows with and without agreements, bad cells of every kind, blank lines, short and long
    rows, 5-digit codes, fiscal strength indices (conflicting ones too), licences with and
    without introduced_in, fiscal 2019–2027, one to four files: every row, error, summary line
    and count is calculate_rows'."""
    check(batch)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=batches())
def test_colliding_keys_change_nothing(batch: Batch) -> None:
    """With a first-pass bit table of 8 bits every item key and contract collides with others
    (each looks as if it may repeat): the outputs are still exactly calculate_rows'."""
    with colliding():
        check(batch)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=batches())
def test_a_full_memo_changes_nothing(batch: Batch) -> None:
    """With room for one remembered fiscal year and one decision, the batch works most rows
    out afresh: the outputs are still exactly calculate_rows'."""
    with forgetful():
        check(batch)


# ── Every kind of row, written out ───────────────────────────────────────────────────────────

CLEAN = {
    "entity_code": "011002",
    "fiscal_year": "2021",
    "item_id": "",
    "description": "AI-OCR",
    "technology": "AI",
    "business_area": "",
    "expense_kind": "導入",
    "amount": "1000",
    "specific_revenue": "",
    "procurement": "",
    "agreement_id": "",
    "contract_id": "",
    "contract_total": "",
    "introduced_in": "",
    "fiscal_strength_index": "",
    "memo": "",
}


def every_kind() -> list[dict[str, str] | None]:
    """One clean row per value of every column (valid and bad), each its own item; then rows
    that repeat an item, a contract (single and joint, within one government and across
    governments) and an index, licences introduced before and in the fiscal year, and joint
    rows naming each agreement."""
    rows: list[dict[str, str] | None] = []
    for name, valid in VALID.items():
        for value in dict.fromkeys(valid + BAD[name]):
            rows.append({**CLEAN, "item_id": f"{name}-{len(rows)}", name: value})
    rows += [
        None,
        {**CLEAN, "item_id": "r1"},
        {**CLEAN, "item_id": "r1", "amount": "2000"},  # DUPLICATE_ITEM_ID
        {**CLEAN, "item_id": "ｒ１", "amount": "bad"},  # a bad repeat: both errors
        {**CLEAN, "item_id": "s1", "contract_id": "S-1"},
        {**CLEAN, "item_id": "s2", "contract_id": "S-1"},  # the same government twice
        {**CLEAN, "item_id": "s3", "contract_id": "S-2", "entity_code": "012025"},
        {**CLEAN, "item_id": "s4", "contract_id": "S-2", "entity_code": "013030"},
        {
            **CLEAN,
            "item_id": "j1",
            "contract_id": "J-9",
            "procurement": "共同",
            "agreement_id": "K-1",
            "amount": "3000",
            "contract_total": "4000",
        },
        {
            **CLEAN,
            "item_id": "j1",
            "contract_id": "J-9",
            "procurement": "共同",
            "entity_code": "012025",
            "agreement_id": "K-1",
            "amount": "2000",
            "contract_total": "4000",
        },
        {
            **CLEAN,
            "item_id": "j2",
            "contract_id": "J-8",
            "procurement": "共同",
            "agreement_id": "K-1",
            "amount": "9000",
            "contract_total": "5000",
        },
        {**CLEAN, "item_id": "l1", "expense_kind": "利用料", "introduced_in": "R2"},
        *(
            {**CLEAN, "item_id": f"k{n}", "procurement": "共同", "agreement_id": agreement}
            for n, agreement in enumerate(dict.fromkeys(VALID["agreement_id"]))
        ),
        {
            **CLEAN,
            "item_id": "k-tokyo",
            "entity_code": "131016",
            "procurement": "共同",
            "agreement_id": "K-1",
        },
        {
            **CLEAN,
            "item_id": "k-2020",
            "fiscal_year": "2020",
            "procurement": "共同",
            "agreement_id": "K-6",
        },
        {**CLEAN, "item_id": "l2", "expense_kind": "license", "introduced_in": "2021"},
        {**CLEAN, "item_id": "i1", "entity_code": "013030", "fiscal_strength_index": "0.3"},
        {**CLEAN, "item_id": "i2", "entity_code": "013030", "fiscal_strength_index": "0.31"},
        {**CLEAN, "item_id": "i3", "entity_code": "013030", "fiscal_strength_index": "0.30"},
        # the only index of 012025/2022 is on a row with another problem
        {
            **CLEAN,
            "item_id": "i4",
            "entity_code": "012025",
            "fiscal_year": "2022",
            "amount": "12.5",
            "fiscal_strength_index": "0.7",
        },
        {**CLEAN, "item_id": "i5", "entity_code": "012025", "fiscal_year": "2022"},
    ]
    return rows


def _layout(encoding: str = "utf-8") -> Layout:
    columns = [*FIELDS, "memo", "担当課"]
    return Layout(columns, columns, encoding)


def test_every_kind_of_row_matches_calculate_rows(tmp_path: Path) -> None:
    """One row for every value the generated tables use, in two files (the second in CP932 with
    Japanese headers, the first file's rows again): calculate_rows' outputs — and between them
    every error code of a row, every reason and every warning of an item."""
    rows = every_kind()
    japanese = Layout([*FIELDS, "備考"], [*(JA[f] for f in FIELDS), "備考"], "cp932")
    batch = Batch([(_layout(), list(rows)), (japanese, list(rows))], indices=True)
    ran, reference, read, file_problems = run(tmp_path, batch)
    assert_same(ran, reference, read, file_problems)
    codes = {e[3] for e in ran.errors}
    assert codes == {str(c) for c in ErrorCode} - {"RULE_VERSION_CONFLICT", "INVALID_RULE_FILE"}
    assert {r[-5] for r in ran.results} - {""} == {str(c) for c in ReasonCode}
    warnings = {w for r in ran.results for w in r[-4].split(";") if w}
    assert warnings == {str(c) for c in WarningCode} - {"FISCAL_STRENGTH_NOT_APPLIED"}
    assert {line[-1] for line in ran.summary} == {"FISCAL_STRENGTH_NOT_APPLIED", ""}


def test_common_rows_are_read_field_by_field(tmp_path: Path) -> None:
    """Rows without any problem never go through the whole reading (prepare), repeated
    contracts and indices included; their outputs are calculate_rows'. Rows with a problem all
    do — so the generated tests above exercise both readings."""
    rows: list[dict[str, str] | None] = []
    for n in range(300):
        rows.append(
            {
                **CLEAN,
                "item_id": str(n),
                "entity_code": ("011002", "012025", "01100", "13951")[n % 4],
                "fiscal_year": ("2021", "R3", "2020", "2026")[n % 7 % 4],
                "technology": ("AI", "RPA", "ＡＩ", "IoT")[n % 9 % 4],
                "expense_kind": ("導入", "利用料", "研修", "機器購入")[n % 11 % 4],
                "business_area": ("", "住民記録")[n % 13 % 2],
                "amount": f"{1000 + 7 * n:,}",
                "procurement": ("", "共同")[n % 5 % 2],
                "agreement_id": ("", "K-1", "K-9")[n % 3],
                "contract_id": ("", f"C-{n % 40}")[n % 2],
                "introduced_in": ("", "2020", "R2")[n % 17 % 3],
                "fiscal_strength_index": ("", "0.45")[n % 19 % 2],
            }
        )
    with tempfile.TemporaryDirectory() as name, counting_whole_rows() as whole:
        ran, reference, read, file_problems = run(Path(name), Batch([(_layout(), rows)]))
    assert_same(ran, reference, read, file_problems)
    assert whole[0] == 0
    assert {r[-6] for r in ran.results} == {"eligible", "excluded"}
    bad = [
        dict(row, amount="12.5") if row is not None and i % 10 == 0 else row
        for i, row in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as name, counting_whole_rows() as whole:
        ran, reference, read, file_problems = run(Path(name), Batch([(_layout(), bad)]))
    assert_same(ran, reference, read, file_problems)
    assert whole[0] == 30


def test_a_field_the_row_reading_does_not_know_is_read_by_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field added to the model but not to the batch's field-by-field reading (here:
    contract_total, taken out of that reading) sends every row of a table with its column down
    the engine's own path: the same outputs as calculate_rows, never the field ignored."""
    import tokko.batch.rows

    known = tuple(f if f != "contract_total" else "(unknown)" for f in tokko.batch.rows._FIELDS)
    monkeypatch.setattr(tokko.batch.rows, "_FIELDS", known)
    rows: list[dict[str, str] | None] = [
        {
            **CLEAN,
            "item_id": str(n),
            "contract_id": "C-1",
            "procurement": "共同",
            "agreement_id": "K-1",
            "amount": "600,000",
            "contract_total": "1,000,000",
        }
        for n in range(3)
    ]
    layout = _layout()
    if "contract_total" not in layout.columns:
        layout = Layout(
            [*layout.columns, "contract_total"],
            [*layout.headers, "contract_total"],
            layout.encoding,
        )
    with counting_whole_rows() as whole:
        ran, reference, read, file_problems = run(tmp_path, Batch([(layout, rows)]))
    assert_same(ran, reference, read, file_problems)
    assert whole[0] == 3
    assert any("JOINT_SHARES_EXCEED_CONTRACT" in r[-4] for r in ran.results)


def test_a_large_generated_batch_with_colliding_keys(tmp_path: Path) -> None:
    """benchmarks/generate.py's realistic rows (joint shares spread through the file, many
    contracts) run with 8-bit tables, where every key collides: calculate_rows' outputs."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("tokko_benchmarks_generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data, agreements = tmp_path / "in0.csv", tmp_path / "agreements.csv"
    module.generate(3000, data, agreements)
    results = {}
    for name, context in (("roomy", nullcontext()), ("tight", colliding())):
        folder = tmp_path / name
        folder.mkdir()
        out = folder / "r.csv"
        with context:
            report = run_batch(
                [data],
                out=out,
                summary=folder / "s.csv",
                errors=folder / "e.csv",
                agreements=agreements,
                rules=RULES,
            )
        results[name] = (
            report,
            out.read_bytes(),
            (folder / "s.csv").read_bytes(),
            (folder / "e.csv").read_bytes(),
        )
    assert results["roomy"] == results["tight"]
    assert results["roomy"][0].rows == 3000
    rows = read_declaration_file(data).rows
    book, problems = read_agreements_file(agreements)
    reference = tokko.calculate_rows(rows, RULES, book, problems=problems, explain=False)
    folder = tmp_path / "tight"
    ran = Ran(
        results["tight"][0],
        read_csv(folder / "r.csv")[1:],
        read_csv(folder / "s.csv")[1:],
        read_csv(folder / "e.csv")[1:],
    )
    assert_same(ran, reference, rows, len(problems))
    assert any("JOINT_RATE" in r[-5] for r in ran.results)
