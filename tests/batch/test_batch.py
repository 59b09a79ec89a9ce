"""tokko.batch.run_batch: a prefecture's batch review, file in and files out (SPEC §3–§6).

Every expected value below is worked out by hand from SPEC §4 and the shipped rule files:

- fiscal 2020 — rules/ai-rpa/2020.toml, version 2020.1: standard rate 0.3; no joint rate (a
  joint row gets 0.3 and JOINT_RATE_NOT_IN_FORCE); no standardization exclusion;
- from fiscal 2021 — rules/ai-rpa/2021.toml, version 2021.2: standard rate 0.3, joint rate 0.5
  (agreement concluded by 31 March of the fiscal year, at least two parties, the declaring
  government among them), the 20 standardization-target businesses excluded, confirmed through
  fiscal 2025 (later years carry RULES_UNCONFIRMED_FOR_YEAR);
- both: specific revenue deducted first (net never below 0); a licence (利用料・ライセンス料) counts
  in its year of introduction only — without introduced_in it is computed with
  INTRODUCTION_YEAR_MISSING; the fiscal-strength adjustment applies but no multiplier table is
  transcribed, so measure_exact = measure_by_rate and every summary line carries
  FISCAL_STRENGTH_NOT_APPLIED; the declaration total is rounded half up to 1,000 yen.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import gc
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokko
import tokko.batch.rows
import tokko.batch.run
import tokko.io.writers
from tokko.batch import BatchReport, run_batch
from tokko.errors import InputFileError, OutputFileError, UsageError
from tokko.messages import t

RULES = tokko.load_rules()
ROOT = Path(__file__).resolve().parents[2]

EN = (
    "entity_code",
    "fiscal_year",
    "item_id",
    "description",
    "technology",
    "business_area",
    "expense_kind",
    "amount",
    "specific_revenue",
    "procurement",
    "agreement_id",
    "contract_id",
    "contract_total",
)
RESULT = ("status", "reasons", "warnings", "net", "rate", "measure")
SUMMARY = (
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
ERRORS = ("file", "row", "column", "code", "message")
NOT_APPLIED = "FISCAL_STRENGTH_NOT_APPLIED"
MISSING_YEAR = "INTRODUCTION_YEAR_MISSING"

Cells = dict[str, str]
Expected = tuple[str, str, str, str, str, str]


# ── Helpers ──────────────────────────────────────────────────────────────────────────────────


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object] | None],
    encoding: str = "utf-8",
) -> Path:
    """Write a CSV the way an office tool does; None is a blank line."""
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([] if row is None else row)
    return path


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream))


def summary_line(
    entity: str,
    name: str,
    year: str,
    version: str,
    counts: tuple[int, int, int, int, int],
    amounts: tuple[object, object, object, object, object],
    measure: object,
) -> list[str]:
    """One summary line as the batch writes it with the shipped rules.

    ``counts``: items, eligible, excluded, error, warning items. ``amounts``: amount, specific
    revenue deducted, net (eligible), excluded, measure_by_rate. No multiplier table is
    transcribed: index and multiplier are empty, measure_exact = measure_by_rate, and the line
    carries FISCAL_STRENGTH_NOT_APPLIED.
    """
    return [
        entity,
        name,
        year,
        version,
        *(str(c) for c in counts),
        *(str(a) for a in amounts),
        "",
        "",
        str(amounts[4]),
        str(measure),
        NOT_APPLIED,
    ]


@dataclass
class Outputs:
    """The three files of a run, read back."""

    report: BatchReport
    header: list[str]
    results: list[list[str]]
    summary: list[list[str]]
    errors: list[list[str]]

    def result(self, index: int) -> dict[str, str]:
        """One results row as column → cell (the last column of a name wins)."""
        return dict(zip(self.header, self.results[index], strict=True))

    def outcomes(self) -> list[tuple[str, ...]]:
        """status, reasons, warnings, net, rate, measure of every results row."""
        return [tuple(row[-6:]) for row in self.results]

    def error_keys(self) -> list[tuple[str, str, str, str]]:
        return [(e[0], e[1], e[2], e[3]) for e in self.errors]


def run(tmp_path: Path, inputs: Sequence[Path], **options: Any) -> Outputs:
    """run_batch into tmp_path/out, and the three CSV files read back."""
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    out, summary, errors = folder / "results.csv", folder / "summary.csv", folder / "errors.csv"
    options.setdefault("rules", RULES)
    report = run_batch(inputs, out=out, summary=summary, errors=errors, **options)
    encoding = "cp932" if options.get("encoding") == "cp932" else "utf-8-sig"
    results = read_csv(out, encoding)
    summary_rows = read_csv(summary, encoding)
    error_rows = read_csv(errors, encoding)
    assert tuple(results[0][-6:]) == RESULT
    assert tuple(summary_rows[0]) == SUMMARY
    assert tuple(error_rows[0]) == ERRORS
    assert all(len(row) == len(results[0]) for row in results)
    assert all(len(row) == len(SUMMARY) for row in summary_rows)
    assert sorted(p.name for p in folder.iterdir()) == ["errors.csv", "results.csv", "summary.csv"]
    return Outputs(report, results[0], results[1:], summary_rows[1:], error_rows[1:])


def half_up_thousand(value: Decimal) -> Decimal:
    return (value / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000


def assert_reconciles(outputs: Outputs, outside: int = 0) -> None:
    """The summary adds up to the results exactly (counts, net, excluded, measure), and the
    report counts the rows, error rows, warning rows and warnings of the results.

    ``outside`` rows are error rows whose government or year could not be read: they are in the
    results and the report, in no summary line (SPEC §6).
    """
    lines = [dict(zip(SUMMARY, line, strict=True)) for line in outputs.summary]
    statuses = [row[-6] for row in outputs.results]
    assert sum(int(s["items"]) for s in lines) == len(outputs.results) - outside
    assert sum(int(s["eligible_items"]) for s in lines) == statuses.count("eligible")
    assert sum(int(s["excluded_items"]) for s in lines) == statuses.count("excluded")
    assert sum(int(s["error_items"]) for s in lines) == statuses.count("error") - outside
    assert sum(int(s["warning_items"]) for s in lines) == sum(1 for r in outputs.results if r[-4])
    net = {"eligible": Decimal(0), "excluded": Decimal(0)}
    measure = Decimal(0)
    for row in outputs.results:
        status, _, warnings, row_net, rate, row_measure = row[-6:]
        if status == "error":
            assert (warnings, row_net, rate, row_measure) == ("", "", "", "")
            continue
        net[status] += Decimal(row_net)
        measure += Decimal(row_measure)
    assert sum(Decimal(s["net"]) for s in lines) == net["eligible"]
    assert sum(Decimal(s["excluded"]) for s in lines) == net["excluded"]
    assert sum(Decimal(s["measure_by_rate"]) for s in lines) == measure
    for s in lines:
        assert Decimal(s["amount"]) == (
            Decimal(s["net"]) + Decimal(s["excluded"]) + Decimal(s["specific_revenue"])
        )
        assert int(s["items"]) == (
            int(s["eligible_items"]) + int(s["excluded_items"]) + int(s["error_items"])
        )
        # No multiplier table in the shipped rules: nothing multiplies, the line says so.
        assert s["measure_exact"] == s["measure_by_rate"]
        assert s["fiscal_strength_multiplier"] == ""
        if s["rules_version"]:
            assert Decimal(s["measure"]) == half_up_thousand(Decimal(s["measure_exact"]))
            assert s["warnings"] == NOT_APPLIED
    keys = [(s["entity_code"], int(s["fiscal_year"])) for s in lines]
    assert keys == sorted(keys)
    report = outputs.report
    assert report.rows == len(outputs.results)
    assert report.error_rows == statuses.count("error")
    assert report.warning_rows == sum(1 for r in outputs.results if r[-4])
    assert report.entities == len(lines)
    counted: dict[str, int] = defaultdict(int)
    for row in outputs.results:
        for code in filter(None, row[-4].split(";")):
            counted[code] += 1
    assert report.warnings == dict(counted)


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# ── The realistic declaration every dialect spells (SPEC §3) ─────────────────────────────────


def cells(
    entity: str,
    year: str,
    item: str,
    description: str,
    technology: str,
    area: str,
    kind: str,
    amount: str,
    revenue: str = "",
    procurement: str = "",
    agreement: str = "",
    contract: str = "",
    total: str = "",
) -> Cells:
    return dict(
        zip(
            EN,
            (
                entity,
                year,
                item,
                description,
                technology,
                area,
                kind,
                amount,
                revenue,
                procurement,
                agreement,
                contract,
                total,
            ),
            strict=True,
        )
    )


#: (cells, memo, expected status/reasons/warnings/net/rate/measure); None is a blank line.
DECLARATIONS: list[tuple[Cells, str, Expected] | None] = [
    # row 2: 1,200,000 × 0.3
    (
        cells(
            "011002",
            "R3",
            "1",
            "AI-OCRによる申請書読取",
            "AI",
            "財務会計",
            "導入・構築",
            "1,200,000",
        ),
        "本庁",
        ("eligible", "STANDARD_RATE", "", "1200000", "0.3", "360000"),
    ),
    # row 3: 住民記録 is an alias of 住民基本台帳, a standardization target
    (
        cells(
            "011002",
            "2021",
            "2",
            "RPAによる住民票入力",
            "RPA",
            "住民記録",
            "導入",
            "500000",
            procurement="単独",
        ),
        "",
        ("excluded", "EXCLUDED_STANDARDIZATION_TARGET", "", "500000", "0", "0"),
    ),
    # row 4: joint under K-1, 2,000,000 − 1,000,000 revenue = 1,000,000 × 0.5; a licence
    # without introduced_in is computed as its first year, with INTRODUCTION_YEAR_MISSING
    (
        cells(
            "011002",
            "令和3年度",
            "3",
            "共同AIチャットボット",
            "AI",
            "問合せ対応",
            "利用料",
            "2000000",
            "1000000",
            "共同",
            "K-1",
            "C-100",
            "6000000",
        ),
        "共同調達",
        ("eligible", "JOINT_RATE", MISSING_YEAR, "1000000", "0.5", "500000"),
    ),
    # row 5: "1000円", joint under K-1: 1,000 × 0.5
    (
        cells("011002", "2021", "4", "RPA研修", "RPA", "", "研修", "1000円", "", "joint", "K-1"),
        "",
        ("eligible", "JOINT_RATE", "", "1000", "0.5", "500"),
    ),
    # row 6: full-width digits and comma; equipment is not an eligible kind
    (
        cells("011002", "2021", "5", "業務用タブレット", "AI", "", "機器購入", "３００，０００"),
        "",
        ("excluded", "EXCLUDED_EXPENSE_KIND", "", "300000", "0", "0"),
    ),
    # row 7: IoT is not AI or RPA
    (
        cells("011002", "2021", "6", "IoTセンサー", "IoT", "", "導入", "100000"),
        "",
        ("excluded", "EXCLUDED_TECHNOLOGY", "", "100000", "0", "0"),
    ),
    # row 8: revenue 150,000 > amount 100,000 → net 0
    (
        cells("011002", "2021", "7", "補助金つきRPA", "RPA", "", "導入", "100000", "150000"),
        "",
        ("eligible", "STANDARD_RATE", "REVENUE_EXCEEDS_AMOUNT", "0", "0.3", "0"),
    ),
    # row 9: a fraction of a yen
    (
        cells("011002", "2021", "8", "金額誤り", "AI", "", "導入", "12.5"),
        "要確認",
        ("error", "", "", "", "", ""),
    ),
    None,  # row 10: a blank line, skipped but counted
    # row 11: Hakodate's share of C-100 (2,000,000 + 3,000,000 ≤ 6,000,000: no contract
    # warning); a licence without introduced_in
    (
        cells(
            "012025",
            "2021",
            "1",
            "共同AIチャットボット",
            "AI",
            "問合せ対応",
            "利用料・ライセンス料",
            "3000000",
            "",
            "共同",
            "K-1",
            "C-100",
            "6000000",
        ),
        "",
        ("eligible", "JOINT_RATE", MISSING_YEAR, "3000000", "0.5", "1500000"),
    ),
    # row 12: a 5-digit code (01202 names 012025 as a 5-digit code; 001202 names nothing, so no
    # warning), lower-case technology: 1,665 × 0.3 = 499.5
    (
        cells("01202", "R3", "2", "RPAによる支払処理", "rpa", "会計", "導入", "1665"),
        "",
        ("eligible", "STANDARD_RATE", "", "1665", "0.3", "499.5"),
    ),
    # row 13: item ２ (full width) repeats item 2 of the same government and year
    (
        cells("012025", "2021", "２", "重複した項目", "AI", "", "導入", "1000"),
        "",
        ("error", "", "", "", "", ""),
    ),
    # row 14: joint without an agreement id → standard rate and a warning
    (
        cells("013030", "2021", "1", "AIチャットボット", "AI", "", "コンサル", "1000", "", "共同"),
        "",
        ("eligible", "STANDARD_RATE", "JOINT_WITHOUT_AGREEMENT", "1000", "0.3", "300"),
    ),
    # row 15: an expense kind the rule file does not name
    (
        cells("013030", "2021", "2", "謎の経費", "AI", "", "謎経費", "1000"),
        "",
        ("error", "", "", "", "", ""),
    ),
    # row 16: fiscal 2026 is after confirmed_through (2025)
    (
        cells("013030", "2026", "1", "RPA更新", "RPA", "", "導入", "2000"),
        "",
        ("eligible", "STANDARD_RATE", "RULES_UNCONFIRMED_FOR_YEAR", "2000", "0.3", "600"),
    ),
    # row 17: fiscal 2020 is computed under 2020.1 (0.3 was in force): 1,000 × 0.3
    (
        cells("013030", "2020", "1", "前年度分", "AI", "", "導入", "1000"),
        "",
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
    ),
]
DECLARATION_ERRORS = [
    ("9", "amount", "INVALID_AMOUNT"),
    ("13", "item_id", "DUPLICATE_ITEM_ID"),
    ("15", "expense_kind", "UNKNOWN_VALUE"),
]
# 011002/2021 (rows 2–9): amount 1,200,000 + 500,000 + 2,000,000 + 1,000 + 300,000 + 100,000
# + 100,000 = 4,201,000; revenue 1,000,000 + 100,000 (capped at the amount) = 1,100,000; net
# 1,200,000 + 1,000,000 + 1,000 + 0 = 2,201,000; excluded 500,000 + 300,000 + 100,000;
# measure 360,000 + 500,000 + 500 = 860,500 → 861,000 (half up); warnings on rows 4 and 8.
# 012025/2021 (rows 11–13): 3,000,000 + 1,665; measure 1,500,000 + 499.5 → 1,500,000; row 11
# warns. 013030/2020 (row 17, rules 2020.1): 300 → 0. 013030/2021 (rows 14–15): 300 → 0, row 14
# warns. 013030/2026 (row 16): 600 → 1,000, warns.
DECLARATION_SUMMARY = [
    summary_line(
        "011002",
        "札幌市",
        "2021",
        "2021.2",
        (8, 4, 3, 1, 2),
        (4201000, 1100000, 2201000, 900000, 860500),
        861000,
    ),
    summary_line(
        "012025",
        "函館市",
        "2021",
        "2021.2",
        (3, 2, 0, 1, 1),
        (3001665, 0, 3001665, 0, "1500499.5"),
        1500000,
    ),
    summary_line("013030", "当別町", "2020", "2020.1", (1, 1, 0, 0, 0), (1000, 0, 1000, 0, 300), 0),
    summary_line("013030", "当別町", "2021", "2021.2", (2, 1, 0, 1, 1), (1000, 0, 1000, 0, 300), 0),
    summary_line(
        "013030", "当別町", "2026", "2021.2", (1, 1, 0, 0, 1), (2000, 0, 2000, 0, 600), 1000
    ),
]
#: Rows 4, 8, 11, 14 and 16 carry a warning.
DECLARATION_WARNINGS = {
    MISSING_YEAR: 2,
    "REVENUE_EXCEEDS_AMOUNT": 1,
    "JOINT_WITHOUT_AGREEMENT": 1,
    "RULES_UNCONFIRMED_FOR_YEAR": 1,
}


@dataclass(frozen=True)
class Dialect:
    """How one office spells the same declaration: encoding, headers, column order."""

    name: str
    encoding: str
    #: Input headers in file order: a canonical field name, or an extra column.
    columns: tuple[tuple[str, str], ...]  # (header text, canonical field or "" for extra)
    agreement_encoding: str
    agreement_header: tuple[str, str, str, str]
    agreement_row: tuple[str, str, str, str]
    expected_header: tuple[str, ...]
    #: Extra columns that name no field and are no personal note (UNKNOWN_COLUMN).
    unknown: tuple[str, ...] = ()


DIALECTS = [
    Dialect(
        "utf8-english",
        "utf-8",
        (*((f, f) for f in EN), ("memo", "")),
        "utf-8",
        ("agreement_id", "title", "concluded_on", "parties"),
        ("K-1", "北海道AI共同調達協定", "2021-06-01", "010006;011002;012025"),
        (*EN, "memo", *RESULT),
    ),
    Dialect(
        "bom-english-words-reordered",
        "utf-8-sig",
        (
            ("Item Number", "item_id"),
            ("Local Government Code", "entity_code"),
            ("Fiscal Year", "fiscal_year"),
            ("Amount", "amount"),
            ("memo", ""),
            ("Description", "description"),
            ("Technology", "technology"),
            ("Expense Kind", "expense_kind"),
            ("Business Area", "business_area"),
            ("Specific Revenue", "specific_revenue"),
            ("Procurement", "procurement"),
            ("Agreement Number", "agreement_id"),
            ("Contract Number", "contract_id"),
            ("Contract Total", "contract_total"),
        ),
        "utf-8-sig",
        ("agreement number", "title", "date concluded", "parties"),
        ("K-1", "北海道AI共同調達協定", "2021/6/1", "01000;01100;01202"),
        (
            "item_id",
            "entity_code",
            "fiscal_year",
            "amount",
            "memo",
            "description",
            "technology",
            "expense_kind",
            "business_area",
            "specific_revenue",
            "procurement",
            "agreement_id",
            "contract_id",
            "contract_total",
            *RESULT,
        ),
    ),
    Dialect(
        "cp932-japanese-shuffled",
        "cp932",
        (
            ("担当課", ""),
            ("年度", "fiscal_year"),
            ("団体コード", "entity_code"),
            ("事業名", "description"),
            ("項目番号", "item_id"),
            ("区分", "technology"),
            ("経費区分", "expense_kind"),
            ("対象業務", "business_area"),
            ("事業費（円）", "amount"),
            ("特定財源", "specific_revenue"),
            ("調達方法", "procurement"),
            ("協定番号", "agreement_id"),
            ("契約番号", "contract_id"),
            ("契約総額", "contract_total"),
            ("備考", ""),
        ),
        "cp932",
        ("協定番号", "協定名", "締結日", "構成団体"),
        ("K-1", "北海道AI共同調達協定", "令和3年6月1日", "010006、011002、012025"),
        (
            "担当課",
            "fiscal_year",
            "entity_code",
            "description",
            "item_id",
            "technology",
            "expense_kind",
            "business_area",
            "amount",
            "specific_revenue",
            "procurement",
            "agreement_id",
            "contract_id",
            "contract_total",
            "備考",
            *RESULT,
        ),
        unknown=("担当課",),
    ),
]


def input_row(dialect: Dialect, row: Cells, memo: str) -> list[str]:
    values = []
    for header, field in dialect.columns:
        if field:
            values.append(row[field])
        else:
            values.append("情報政策課" if header == "担当課" else memo)
    return values


#: Fields whose cells a row that was read carries as read (SPEC §6: plain numbers), and
#: what the spellings of DECLARATIONS read as, by hand.
_READ = {"entity_code", "fiscal_year", "amount", "specific_revenue", "contract_total"}
_AS_READ = {
    "R3": "2021",
    "令和3年度": "2021",
    "1,200,000": "1200000",
    "1000円": "1000",
    "３００，０００": "300000",
    "01202": "012025",
}


def write_dialect(tmp_path: Path, dialect: Dialect) -> tuple[Path, Path]:
    declarations = write_csv(
        tmp_path / f"{dialect.name}.csv",
        [h for h, _ in dialect.columns],
        [None if d is None else input_row(dialect, d[0], d[1]) for d in DECLARATIONS],
        dialect.encoding,
    )
    agreements = write_csv(
        tmp_path / f"{dialect.name}-agreements.csv",
        dialect.agreement_header,
        [dialect.agreement_row],
        dialect.agreement_encoding,
    )
    return declarations, agreements


# ── Inputs as offices have them ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_every_dialect_gives_the_hand_computed_results(tmp_path: Path, dialect: Dialect) -> None:
    """UTF-8, BOM or CP932; English or Japanese headers in any order: the same results. memo
    and 備考 are accepted silently; 担当課 names no field: UNKNOWN_COLUMN on row 1 of the
    errors file, its cells still carried, the rows still computed."""
    declarations, agreements = write_dialect(tmp_path, dialect)
    outputs = run(tmp_path, [declarations], agreements=agreements)
    assert tuple(outputs.header) == dialect.expected_header
    rows = [d for d in DECLARATIONS if d is not None]
    assert len(outputs.results) == len(rows) == 15
    for index, (row, memo, expected) in enumerate(rows):
        got = outputs.result(index)
        assert tuple(got[c] for c in RESULT) == expected, f"row {index}: {row}"
        carried = input_row(dialect, row, memo)
        if expected[0] != "error":  # a row read carries its code, year and yen as read
            carried = [
                _AS_READ.get(c, c) if f in _READ else c
                for c, (_, f) in zip(carried, dialect.columns, strict=True)
            ]
        assert outputs.results[index][:-6] == carried  # the input cells, as read
    assert outputs.summary == DECLARATION_SUMMARY
    unknown = [("1", header, "UNKNOWN_COLUMN") for header in dialect.unknown]
    assert [(e[1], e[2], e[3]) for e in outputs.errors] == [*unknown, *DECLARATION_ERRORS]
    assert {e[0] for e in outputs.errors} == {str(declarations)}
    assert all(e[4] for e in outputs.errors)  # every error has a message
    assert "12.5" in outputs.errors[len(unknown)][4]
    report = outputs.report
    assert (
        report.rows,
        report.error_rows,
        report.warning_rows,
        report.file_problems,
        report.entities,
    ) == (15, 3, 5, len(dialect.unknown), 5)
    assert report.warnings == DECLARATION_WARNINGS
    assert report.files == [str(declarations)]
    assert not report.ok
    assert_reconciles(outputs)


def test_unknown_column_is_reported_and_notes_are_silent(tmp_path: Path) -> None:
    """Valid rows with 備考 and memo: nothing in the errors file, the run is ok. The same rows
    with 担当課 and 国庫補助金: UNKNOWN_COLUMN for each (row 1, the header as column; 国庫補助金
    suggests 特定財源), the rows still computed, the run not ok; --ignore-column accepts one."""
    header = [*EN[:8], "備考", "memo"]
    rows = [["011002", "2021", "1", "AI-OCR", "AI", "", "導入", "1000", "本庁", "x"]]
    (tmp_path / "a").mkdir()
    silent = run(tmp_path / "a", [write_csv(tmp_path / "notes.csv", header, rows)])
    assert silent.errors == []
    assert silent.report.ok
    assert silent.report.file_problems == 0

    header = [*EN[:8], "担当課", "国庫補助金"]
    rows = [["011002", "2021", "1", "AI-OCR", "AI", "", "導入", "1000", "情報政策課", "500"]]
    source = write_csv(tmp_path / "unknown.csv", header, rows)
    (tmp_path / "b").mkdir()
    outputs = run(tmp_path / "b", [source])
    # The 国庫補助金 cell is carried, never deducted: 1,000 × 0.3.
    assert outputs.outcomes() == [("eligible", "STANDARD_RATE", "", "1000", "0.3", "300")]
    assert outputs.results[0][8:10] == ["情報政策課", "500"]
    assert outputs.error_keys() == [
        (str(source), "1", "担当課", "UNKNOWN_COLUMN"),
        (str(source), "1", "国庫補助金", "UNKNOWN_COLUMN"),
    ]
    assert "特定財源" in outputs.errors[1][4]
    report = outputs.report
    assert (report.rows, report.error_rows, report.file_problems) == (1, 0, 2)
    assert not report.ok

    (tmp_path / "c").mkdir()
    ignored = run(tmp_path / "c", [source], ignore_columns=["担当課"])
    assert ignored.error_keys() == [(str(source), "1", "国庫補助金", "UNKNOWN_COLUMN")]
    assert ignored.report.file_problems == 1


def test_unreadable_government_or_year_is_in_no_summary_line(tmp_path: Path) -> None:
    """A row whose government or fiscal year cannot be read is an error of the run (errors file,
    BatchReport.rows and error_rows) and belongs to no summary line; the other rows of the same
    file are summed as usual."""
    source = write_csv(
        tmp_path / "d.csv",
        EN[:8],
        [
            ["011002", "2021", "1", "AI-OCR", "AI", "", "導入", "1000"],  # row 2: 300
            ["999999", "2021", "2", "番号誤り", "AI", "", "導入", "1000"],  # row 3
            ["", "2021", "3", "団体なし", "AI", "", "導入", "1000"],  # row 4
            ["011002", "R", "4", "年度誤り", "AI", "", "導入", "1000"],  # row 5
            ["011002", "", "5", "年度なし", "AI", "", "導入", "1000"],  # row 6
            ["12203", "2021", "6", "二通りに読める", "AI", "", "導入", "1000"],  # row 7
            ["011002", "2021", "7", "AI-OCR", "AI", "", "導入", "2000"],  # row 8: 600
        ],
    )
    outputs = run(tmp_path, [source])
    error = ("error", "", "", "", "", "")
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        error,
        error,
        error,
        error,
        error,
        ("eligible", "STANDARD_RATE", "", "2000", "0.3", "600"),
    ]
    assert [k[1:] for k in outputs.error_keys()] == [
        ("3", "entity_code", "INVALID_CODE"),
        ("4", "entity_code", "MISSING_FIELD"),
        ("5", "fiscal_year", "INVALID_FISCAL_YEAR"),
        ("6", "fiscal_year", "MISSING_FIELD"),
        ("7", "entity_code", "AMBIGUOUS_CODE"),
    ]
    # 300 + 600 = 900 → 1,000 (half up).
    assert outputs.summary == [
        summary_line(
            "011002", "札幌市", "2021", "2021.2", (2, 2, 0, 0, 0), (3000, 0, 3000, 0, 900), 1000
        )
    ]
    report = outputs.report
    assert (report.rows, report.error_rows, report.entities) == (7, 5, 1)
    assert_reconciles(outputs, outside=5)


def test_fiscal_2020_rows_use_the_2020_rules(tmp_path: Path) -> None:
    """Fiscal 2020 is computed under 2020.1: 0.3, no joint rate (JOINT_RATE_NOT_IN_FORCE), no
    standardization exclusion; 2019 has no rules (NO_RULES_FOR_YEAR) but a readable government
    and year, so its line is in the summary with no rules version and nothing computed."""
    agreements = write_csv(
        tmp_path / "k.csv",
        ["協定番号", "締結日", "構成団体"],
        [["K-1", "2020-04-01", "011002;012025"]],
    )
    source = write_csv(
        tmp_path / "d.csv",
        EN,
        [
            # row 2: joint under a good agreement, but 2020.1 has no joint rate: 10,000 × 0.3
            ["011002", "R2", "1", "共同AI", "AI", "", "導入", "10000", "", "共同", "K-1", "", ""],
            # row 3: 住民記録 is no exclusion in 2020.1: 5,000 × 0.3
            [
                "011002",
                "令和2年度",
                "2",
                "RPA",
                "RPA",
                "住民記録",
                "導入",
                "5000",
                "",
                "",
                "",
                "",
                "",
            ],
            # row 4: the same in 2021 is excluded
            ["011002", "2021", "2", "RPA", "RPA", "住民記録", "導入", "5000", "", "", "", "", ""],
            # row 5: before the first rules
            ["011002", "2019", "1", "RPA", "RPA", "", "導入", "5000", "", "", "", "", ""],
        ],
    )
    outputs = run(tmp_path, [source], agreements=agreements)
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "JOINT_RATE_NOT_IN_FORCE", "10000", "0.3", "3000"),
        ("eligible", "STANDARD_RATE", "", "5000", "0.3", "1500"),
        ("excluded", "EXCLUDED_STANDARDIZATION_TARGET", "", "5000", "0", "0"),
        ("error", "", "", "", "", ""),
    ]
    assert outputs.error_keys() == [(str(source), "5", "fiscal_year", "NO_RULES_FOR_YEAR")]
    assert outputs.summary == [
        [
            "011002",
            "札幌市",
            "2019",
            "",
            "1",
            "0",
            "0",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "",
            "",
            "0",
            "0",
            "",
        ],
        # 3,000 + 1,500 = 4,500 → 5,000 (half up)
        summary_line(
            "011002", "札幌市", "2020", "2020.1", (2, 2, 0, 0, 1), (15000, 0, 15000, 0, 4500), 5000
        ),
        summary_line(
            "011002", "札幌市", "2021", "2021.2", (1, 0, 1, 0, 0), (5000, 0, 0, 5000, 0), 0
        ),
    ]
    assert_reconciles(outputs)


def test_first_year_rule_and_fiscal_strength_index(tmp_path: Path) -> None:
    """A licence introduced before the fiscal year is EXCLUDED_NOT_FIRST_YEAR, introduced in it
    is eligible without warning, introduced after it is INVALID_FISCAL_YEAR; introduced_in does
    not matter to other kinds. The first fiscal_strength_index of a government-year stands (the
    summary shows it, still FISCAL_STRENGTH_NOT_APPLIED: no table); a later row giving another
    is FISCAL_STRENGTH_INDEX_CONFLICT."""
    header = [*EN[:8], "introduced_in", "fiscal_strength_index"]
    source = write_csv(
        tmp_path / "d.csv",
        header,
        [
            # row 2: licence introduced in 2020, fiscal 2021 → excluded
            ["011002", "2021", "1", "ライセンス", "AI", "", "利用料", "10000", "R2", "0.45"],
            # row 3: licence introduced in 2021 → 10,000 × 0.3
            ["011002", "2021", "2", "ライセンス", "AI", "", "利用料", "10000", "令和3年度", ""],
            # row 4: introduced in 2022, after fiscal 2021 → error
            ["011002", "2021", "3", "ライセンス", "AI", "", "利用料", "10000", "2022", ""],
            # row 5: an introduction cost introduced earlier still counts: 20,000 × 0.3
            ["011002", "2021", "4", "構築", "AI", "", "導入", "20000", "2019", "０．４５"],
            # row 6: another index for 011002/2021 → error
            ["011002", "2021", "5", "構築", "AI", "", "導入", "20000", "", "0.5"],
            # row 7: another government may give its own index
            ["012025", "2021", "1", "構築", "AI", "", "導入", "1000", "", "0.5"],
        ],
    )
    outputs = run(tmp_path, [source])
    error = ("error", "", "", "", "", "")
    assert outputs.outcomes() == [
        ("excluded", "EXCLUDED_NOT_FIRST_YEAR", "", "10000", "0", "0"),
        ("eligible", "STANDARD_RATE", "", "10000", "0.3", "3000"),
        error,
        ("eligible", "STANDARD_RATE", "", "20000", "0.3", "6000"),
        error,
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
    ]
    assert [k[1:] for k in outputs.error_keys()] == [
        ("4", "introduced_in", "INVALID_FISCAL_YEAR"),
        ("6", "fiscal_strength_index", "FISCAL_STRENGTH_INDEX_CONFLICT"),
    ]
    # 011002: amount 10,000 + 10,000 + 20,000; measure 3,000 + 6,000 = 9,000.
    # 012025: 300 → 0.
    assert outputs.summary == [
        [
            "011002",
            "札幌市",
            "2021",
            "2021.2",
            "5",
            "2",
            "1",
            "2",
            "0",
            "40000",
            "0",
            "30000",
            "10000",
            "9000",
            "0.45",
            "",
            "9000",
            "9000",
            NOT_APPLIED,
        ],
        [
            "012025",
            "函館市",
            "2021",
            "2021.2",
            "1",
            "1",
            "0",
            "0",
            "0",
            "1000",
            "0",
            "1000",
            "0",
            "300",
            "0.50",
            "",
            "300",
            "0",
            NOT_APPLIED,
        ],
    ]


def test_the_first_index_given_stands_even_on_an_error_row(tmp_path: Path) -> None:
    """The first fiscal_strength_index a row of a government-year gives is its index, whether
    or not that row has another problem: a later row giving another is
    FISCAL_STRENGTH_INDEX_CONFLICT against it, and the summary line shows it (as
    tokko.calculate_rows' declaration totals do)."""
    header = [*EN[:8], "fiscal_strength_index"]
    source = write_csv(
        tmp_path / "d.csv",
        header,
        [
            # row 2: a bad amount, index 0.45
            ["011002", "2021", "1", "構築", "AI", "", "導入", "12.5", "0.45"],
            # row 3: 0.5 is not 0.45 → error
            ["011002", "2021", "2", "構築", "AI", "", "導入", "1000", "0.5"],
            # row 4: no index given: 1,000 × 0.3
            ["011002", "2021", "3", "構築", "AI", "", "導入", "1000", ""],
        ],
    )
    outputs = run(tmp_path, [source])
    assert [k[1:] for k in outputs.error_keys()] == [
        ("2", "amount", "INVALID_AMOUNT"),
        ("3", "fiscal_strength_index", "FISCAL_STRENGTH_INDEX_CONFLICT"),
    ]
    assert "0.45" in outputs.errors[1][4]
    reference = tokko.calculate_rows(
        [dict(zip(header, row, strict=True)) for row in read_csv(source)[1:]], RULES
    )
    assert str(reference.declarations[0].totals.fiscal_strength_index) == "0.45"
    assert outputs.summary == [
        [
            "011002",
            "札幌市",
            "2021",
            "2021.2",
            "3",
            "1",
            "0",
            "2",
            "0",
            "1000",
            "0",
            "1000",
            "0",
            "300",
            "0.45",
            "",
            "300",
            "0",
            NOT_APPLIED,
        ]
    ]


def test_unit_thousand_reads_senen_columns(tmp_path: Path) -> None:
    """--unit thousand multiplies every 千円 amount by 1,000 exactly, contract totals included."""
    source = write_csv(
        tmp_path / "senen.csv",
        [
            "団体コード",
            "年度",
            "項目番号",
            "事業名",
            "区分",
            "経費区分",
            "事業費（千円）",
            "特定財源（千円）",
            "調達方法",
            "協定番号",
            "契約番号",
            "契約総額（千円）",
        ],
        [
            ["011002", "2021", "1", "AI-OCR", "AI", "導入", "1200", "200", "", "", "", ""],
            ["011002", "2021", "2", "RPA", "RPA", "導入", "1,234", "", "", "", "", ""],
            # C-9: shares 3,000 + 2,000 千円 within a total of 5,000 千円: no warning
            [
                "011002",
                "2021",
                "3",
                "共同AI",
                "AI",
                "導入",
                "3000",
                "",
                "共同",
                "K-1",
                "C-9",
                "5000",
            ],
            [
                "012025",
                "2021",
                "1",
                "共同AI",
                "AI",
                "導入",
                "2000",
                "",
                "共同",
                "K-1",
                "C-9",
                "5000",
            ],
        ],
    )
    agreements = write_csv(
        tmp_path / "k.csv",
        ["協定番号", "締結日", "構成団体"],
        [["K-1", "2021-04-01", "011002;012025"]],
    )
    outputs = run(tmp_path, [source], agreements=agreements, unit=1000)
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "", "1000000", "0.3", "300000"),
        ("eligible", "STANDARD_RATE", "", "1234000", "0.3", "370200"),
        ("eligible", "JOINT_RATE", "", "3000000", "0.5", "1500000"),
        ("eligible", "JOINT_RATE", "", "2000000", "0.5", "1000000"),
    ]
    assert outputs.header[6:8] == ["amount", "specific_revenue"]
    # the input cell is carried as read: yen, a plain number beside net and measure (SPEC §6)
    assert outputs.results[0][6] == "1200000"
    # 011002: 1,200,000 + 1,234,000 + 3,000,000; revenue 200,000; measure 300,000 + 370,200
    # + 1,500,000 = 2,170,200 → 2,170,000.
    assert outputs.summary == [
        summary_line(
            "011002",
            "札幌市",
            "2021",
            "2021.2",
            (3, 3, 0, 0, 0),
            (5434000, 200000, 5234000, 0, 2170200),
            2170000,
        ),
        summary_line(
            "012025",
            "函館市",
            "2021",
            "2021.2",
            (1, 1, 0, 0, 0),
            (2000000, 0, 2000000, 0, 1000000),
            1000000,
        ),
    ]
    assert outputs.errors == []
    assert outputs.report.ok


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


XLSX_HEADER = [
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費",
    "特定財源",
    "調達方法",
    "協定番号",
    "備考",
]
XLSX_ROWS: list[list[Any]] = [
    # row 2: numeric code 11002 lost its leading zero → 011002; a whole-number float amount
    [
        11002,
        2021,
        1,
        "AI-OCR導入",
        "AI",
        "財務会計",
        "導入・構築",
        1200000.0,
        None,
        None,
        None,
        "数値の団体コード",
    ],
    # row 3: a fractional amount
    [11002, 2021, 2, "RPA", "RPA", None, "導入", 1234.5, None, None, None, "小数の金額"],
    # row 4: text code, era year, joint licence under K-1 (concluded 2021-06-01, a date cell),
    # no introduced_in
    [
        "012025",
        "R3",
        "A-1",
        "共同AIチャットボット",
        "AI",
        None,
        "利用料",
        3000000,
        0,
        "共同",
        "K-1",
        None,
    ],
    # row 5: K-2 was concluded on 2022-04-01, after fiscal 2021 ended (2022-03-31)
    [12025, 2021, 3, "協定締結が年度後", "AI", None, "導入", 1000, None, "共同", "K-2", None],
    # row 6: 27100 is 027100 once zero-padded, whose check digit is wrong (never 5-digit 27100)
    [27100, 2021, 1, "数値の5桁コード", "AI", None, "導入", 1000, None, None, None, None],
    [None] * 12,  # row 7: blank
    # row 8: numeric 13030 → 013030 当別町
    [13030, "令和3年度", 1, "AI研修", "AI", None, "研修", 2000, None, None, None, None],
]
XLSX_AGREEMENTS: list[list[Any]] = [
    ["協定番号", "協定名", "締結日", "構成団体"],
    ["K-1", "北海道AI共同調達協定", dt.date(2021, 6, 1), "010006;011002;012025"],
    ["K-2", "年度後に締結", dt.datetime(2022, 4, 1), "011002、012025"],
]


@pytest.mark.parametrize("where", ["first-sheet", "named-sheet"])
def test_xlsx_cells_as_excel_stores_them(tmp_path: Path, where: str) -> None:
    """XLSX: numeric codes zero-padded, whole floats are yen, fractions INVALID_AMOUNT, date
    cells; the row whose code is wrong is in no summary line."""
    if where == "first-sheet":
        sheets = {"申告": [XLSX_HEADER, *XLSX_ROWS], "メモ": [["これは読まない"], ["x"]]}
        sheet = None
    else:
        sheets = {
            "表紙": [["令和3年度 AI・RPA 特別交付税 申告書"]],
            "申告": [XLSX_HEADER, *XLSX_ROWS],
        }
        sheet = "申告"
    source = write_xlsx(tmp_path / "declaration.xlsx", sheets)
    agreements = write_xlsx(tmp_path / "agreements.xlsx", {"協定": XLSX_AGREEMENTS})
    outputs = run(tmp_path, [source], agreements=agreements, sheet=sheet)
    assert outputs.header == [
        "entity_code",
        "fiscal_year",
        "item_id",
        "description",
        "technology",
        "business_area",
        "expense_kind",
        "amount",
        "specific_revenue",
        "procurement",
        "agreement_id",
        "備考",
        *RESULT,
    ]
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "", "1200000", "0.3", "360000"),
        ("error", "", "", "", "", ""),
        ("eligible", "JOINT_RATE", MISSING_YEAR, "3000000", "0.5", "1500000"),
        ("eligible", "STANDARD_RATE", "AGREEMENT_NOT_CONCLUDED", "1000", "0.3", "300"),
        ("error", "", "", "", "", ""),
        ("eligible", "STANDARD_RATE", "", "2000", "0.3", "600"),
    ]
    assert [r[3] for r in outputs.results] == [
        "AI-OCR導入",
        "RPA",
        "共同AIチャットボット",
        "協定締結が年度後",
        "数値の5桁コード",
        "AI研修",
    ]
    assert outputs.results[0][11] == "数値の団体コード"
    assert outputs.error_keys() == [
        (str(source), "3", "amount", "INVALID_AMOUNT"),
        (str(source), "6", "entity_code", "INVALID_CODE"),
    ]
    # 012025: 1,500,000 + 300 = 1,500,300 → 1,500,000; 013030: 600 → 1,000.
    assert outputs.summary == [
        summary_line(
            "011002",
            "札幌市",
            "2021",
            "2021.2",
            (2, 1, 0, 1, 0),
            (1200000, 0, 1200000, 0, 360000),
            360000,
        ),
        summary_line(
            "012025",
            "函館市",
            "2021",
            "2021.2",
            (2, 2, 0, 0, 2),
            (3001000, 0, 3001000, 0, 1500300),
            1500000,
        ),
        summary_line(
            "013030", "当別町", "2021", "2021.2", (1, 1, 0, 0, 0), (2000, 0, 2000, 0, 600), 1000
        ),
    ]
    assert_reconciles(outputs, outside=1)


def test_xlsx_numeric_contract_id(tmp_path: Path) -> None:
    """A contract number typed as a number in Excel is an id like any other: DUPLICATE_CONTRACT."""
    header = ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費", "契約番号"]
    source = write_xlsx(
        tmp_path / "contracts.xlsx",
        {
            "申告": [
                header,
                [11002, 2021, 1, "RPA保守", "RPA", "導入", 1000, 20210001],
                [12025, 2021, 1, "RPA保守", "RPA", "導入", 1000, 20210001],
            ]
        },
    )
    outputs = run(tmp_path, [source])
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "DUPLICATE_CONTRACT", "1000", "0.3", "300"),
        ("eligible", "STANDARD_RATE", "DUPLICATE_CONTRACT", "1000", "0.3", "300"),
    ]


def test_contract_ids_typed_apart_are_one_contract(tmp_path: Path) -> None:
    """C-1, c-1, "C - 1" and C−1 (a minus sign) name one contract: each row warns
    DUPLICATE_CONTRACT, as calculate_rows says of the same rows; D-2 does not."""
    header = ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費", "契約番号"]
    ids = ["C-1", "c-1", "C - 1", "C\u22121", "D-2"]
    rows = [["043613", "R5", str(n), "x", "RPA", "導入", "1000", c] for n, c in enumerate(ids, 1)]
    source = tmp_path / "contracts.csv"
    source.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    outputs = run(tmp_path, [source])
    warned = [o[2] for o in outputs.outcomes()]
    assert warned == ["DUPLICATE_CONTRACT"] * 4 + [""]
    library = tokko.calculate_rows([dict(zip(header, r, strict=True)) for r in rows])
    assert [",".join(i.warnings) for i in library.declarations[0].items] == warned


def test_a_workbook_is_parsed_once_for_both_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch reads its inputs twice; a workbook's rows are parsed once and kept (typed, in
    a temporary file) for the second reading: the same outputs as a CSV of the same rows,
    contract checks across rows included, and nothing left in the temporary folder."""
    import tokko.io.table

    header = ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費", "契約番号"]
    rows = [[11002, 2021, n, "RPA保守", "RPA", "導入", 1000 + n, f"C-{n % 3}"] for n in range(1, 8)]
    source = write_xlsx(tmp_path / "book.xlsx", {"申告": [header, *rows]})
    parsed = []
    real = tokko.io.table._xlsx_records

    def counting(*args: Any) -> Any:
        parsed.append(args)
        return real(*args)

    monkeypatch.setattr(tokko.io.table, "_xlsx_records", counting)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "csv").mkdir()
    from_book = run(tmp_path / "book", [source])
    assert len(parsed) == 1
    assert list((tmp_path / "tmp").iterdir()) == []
    csv_source = write_csv(
        tmp_path / "same.csv", header, [[f"{r[0]:06d}", *map(str, r[1:])] for r in rows]
    )
    from_csv = run(tmp_path / "csv", [csv_source])
    assert from_book.outcomes() == from_csv.outcomes()
    assert (
        "eligible",
        "STANDARD_RATE",
        "DUPLICATE_CONTRACT",
        "1001",
        "0.3",
        "300.3",
    ) in from_book.outcomes()


def test_two_extra_columns_with_one_name_are_both_carried(tmp_path: Path) -> None:
    """Extra columns are carried through even when two of them share a header."""
    source = write_csv(
        tmp_path / "two-memos.csv",
        [
            "entity_code",
            "備考",
            "fiscal_year",
            "item_id",
            "description",
            "備考",
            "technology",
            "expense_kind",
            "amount",
        ],
        [["011002", "A", "2021", "1", "AI-OCR", "B", "AI", "導入", "1000"]],
    )
    outputs = run(tmp_path, [source])
    assert outputs.header.count("備考") == 2
    assert [c for h, c in zip(outputs.header, outputs.results[0], strict=True) if h == "備考"] == [
        "A",
        "B",
    ]
    assert outputs.errors == []


def test_vertical_tab_in_a_cell_keeps_one_row(tmp_path: Path) -> None:
    """A cell holding a vertical tab (Excel's line break in some exports) stays in its row."""
    source = write_csv(
        tmp_path / "vt.csv",
        EN[:8],
        [
            ["011002", "2021", "1", "AI-OCR\x0b申請書", "AI", "", "導入", "1,200,000"],
        ],
    )
    outputs = run(tmp_path, [source])
    assert outputs.outcomes() == [("eligible", "STANDARD_RATE", "", "1200000", "0.3", "360000")]
    assert outputs.results[0][3] == "AI-OCR\x0b申請書"


# ── Several files; the checks across rows and files ──────────────────────────────────────────

FILE_A_ROWS = [
    # rows 2–3: S-1 declared twice by Sapporo in 2021
    ["011002", "2021", "1", "RPA保守", "RPA", "", "導入", "1000000", "", "single", "", "S-1", ""],
    ["011002", "2021", "2", "RPA保守（再掲）", "RPA", "", "導入", "1000000", "", "", "", "S-1", ""],
    # row 4: S-2, a single procurement, also declared by Hakodate in file B
    ["011002", "2021", "3", "AI-OCR", "AI", "", "導入", "2000000", "", "単独", "", "S-2", ""],
    # row 5: J-1 joint, 3,000,000 here + 2,500,000 in file B > 5,000,000
    [
        "011002",
        "2021",
        "4",
        "共同AI",
        "AI",
        "",
        "導入",
        "3000000",
        "",
        "共同",
        "K-1",
        "J-1",
        "5000000",
    ],
    # row 6: J-2 joint, 2,000,000 + 3,000,000 ≤ 6,000,000: legitimate
    [
        "011002",
        "2021",
        "5",
        "共同RPA",
        "RPA",
        "",
        "導入",
        "2000000",
        "",
        "共同",
        "K-1",
        "J-2",
        "6000000",
    ],
    # row 7: S-3 only once
    ["011002", "2021", "6", "単独契約", "AI", "", "導入", "1000", "", "", "", "S-3", ""],
    # rows 8–9: S-4 by Sapporo in 2021 and in 2022: one per year, no warning
    ["011002", "2021", "7", "複数年契約", "AI", "", "導入", "1000", "", "", "", "S-4", ""],
    ["011002", "2022", "1", "複数年契約", "AI", "", "導入", "1000", "", "", "", "S-4", ""],
    # rows 10–11: the same line pasted twice: the later is DUPLICATE_ITEM_ID; the first still
    # meets its contract twice (a refused repeat counts for the contract checks)
    ["011002", "2021", "8", "再掲", "AI", "", "導入", "5000", "", "", "", "S-5", ""],
    ["011002", "2021", "8", "再掲", "AI", "", "導入", "5000", "", "", "", "S-5", ""],
]
FILE_B_HEADER = [
    "契約番号",
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "経費区分",
    "事業費",
    "調達方法",
    "協定番号",
    "契約総額",
    "備考",
]
FILE_B_ROWS = [
    ["S-2", "012025", "2021", "1", "AI-OCR", "AI", "導入", "2000000", "単独", "", "", "函館"],
    ["J-1", "012025", "2021", "2", "共同AI", "AI", "導入", "2500000", "共同", "K-1", "5000000", ""],
    [
        "J-2",
        "012025",
        "2021",
        "3",
        "共同RPA",
        "RPA",
        "導入",
        "3000000",
        "共同",
        "K-1",
        "6000000",
        "",
    ],
    ["S-6", "013030", "2021", "1", "別契約", "AI", "導入", "1000", "", "", "", ""],
    ["", "013030", "2021", "2", "金額なし", "AI", "導入", "", "", "", "", "要確認"],
]


def write_two_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    a = write_csv(tmp_path / "sapporo.csv", EN, FILE_A_ROWS, "utf-8")
    b = write_csv(tmp_path / "hakodate.csv", FILE_B_HEADER, FILE_B_ROWS, "cp932")
    k = write_csv(
        tmp_path / "agreements.csv",
        ["agreement_id", "concluded_on", "parties"],
        [["K-1", "2021-05-10", "010006;011002;012025"]],
    )
    return a, b, k


def test_contract_checks_across_files(tmp_path: Path) -> None:
    """DUPLICATE_CONTRACT and JOINT_SHARES_EXCEED_CONTRACT on every row involved, none elsewhere."""
    a, b, k = write_two_files(tmp_path)
    outputs = run(tmp_path, [a, b], agreements=k)
    dup, exceed = "DUPLICATE_CONTRACT", "JOINT_SHARES_EXCEED_CONTRACT"
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", dup, "1000000", "0.3", "300000"),
        ("eligible", "STANDARD_RATE", dup, "1000000", "0.3", "300000"),
        ("eligible", "STANDARD_RATE", dup, "2000000", "0.3", "600000"),
        ("eligible", "JOINT_RATE", exceed, "3000000", "0.5", "1500000"),
        ("eligible", "JOINT_RATE", "", "2000000", "0.5", "1000000"),
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("eligible", "STANDARD_RATE", dup, "5000", "0.3", "1500"),
        ("error", "", "", "", "", ""),
        # file B
        ("eligible", "STANDARD_RATE", dup, "2000000", "0.3", "600000"),
        ("eligible", "JOINT_RATE", exceed, "2500000", "0.5", "1250000"),
        ("eligible", "JOINT_RATE", "", "3000000", "0.5", "1500000"),
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("error", "", "", "", "", ""),
    ]


def test_several_files_results_in_order_errors_name_their_file(tmp_path: Path) -> None:
    """Results follow the files in order under the union of their columns; errors name the file."""
    a, b, k = write_two_files(tmp_path)
    outputs = run(tmp_path, [a, b], agreements=k)
    assert outputs.header == [*EN, "備考", *RESULT]
    assert len(outputs.results) == len(FILE_A_ROWS) + len(FILE_B_ROWS)
    for index, row in enumerate(FILE_A_ROWS):
        assert outputs.results[index][:14] == [*row, ""]
    for index, row in enumerate(FILE_B_ROWS, start=len(FILE_A_ROWS)):
        got = outputs.result(index)
        assert [
            got[c]
            for c in (
                "contract_id",
                "entity_code",
                "fiscal_year",
                "item_id",
                "description",
                "technology",
                "expense_kind",
                "amount",
                "procurement",
                "agreement_id",
                "contract_total",
                "備考",
            )
        ] == row
        assert (got["business_area"], got["specific_revenue"]) == ("", "")
    assert outputs.error_keys() == [
        (str(a), "11", "item_id", "DUPLICATE_ITEM_ID"),
        (str(b), "6", "amount", "MISSING_FIELD"),
    ]
    # 011002/2021: 1,000,000 ×2 + 2,000,000 + 3,000,000 + 2,000,000 + 1,000 ×2 + 5,000;
    # measure 300,000 ×2 + 600,000 + 1,500,000 + 1,000,000 + 300 ×2 + 1,500 = 3,702,100;
    # warnings on rows 2, 3, 4, 5 and 10. 012025/2021: 600,000 + 1,250,000 + 1,500,000; two
    # rows warn. 013030/2021: 300 → 0.
    assert outputs.summary == [
        summary_line(
            "011002",
            "札幌市",
            "2021",
            "2021.2",
            (9, 8, 0, 1, 5),
            (9007000, 0, 9007000, 0, 3702100),
            3702000,
        ),
        summary_line(
            "011002", "札幌市", "2022", "2021.2", (1, 1, 0, 0, 0), (1000, 0, 1000, 0, 300), 0
        ),
        summary_line(
            "012025",
            "函館市",
            "2021",
            "2021.2",
            (3, 3, 0, 0, 2),
            (7500000, 0, 7500000, 0, 3350000),
            3350000,
        ),
        summary_line(
            "013030", "当別町", "2021", "2021.2", (2, 1, 0, 1, 0), (1000, 0, 1000, 0, 300), 0
        ),
    ]
    report = outputs.report
    assert (report.rows, report.error_rows, report.warning_rows, report.entities) == (15, 2, 7, 4)
    assert report.warnings == {"DUPLICATE_CONTRACT": 5, "JOINT_SHARES_EXCEED_CONTRACT": 2}
    assert report.files == [str(a), str(b)]
    assert_reconciles(outputs)


TWICE_ROWS = [
    # row 2: a single contract
    ["011002", "2021", "1", "RPA保守", "RPA", "", "導入", "1000", "", "", "", "S-1", ""],
    # rows 3–4: two shares of J-1 (2,000 each, 4,000 ≤ 5,000 within one copy)
    ["011002", "2021", "2", "共同AI", "AI", "", "導入", "2000", "", "共同", "K-1", "J-1", "5000"],
    ["012025", "2021", "1", "共同AI", "AI", "", "導入", "2000", "", "共同", "K-1", "J-1", "5000"],
    # row 5: no contract
    ["011002", "2021", "3", "AI研修", "AI", "", "研修", "3000", "", "", "", "", ""],
]


@pytest.mark.parametrize("how", ["same-path", "a-copy"])
def test_a_file_given_twice(tmp_path: Path, how: str) -> None:
    """The same rows twice (one path given twice, or a copy): every row of the second copy is
    DUPLICATE_ITEM_ID; its contracts still count, so every contract row of the first copy
    carries DUPLICATE_CONTRACT (each government-year declares its contract twice), and J-1's
    shares, 4 × 2,000 = 8,000 > 5,000, exceed its total."""
    first = write_csv(tmp_path / "d.csv", EN, TWICE_ROWS)
    second = first
    if how == "a-copy":
        second = tmp_path / "copy.csv"
        shutil.copyfile(first, second)
    agreements = write_csv(
        tmp_path / "k.csv",
        ["協定番号", "締結日", "構成団体"],
        [["K-1", "2021-04-01", "011002;012025"]],
    )
    outputs = run(tmp_path, [first, second], agreements=agreements)
    dup, exceed = "DUPLICATE_CONTRACT", "JOINT_SHARES_EXCEED_CONTRACT"
    error = ("error", "", "", "", "", "")
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", dup, "1000", "0.3", "300"),
        ("eligible", "JOINT_RATE", f"{dup};{exceed}", "2000", "0.5", "1000"),
        ("eligible", "JOINT_RATE", f"{dup};{exceed}", "2000", "0.5", "1000"),
        ("eligible", "STANDARD_RATE", "", "3000", "0.3", "900"),
        error,
        error,
        error,
        error,
    ]
    assert outputs.error_keys() == [
        (str(second), str(n), "item_id", "DUPLICATE_ITEM_ID") for n in range(2, 6)
    ]
    # 011002: 1,000 + 2,000 + 3,000; measure 300 + 1,000 + 900 = 2,200 → 2,000.
    assert outputs.summary == [
        summary_line(
            "011002", "札幌市", "2021", "2021.2", (6, 3, 0, 3, 2), (6000, 0, 6000, 0, 2200), 2000
        ),
        summary_line(
            "012025", "函館市", "2021", "2021.2", (2, 1, 0, 1, 1), (2000, 0, 2000, 0, 1000), 1000
        ),
    ]
    assert outputs.report.files == [str(first), str(second)]
    assert_reconciles(outputs)


def test_duplicate_contract_by_two_governments_in_one_file(tmp_path: Path) -> None:
    """One single contract declared by two governments → both rows; a joint one shared → neither."""
    source = write_csv(
        tmp_path / "one.csv",
        EN,
        [
            ["131016", "2021", "1", "RPA", "RPA", "", "導入", "10000", "", "", "", "X-1", ""],
            ["131024", "2021", "1", "RPA", "RPA", "", "導入", "10000", "", "", "", "X-1", ""],
            [
                "131016",
                "2021",
                "2",
                "共同",
                "AI",
                "",
                "導入",
                "10000",
                "",
                "共同",
                "",
                "X-2",
                "30000",
            ],
            [
                "131024",
                "2021",
                "2",
                "共同",
                "AI",
                "",
                "導入",
                "20000",
                "",
                "共同",
                "",
                "X-2",
                "30000",
            ],
        ],
    )
    outputs = run(tmp_path, [source])
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "DUPLICATE_CONTRACT", "10000", "0.3", "3000"),
        ("eligible", "STANDARD_RATE", "DUPLICATE_CONTRACT", "10000", "0.3", "3000"),
        ("eligible", "STANDARD_RATE", "JOINT_WITHOUT_AGREEMENT", "10000", "0.3", "3000"),
        ("eligible", "STANDARD_RATE", "JOINT_WITHOUT_AGREEMENT", "20000", "0.3", "6000"),
    ]
    assert [s[:2] for s in outputs.summary] == [["131016", "千代田区"], ["131024", "中央区"]]


def test_repeated_item_id_errors_the_later_row_only(tmp_path: Path) -> None:
    """DUPLICATE_ITEM_ID on the later row only; other governments and years may reuse the id."""
    source = write_csv(
        tmp_path / "ids.csv",
        EN[:8],
        [
            ["011002", "2021", "7", "最初", "AI", "", "導入", "1000"],
            ["012025", "2021", "7", "別の団体", "AI", "", "導入", "1000"],
            ["011002", "2022", "7", "別の年度", "AI", "", "導入", "1000"],
            ["01100", "R3", "７", "再掲", "AI", "", "導入", "2000"],
            ["011002", "2021", " 7 ", "再々掲", "AI", "", "導入", "3000"],
        ],
    )
    outputs = run(tmp_path, [source])
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("eligible", "STANDARD_RATE", "", "1000", "0.3", "300"),
        ("error", "", "", "", "", ""),
        ("error", "", "", "", "", ""),
    ]
    assert outputs.error_keys() == [
        (str(source), "5", "item_id", "DUPLICATE_ITEM_ID"),
        (str(source), "6", "item_id", "DUPLICATE_ITEM_ID"),
    ]


def test_five_digit_code_whose_zero_was_lost(tmp_path: Path) -> None:
    """13951 names no government as a 5-digit code but is ニセコ町 (013951) once its leading
    zero is restored: computed, with CODE_LEADING_ZERO_RESTORED, on ニセコ町's summary line."""
    source = write_csv(
        tmp_path / "d.csv",
        EN[:8],
        [
            ["13951", "2021", "1", "AI-OCR", "AI", "", "導入", "10000"],
        ],
    )
    outputs = run(tmp_path, [source])
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "CODE_LEADING_ZERO_RESTORED", "10000", "0.3", "3000")
    ]
    assert outputs.summary == [
        summary_line(
            "013951",
            "ニセコ町",
            "2021",
            "2021.2",
            (1, 1, 0, 0, 1),
            (10000, 0, 10000, 0, 3000),
            3000,
        )
    ]
    assert outputs.report.warnings == {"CODE_LEADING_ZERO_RESTORED": 1}
    assert outputs.report.ok  # a warning is no error


# ── Row errors never stop the run; the summary reconciles ────────────────────────────────────


def test_row_count_equals_input_rows_and_blank_lines_keep_numbering(tmp_path: Path) -> None:
    """One result per non-blank input row; blank lines are skipped but row numbers still count."""
    source = write_csv(
        tmp_path / "blanks.csv",
        EN[:8],
        [
            ["011002", "2021", "1", "AI", "AI", "", "導入", "1000"],
            None,
            ["", "", "", "", "", "", "", ""],
            ["011002", "2021", "2", "AI", "AI", "", "導入", "abc"],
            ["011002", "2021", "3"],  # a short row: the missing cells are empty
            None,
        ],
    )
    outputs = run(tmp_path, [source])
    assert [r[:3] for r in outputs.results] == [
        ["011002", "2021", "1"],
        ["011002", "2021", "2"],
        ["011002", "2021", "3"],
    ]
    assert [r[-6] for r in outputs.results] == ["eligible", "error", "error"]
    assert outputs.error_keys() == [
        (str(source), "5", "amount", "INVALID_AMOUNT"),
        (str(source), "6", "description", "MISSING_FIELD"),
        (str(source), "6", "technology", "MISSING_FIELD"),
        (str(source), "6", "expense_kind", "MISSING_FIELD"),
        (str(source), "6", "amount", "MISSING_FIELD"),
    ]
    assert outputs.report.rows == 3


def reconcile_rows() -> list[list[str]]:
    """Sixty rows over three governments and two years: eligible, excluded and error rows."""
    patterns = [
        ("AI", "", "導入", "1234567", ""),
        ("RPA", "", "研修", "1001", "1"),
        ("AI", "住民記録", "導入", "500000", "100000"),
        ("IoT", "", "導入", "70000", "80000"),
        ("RPA", "", "人件費", "3333", ""),
        ("AI", "", "導入", "99.5", ""),
        ("RPA", "", "導入", "1667", "2000"),
        ("AI", "", "利用料", "1666", "0"),
    ]
    rows = []
    for n in range(60):
        entity = ("011002", "012025", "131016")[n % 3]
        year = ("2021", "2022")[(n // 3) % 2]
        technology, area, kind, amount, revenue = patterns[n % len(patterns)]
        rows.append([entity, year, str(n), f"事業{n}", technology, area, kind, amount, revenue])
    return rows


def test_summary_reconciles_exactly_with_results(tmp_path: Path) -> None:
    """Per line: counts, Σnet, Σexcluded, Σmeasure and Σamount from the results; measure rounded."""
    rows = reconcile_rows()
    source = write_csv(tmp_path / "many.csv", EN[:9], rows)
    outputs = run(tmp_path, [source])
    assert len(outputs.results) == 60
    assert_reconciles(outputs)
    groups: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in outputs.results:
        cells_ = dict(zip(outputs.header, row, strict=True))
        group = groups[(cells_["entity_code"], cells_["fiscal_year"])]
        group["items"] += 1
        group[f"{cells_['status']}_items"] += 1
        if cells_["warnings"]:
            group["warning_items"] += 1
        if cells_["status"] == "error":
            continue
        amount = Decimal(cells_["amount"])
        revenue = Decimal(cells_["specific_revenue"] or 0)
        group["amount"] += amount
        group["specific_revenue"] += min(amount, revenue)
        group["net" if cells_["status"] == "eligible" else "excluded"] += Decimal(cells_["net"])
        group["measure_by_rate"] += Decimal(cells_["measure"])
    assert len(outputs.summary) == len(groups) == 6
    for line in outputs.summary:
        s = dict(zip(SUMMARY, line, strict=True))
        group = groups[(s["entity_code"], s["fiscal_year"])]
        for column in ("items", "eligible_items", "excluded_items", "error_items", "warning_items"):
            assert int(s[column]) == group[column], (line, column)
        for column in (
            "amount",
            "specific_revenue",
            "net",
            "excluded",
            "measure_by_rate",
            "measure_exact",
        ):
            assert (
                Decimal(s[column])
                == group[column if column != "measure_exact" else "measure_by_rate"]
            ), (line, column)
        assert Decimal(s["measure"]) == half_up_thousand(group["measure_by_rate"])
        assert Decimal(s["amount"]) == (
            Decimal(s["net"]) + Decimal(s["excluded"]) + Decimal(s["specific_revenue"])
        )
    # One line worked out in full: 011002/2021 holds rows n = 0, 6, 12, …, 54 (patterns 0, 6,
    # 4, 2, 0, 6, 4, 2, 0, 6): 3 × 1,234,567 × 0.3 + 3 × 0 (revenue 2,000 > 1,667) = 1,111,110.3
    # amount 3 × 1,234,567 + 3 × 1,667 + 2 × 3,333 + 2 × 500,000 = 4,715,368; revenue
    # 3 × 1,667 (capped) + 2 × 100,000; excluded 2 × 3,333 + 2 × 400,000; the three rows of
    # pattern 6 carry REVENUE_EXCEEDS_AMOUNT.
    assert outputs.summary[0] == summary_line(
        "011002",
        "札幌市",
        "2021",
        "2021.2",
        (10, 6, 4, 0, 3),
        (4715368, 205001, 3703701, 806666, "1111110.3"),
        1111000,
    )
    # The seven licences (pattern 7: n = 7, 15, …, 55) carry INTRODUCTION_YEAR_MISSING.
    assert outputs.report.warnings[MISSING_YEAR] == 7


# ── Output safety ────────────────────────────────────────────────────────────────────────────


def test_formula_cells_are_neutralised_and_quoted_cells_survive(tmp_path: Path) -> None:
    """Cells starting = + - @ tab CR get a leading apostrophe; multi-line and comma cells survive.
    The row whose code is a formula is an error in no summary line."""
    header = [*EN[:8], "memo"]
    source = write_csv(
        tmp_path / "formulas.csv",
        header,
        [
            ["011002", "2021", "1", "=SUM(A1:A3)", "AI", "", "導入", "1000", "+81-11-211-2111"],
            ["011002", "2021", "2", "1行目\n2行目", "AI", "", "導入", "1,000", "-5"],
            ["011002", "2021", "3", "A,B,C", "AI", "", "導入", "1000", "@cmd"],
            ["011002", "2021", "4", '引用"符"', "AI", "", "導入", "1000", "\tタブ"],
            ["011002", "2021", "5", "\r改行", "AI", "", "導入", "1000", "普通の備考"],
            ["=1+1", "2021", "6", "ok", "AI", "", "導入", "1000", '=HYPERLINK("x")'],
            ["011002", "2021", "7", "ok", "AI", "", "導入", "1000", "-"],
        ],
    )
    outputs = run(tmp_path, [source])
    assert [r[3] for r in outputs.results] == [
        "'=SUM(A1:A3)",
        "1行目\n2行目",
        "A,B,C",
        '引用"符"',
        "'\r改行",
        "ok",
        "ok",
    ]
    assert [r[8] for r in outputs.results] == [
        "'+81-11-211-2111",
        "'-5",
        "'@cmd",
        "'\tタブ",
        "普通の備考",
        '\'=HYPERLINK("x")',
        "'-",
    ]
    assert outputs.results[5][0] == "'=1+1"
    assert [r[-6] for r in outputs.results] == ["eligible"] * 5 + ["error", "eligible"]
    assert [k[1:] for k in outputs.error_keys()] == [("7", "entity_code", "INVALID_CODE")]
    assert [line[:5] for line in outputs.summary] == [["011002", "札幌市", "2021", "2021.2", "6"]]
    for line in (*outputs.results, *outputs.summary, *outputs.errors):
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in line)


#: Pieces of a cell: every character that starts a formula, quotes, commas, line ends.
FORMULA_PIECES = ["a", "1", "=", "+", "-", "@", "\t", "\r", "\n", '"', ",", " ", "あ"]


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.sampled_from(FORMULA_PIECES), max_size=4).map("".join),
        min_size=2,
        max_size=2 * 5,
    )
)
def test_no_written_cell_starts_like_a_formula(texts: list[str]) -> None:
    """Whatever the free-text cells hold, every results cell is the input cell as it stood or,
    when it starts like a formula, with one leading apostrophe; the rows stay apart."""
    pairs = list(zip(texts[::2], texts[1::2], strict=False))
    rows = [
        ["011002", "2021", str(n), f"AI{description}", "AI", "", "導入", "1000", memo]
        for n, (description, memo) in enumerate(pairs, start=1)
    ]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = write_csv(folder / "d.csv", [*EN[:8], "memo"], rows)
        run_batch([source], out=folder / "r.csv", rules=RULES)
        written = read_csv(folder / "r.csv")[1:]
    assert len(written) == len(rows)
    for row, got in zip(rows, written, strict=True):
        for cell, out in zip(row, got, strict=False):
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert out == "'" + cell
            else:
                assert out == cell
        assert got[-6] == "eligible"


def test_cp932_output_reads_as_cp932(tmp_path: Path) -> None:
    """encoding="cp932" writes Shift_JIS without BOM; the default is UTF-8 with BOM."""
    declarations, agreements = write_dialect(tmp_path, DIALECTS[0])
    outputs = run(tmp_path, [declarations], agreements=agreements, encoding="cp932")
    raw = (tmp_path / "out" / "summary.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert outputs.summary == DECLARATION_SUMMARY
    assert outputs.results[0][3] == "AI-OCRによる申請書読取"
    assert "札幌市" in raw.decode("cp932")
    assert outputs.report.escaped == 0
    default = tmp_path / "default"
    default.mkdir()
    run_batch(
        [declarations],
        out=default / "r.csv",
        summary=default / "s.csv",
        errors=default / "e.csv",
        agreements=agreements,
        rules=RULES,
    )
    for name in ("r.csv", "s.csv", "e.csv"):
        assert (default / name).read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_csv(default / "s.csv")[1:] == DECLARATION_SUMMARY


GOOD_HEADER = list(EN[:8])
GOOD_ROW = ["011002", "2021", "1", "AI-OCR", "AI", "", "導入", "1000"]


def _missing_column(folder: Path) -> list[Path]:
    return [write_csv(folder / "no-amount.csv", EN[:7], [GOOD_ROW[:7]])]


def _utf16(folder: Path) -> list[Path]:
    path = folder / "utf16.csv"
    text = ",".join(GOOD_HEADER) + "\r\n" + ",".join(GOOD_ROW) + "\r\n"
    path.write_bytes(text.encode("utf-16"))
    return [path]


def _utf16_without_bom(folder: Path) -> list[Path]:
    path = folder / "utf16le.csv"
    text = ",".join(GOOD_HEADER) + "\r\n" + ",".join(GOOD_ROW) + "\r\n"
    path.write_bytes(text.encode("utf-16-le"))
    return [path]


def _random_bytes(folder: Path) -> list[Path]:
    path = folder / "noise.csv"
    path.write_bytes(b"entity_code,fiscal_year\r\n" + bytes(range(128, 256)) * 4)
    return [path]


def _not_a_workbook(folder: Path) -> list[Path]:
    path = folder / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    return [path]


def _text_named_xlsx(folder: Path) -> list[Path]:
    path = folder / "text.xlsx"
    path.write_text(",".join(GOOD_HEADER) + "\n", encoding="utf-8")
    return [path]


def _senen_header_with_yen_unit(folder: Path) -> list[Path]:
    header = [*GOOD_HEADER[:7], "事業費（千円）"]
    return [write_csv(folder / "senen.csv", header, [GOOD_ROW])]


def _empty_file(folder: Path) -> list[Path]:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return [path]


def _no_such_file(folder: Path) -> list[Path]:
    return [folder / "missing.csv"]


def _old_excel(folder: Path) -> list[Path]:
    path = folder / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    return [path]


def _good_then_bad(folder: Path) -> list[Path]:
    good = write_csv(folder / "good.csv", GOOD_HEADER, [GOOD_ROW])
    bad = write_csv(folder / "bad.csv", ["団体コード", "年度"], [["011002", "2021"]])
    return [good, bad]


@pytest.mark.parametrize(
    "make",
    [
        _missing_column,
        _utf16,
        _utf16_without_bom,
        _random_bytes,
        _not_a_workbook,
        _text_named_xlsx,
        _senen_header_with_yen_unit,
        _empty_file,
        _no_such_file,
        _old_excel,
        _good_then_bad,
    ],
    ids=lambda make: make.__name__.strip("_"),
)
def test_unreadable_input_stops_before_any_output(
    tmp_path: Path, make: Callable[[Path], list[Path]]
) -> None:
    """An unreadable file, a missing column, an unknown encoding → InputFileError, no output file."""
    inputs_dir = tmp_path / "in"
    inputs_dir.mkdir()
    inputs = make(inputs_dir)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(InputFileError) as caught:
        run_batch(
            inputs,
            out=out_dir / "r.csv",
            summary=out_dir / "s.csv",
            errors=out_dir / "e.csv",
            rules=RULES,
        )
    assert caught.value.file == str(inputs[-1])  # the bad file (after a good one, too)
    assert caught.value.message("ja")
    assert caught.value.message("en")
    assert files_in(out_dir) == []


@pytest.mark.parametrize(
    ("header", "unit", "words"),
    [
        ("事業費（千円）", 1, "thousands"),
        ("amount (yen)", 1000, "yen"),
        ("amount [千円]", 1, "thousands"),
    ],
)
def test_a_stated_unit_that_contradicts_the_option_is_refused(
    tmp_path: Path, header: str, unit: int, words: str
) -> None:
    """A header stating 千円 read as yen (or 円 read as 千円) stops the run (exit 3), no output."""
    source = write_csv(tmp_path / "unit.csv", [*GOOD_HEADER[:7], header], [GOOD_ROW])
    with pytest.raises(InputFileError) as caught:
        run_batch(
            [source],
            out=tmp_path / "r.csv",
            summary=tmp_path / "s.csv",
            errors=tmp_path / "e.csv",
            rules=RULES,
            unit=unit,
        )
    assert words in caught.value.message("en")
    assert header in caught.value.message("ja")
    assert files_in(tmp_path) == ["unit.csv"]


def test_missing_column_message_names_the_column(tmp_path: Path) -> None:
    """The refusal of a file without an amount column says which column is missing."""
    source = write_csv(tmp_path / "no-amount.csv", EN[:7], [GOOD_ROW[:7]])
    with pytest.raises(InputFileError) as caught:
        run_batch([source], out=tmp_path / "r.csv", rules=RULES)
    assert "amount" in caught.value.message("en")
    assert "事業費" in caught.value.message("ja")


def test_missing_sheet_and_bad_agreements_file_stop_before_output(tmp_path: Path) -> None:
    """A --sheet that does not exist, or an agreements file without parties → no output."""
    book = write_xlsx(tmp_path / "d.xlsx", {"申告": [GOOD_HEADER, GOOD_ROW]})
    with pytest.raises(InputFileError):
        run_batch([book], out=tmp_path / "r.csv", rules=RULES, sheet="存在しない")
    good = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW])
    agreements = write_csv(
        tmp_path / "k.csv", ["agreement_id", "concluded_on"], [["K-1", "2021-04-01"]]
    )
    with pytest.raises(InputFileError) as caught:
        run_batch(
            [good],
            out=tmp_path / "r.csv",
            summary=tmp_path / "s.csv",
            errors=tmp_path / "e.csv",
            agreements=agreements,
            rules=RULES,
        )
    assert caught.value.file == str(agreements)
    assert files_in(tmp_path) == ["d.csv", "d.xlsx", "k.csv"]


def test_agreement_file_errors_are_reported_and_the_rows_still_computed(tmp_path: Path) -> None:
    """Bad agreement rows go to the errors file (agreements.column); rows naming them still run."""
    agreements = write_csv(
        tmp_path / "k.csv",
        ["協定番号", "協定名", "締結日", "構成団体"],
        [
            ["K-1", "正しい協定", "2021-06-01", "011002;012025"],
            ["K-2", "日付が読めない", "いつか", "011002;012025"],
            ["K-1", "番号の重複", "2021-06-01", "011002;012025"],
            ["K-3", "団体コード誤り", "2021-06-01", "011002;999999"],
        ],
    )
    source = write_csv(
        tmp_path / "d.csv",
        [*EN[:8], "procurement", "agreement_id"],
        [
            ["011002", "2021", "1", "共同", "AI", "", "導入", "1000", "共同", "K-2"],
            ["012025", "2021", "1", "共同", "AI", "", "導入", "1000", "共同", "K-1"],
        ],
    )
    outputs = run(tmp_path, [source], agreements=agreements)
    assert outputs.outcomes() == [
        ("eligible", "STANDARD_RATE", "AGREEMENT_UNKNOWN", "1000", "0.3", "300"),
        ("eligible", "JOINT_RATE", "", "1000", "0.5", "500"),
    ]
    assert outputs.error_keys() == [
        (str(agreements), "3", "agreements.concluded_on", "UNKNOWN_VALUE"),
        (str(agreements), "4", "agreements.agreement_id", "DUPLICATE_ITEM_ID"),
        (str(agreements), "5", "agreements.parties", "INVALID_CODE"),
    ]
    repeated = outputs.errors[1][4]  # a repeated agreement number is not called an item number
    assert "協定番号が重複しています" in repeated
    assert "項目番号" not in repeated
    report = outputs.report
    assert (report.rows, report.error_rows, report.file_problems) == (2, 0, 3)
    assert not report.ok


# ── Files are never destroyed (SPEC §5) ──────────────────────────────────────────────────────


def _leftovers(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if "partial" in p.name]


def test_interrupted_run_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run stopped midway (progress callback raising) leaves no results/summary/errors file."""
    rows = [[*GOOD_ROW[:2], str(n), *GOOD_ROW[3:]] for n in range(1, 21)]
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, rows)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    monkeypatch.setattr(tokko.batch.run, "PROGRESS_EVERY", 3)
    seen: list[tuple[str, int]] = []

    def stop(phase: str, done: int, total: int | None) -> None:
        seen.append((phase, done))
        if phase == "compute" and done >= 9:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(
            [source],
            out=out_dir / "r.csv",
            summary=out_dir / "s.csv",
            errors=out_dir / "e.csv",
            rules=RULES,
            progress=stop,
        )
    assert seen == [("scan", 20), ("compute", 3), ("compute", 6), ("compute", 9)]
    assert files_in(out_dir) == []


@pytest.mark.parametrize("where", ["read-field-by-field", "read-whole"])
@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_interrupted_run_keeps_a_previous_complete_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, stop: type[BaseException]
) -> None:
    """Ctrl-C (or SIGTERM, turned into SystemExit) in the middle of the second pass — in the
    reading of a row without problems (steps 3 and 5) or of a row read whole (step 1) — leaves
    the previous results, summary and errors files as they were, and no partial file."""
    rows = [[*GOOD_ROW[:2], str(n), *GOOD_ROW[3:]] for n in range(1, 11)]
    rows[2][7] = rows[5][7] = rows[8][7] = "bad amount"  # rows read whole
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, rows)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    previous = {name: f"previous complete {name}\n" for name in ("r.csv", "s.csv", "e.csv")}
    for name, text in previous.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    name = "measure" if where == "read-field-by-field" else "prepare"
    real = getattr(tokko.batch.rows, name)
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise stop("disk unplugged")
        return real(*args, **kwargs)

    monkeypatch.setattr(tokko.batch.rows, name, failing)
    with pytest.raises(stop):
        run_batch(
            [source],
            out=out_dir / "r.csv",
            summary=out_dir / "s.csv",
            errors=out_dir / "e.csv",
            rules=RULES,
        )
    assert calls == 2  # stopped partway: rows had been written before
    assert files_in(out_dir) == ["e.csv", "r.csv", "s.csv"]
    for name, text in previous.items():
        assert (out_dir / name).read_text(encoding="utf-8") == text
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["out", "summary", "errors"])
def test_a_failing_write_names_its_output_and_keeps_the_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A disk that fills up while one output is written: OutputFileError naming that output
    (never another one, never a temporary name), saying the disk is full; the previous files
    are left as they were."""
    rows = [[*GOOD_ROW[:2], str(n), *GOOD_ROW[3:]] for n in range(1, 11)]
    rows[4][7] = "bad amount"  # one line for the errors file
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, rows)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    paths = {"out": out_dir / "r.csv", "summary": out_dir / "s.csv", "errors": out_dir / "e.csv"}
    for path in paths.values():
        path.write_text("previous\n", encoding="utf-8")
    _full_disk(monkeypatch, paths[failing], after_writes=2)
    with pytest.raises(OutputFileError) as caught:
        run_batch([source], **paths, rules=RULES)
    assert caught.value.file == str(paths[failing])
    assert caught.value.detail == "output.disk_full"
    for path in paths.values():
        assert path.read_text(encoding="utf-8") == "previous\n"
    assert _leftovers(tmp_path) == []


class _FullDisk:
    """A text stream whose disk fills up: at its ``after_writes``-th write, or (``None``) when
    it is flushed and closed — how a small file, or the last buffer of any file, meets a full
    disk."""

    def __init__(self, stream: Any, after_writes: int | None) -> None:
        self._stream, self._after, self._writes = stream, after_writes, 0

    def write(self, text: str) -> int:
        self._writes += 1
        if self._writes == self._after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return int(self._stream.write(text))

    def close(self) -> None:
        self._stream.close()
        if self._after is None:
            raise OSError(errno.ENOSPC, "No space left on device")


def _full_disk(
    monkeypatch: pytest.MonkeyPatch, target: Path, after_writes: int | None = None
) -> None:
    """The temporary file written for ``target`` meets a full disk (see :class:`_FullDisk`)."""
    real = tokko.io.writers.Outputs.temporary

    class Temporary(type(Path())):
        def open(self, *args: Any, **kwargs: Any) -> Any:
            return _FullDisk(super().open(*args, **kwargs), after_writes)

    def temporary(self: tokko.io.writers.Outputs, path: Path) -> Path:
        found = real(self, path)
        return Temporary(found) if path == target else found

    monkeypatch.setattr(tokko.io.writers.Outputs, "temporary", temporary)


@pytest.mark.parametrize("failing", ["out", "summary", "errors"])
def test_a_disk_full_when_an_output_is_closed_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The disk found full when an output's last bytes are flushed: OutputFileError naming that
    output (exit code 3), saying the disk is full; no partial file is left and the previous
    file at that path is kept."""
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW, ["011002", "2021", "2"]])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    paths = {"out": out_dir / "r.csv", "summary": out_dir / "s.csv", "errors": out_dir / "e.csv"}
    for path in paths.values():
        path.write_text("previous\n", encoding="utf-8")
    _full_disk(monkeypatch, paths[failing])
    with pytest.raises(OutputFileError) as caught:
        run_batch([source], **paths, rules=RULES)
    assert caught.value.file == str(paths[failing])
    assert caught.value.detail == "output.disk_full"
    assert paths[failing].read_text(encoding="utf-8") == "previous\n"
    assert _leftovers(tmp_path) == []


def test_a_run_that_fails_replaces_none_of_its_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three outputs describe one run: when the results file cannot be completed (the disk
    found full as it is closed), the summary and errors files of that failed run do not
    replace the previous ones either — all three previous files are kept."""
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW, ["011002", "2021", "2"]])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    paths = {"out": out_dir / "r.csv", "summary": out_dir / "s.csv", "errors": out_dir / "e.csv"}
    for path in paths.values():
        path.write_text("previous\n", encoding="utf-8")
    _full_disk(monkeypatch, paths["out"])
    with pytest.raises((OutputFileError, OSError)):
        run_batch([source], **paths, rules=RULES)
    for path in paths.values():
        assert path.read_text(encoding="utf-8") == "previous\n", path.name
    assert _leftovers(tmp_path) == []


def test_an_input_gone_between_the_passes_is_an_input_error(tmp_path: Path) -> None:
    """An input removed after the first pass: InputFileError naming it (the second pass reads
    it again), no output written, a previous results file kept."""
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW])
    out = tmp_path / "r.csv"
    out.write_text("previous\n", encoding="utf-8")

    def remove(phase: str, done: int, total: int | None) -> None:
        if phase == "scan":
            source.unlink()

    with pytest.raises(InputFileError) as caught:
        run_batch([source], out=out, errors=tmp_path / "e.csv", rules=RULES, progress=remove)
    assert caught.value.file == str(source)
    assert files_in(tmp_path) == ["r.csv"]
    assert out.read_text(encoding="utf-8") == "previous\n"


def _interrupt_xlsx_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run to an xlsx workbook and stop it while computing; openpyxl's scratch files go to tmp/."""
    rows = [[*GOOD_ROW[:2], str(n), *GOOD_ROW[3:]] for n in range(1, 11)]
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, rows)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(tokko.batch.run, "PROGRESS_EVERY", 2)

    def stop(phase: str, done: int, total: int | None) -> None:
        if phase == "compute":
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"):
        run_batch(
            [source], out=tmp_path / "review.xlsx", rules=RULES, output_format="xlsx", progress=stop
        )
    gc.collect()  # let openpyxl's abandoned sheet writers go now, inside this test
    return scratch


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_interrupted_xlsx_run_leaves_no_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With format xlsx, an interrupted run leaves neither the workbook nor a partial file."""
    _interrupt_xlsx_run(tmp_path, monkeypatch)
    assert [n for n in files_in(tmp_path) if n != "tmp"] == ["d.csv"]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_interrupted_xlsx_run_leaves_no_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupted xlsx run leaves nothing behind in the temp directory either."""
    scratch = _interrupt_xlsx_run(tmp_path, monkeypatch)
    assert files_in(scratch) == []


def _same_file(kind: str, source: Path, folder: Path) -> Path:
    """A path to ``source``: itself, another spelling, a symbolic link or a hard link."""
    if kind == "same-path":
        return source
    if kind == "another-spelling":
        return folder / "." / "sub" / ".." / source.name
    link = folder / f"{kind}.csv"
    if kind == "symlink":
        link.symlink_to(source)
    else:
        os.link(source, link)
    return link


@pytest.mark.parametrize("output", ["out", "summary", "errors"])
@pytest.mark.parametrize("kind", ["same-path", "another-spelling", "symlink", "hard-link"])
def test_an_output_that_is_an_input_is_a_usage_error(
    tmp_path: Path, kind: str, output: str
) -> None:
    """An output that is one of the inputs — by its path, another spelling, a symbolic or a
    hard link — is a UsageError before anything is written; the input is left as it was."""
    (tmp_path / "sub").mkdir()
    first = write_csv(tmp_path / "a.csv", GOOD_HEADER, [GOOD_ROW])
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW])
    before = source.read_bytes()
    target = _same_file(kind, source, tmp_path)
    outputs = {
        "out": tmp_path / "r.csv",
        "summary": tmp_path / "s.csv",
        "errors": tmp_path / "e.csv",
    }
    outputs[output] = target
    listing = files_in(tmp_path)
    with pytest.raises(UsageError) as caught:
        run_batch([first, source], **outputs, rules=RULES)
    assert caught.value.detail == "usage.output_is_input"
    assert str(target) in caught.value.message("ja")
    assert source.read_bytes() == before
    assert files_in(tmp_path) == listing


@pytest.mark.parametrize("which", ["agreements", "fiscal_strength"])
def test_an_output_that_is_the_agreements_or_indices_file_is_a_usage_error(
    tmp_path: Path, which: str
) -> None:
    """The agreements and indices files are inputs too: writing over one is a UsageError."""
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW])
    other = write_csv(tmp_path / "other.csv", ["agreement_id"], [["K-1"]])
    before = other.read_bytes()
    with pytest.raises(UsageError):
        run_batch([source], out=tmp_path / "r.csv", errors=other, rules=RULES, **{which: other})
    assert other.read_bytes() == before
    assert files_in(tmp_path) == ["d.csv", "other.csv"]


@pytest.mark.parametrize(
    ("first", "second"), [("out", "summary"), ("out", "errors"), ("summary", "errors")]
)
def test_two_outputs_on_one_path_are_a_usage_error(tmp_path: Path, first: str, second: str) -> None:
    """Two outputs on one path (also through a symbolic link) → UsageError, nothing written."""
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW])
    previous = tmp_path / "x.csv"
    previous.write_text("previous\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(previous)
    for one, two in ((previous, previous), (previous, tmp_path / "link.csv")):
        outputs = {
            "out": tmp_path / "r.csv",
            "summary": tmp_path / "s.csv",
            "errors": tmp_path / "e.csv",
            first: one,
            second: two,
        }
        with pytest.raises(UsageError) as caught:
            run_batch([source], **outputs, rules=RULES)
        assert caught.value.detail == "usage.outputs_clash"
    assert previous.read_text(encoding="utf-8") == "previous\n"
    assert files_in(tmp_path) == ["d.csv", "link.csv", "x.csv"]


def sheet_values(sheet: Any) -> list[list[Any]]:
    """A sheet's cells as values, trailing empty cells dropped."""
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells_ = list(row)
        while cells_ and cells_[-1] is None:
            cells_.pop()
        rows.append(cells_)
    return rows


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_xlsx_output_is_one_workbook_for_people(tmp_path: Path, lang: str) -> None:
    """--format xlsx writes one workbook (no summary or errors file): results, summary, errors
    and info sheets named in the language asked for; input cells as they stood (a formula
    neutralised), typed amounts and rates, codes beside their words, the summary's counts and
    totals typed with a total row, and the rule version with its SHA-256 on the info sheet."""
    source = write_csv(
        tmp_path / "d.csv",
        [*GOOD_HEADER, "memo"],
        [
            ["011002", "2021", "1", "AI-OCR", "AI", "", "導入", "1,200,000", "=cmd|' /C calc'!A0"],
            ["011002", "2021", "2", "RPA", "RPA", "", "導入", "12.5", ""],
            ["012025", "2021", "1", "RPA", "RPA", "住民記録", "導入", "500", ""],
        ],
    )
    out = tmp_path / "review.xlsx"
    report = run_batch([source], out=out, rules=RULES, output_format="xlsx", lang=lang)
    assert (report.rows, report.error_rows, report.entities) == (3, 1, 2)
    assert files_in(tmp_path) == ["d.csv", "review.xlsx"]
    book = openpyxl.load_workbook(out, read_only=True)
    try:
        assert book.sheetnames == [
            t(f"xlsx.sheet.{name}", lang) for name in ("results", "summary", "errors", "info")
        ]
        results, summary, errors, info = (sheet_values(book[name]) for name in book.sheetnames)
    finally:
        book.close()
    labels = [t(f"column.{name}", lang) for name in GOOD_HEADER]
    assert [str(c).casefold() for c in results[0][:9]] == [
        label.casefold() for label in [*labels, "memo"]
    ]
    assert results[1][:9] == [  # the code stays text; year and yen as read are numbers
        "011002",
        2021,
        "1",
        "AI-OCR",
        "AI",
        None,
        "導入",
        1200000,
        "=cmd|' /C calc'!A0",  # text with the quote prefix: shown as typed, never run
    ]
    assert results[1][9:15] == [
        t("status.eligible", lang),
        1200000,
        0.3,
        360000,
        t("code.STANDARD_RATE", lang),
        "STANDARD_RATE",
    ]
    assert results[2][9:13] == [t("status.error", lang), None, None, None]
    assert results[2][14] == "INVALID_AMOUNT"
    assert results[3][9:15] == [
        t("status.excluded", lang),
        500,
        0,
        0,
        t("code.EXCLUDED_STANDARDIZATION_TARGET", lang),
        "EXCLUDED_STANDARDIZATION_TARGET",
    ]
    assert len(results) == 4
    words = t(f"code.{NOT_APPLIED}", lang)
    assert summary[1:3] == [
        [
            "011002",
            "札幌市",
            2021,
            "2021.2",
            2,
            1,
            0,
            1,
            0,
            1200000,
            0,
            1200000,
            0,
            360000,
            None,
            None,
            360000,
            360000,
            words,
            NOT_APPLIED,
        ],
        [
            "012025",
            "函館市",
            2021,
            "2021.2",
            1,
            0,
            1,
            0,
            0,
            500,
            0,
            0,
            500,
            0,
            None,
            None,
            0,
            0,
            words,
            NOT_APPLIED,
        ],
    ]
    assert summary[3][4:14] == [3, 1, 1, 1, 0, 1200500, 0, 1200000, 500, 360000]  # the total
    assert len(summary) == 4
    assert errors[1][:4] == [str(source), 3, t("column.amount", lang), "INVALID_AMOUNT"]
    assert len(errors) == 2
    shown = [cell for row in info for cell in row]
    version = RULES.for_year(2021)
    assert "2021.2" in shown
    assert version.sha256 in shown
    assert str(source) in shown


# ── Progress ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_progress_reports_rows_computed_out_of_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    """The input is read twice, whatever the output: the callback hears "scan" with the rows
    counted (the total), then "compute" every PROGRESS_EVERY rows out of that total, then the
    last row. A blank line is not a row."""
    rows: list[list[str] | None] = [[*GOOD_ROW[:2], str(n), *GOOD_ROW[3:]] for n in range(1, 6)]
    rows.insert(2, None)
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, rows)
    monkeypatch.setattr(tokko.batch.run, "PROGRESS_EVERY", 2)
    calls: list[tuple[str, int, int | None]] = []
    run_batch(
        [source],
        out=tmp_path / f"r.{output_format}",
        rules=RULES,
        output_format=output_format,
        progress=lambda phase, done, total: calls.append((phase, done, total)),
    )
    assert calls == [("scan", 5, 5), ("compute", 2, 5), ("compute", 4, 5), ("compute", 5, 5)]


def test_no_progress_callback_is_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a progress callback the library writes nothing to stdout or stderr."""
    source = write_csv(tmp_path / "d.csv", GOOD_HEADER, [GOOD_ROW])
    monkeypatch.setattr(tokko.batch.run, "PROGRESS_EVERY", 1)
    run_batch([source], out=tmp_path / "r.csv", rules=RULES)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


# ── Memory does not grow with the rows (SPEC §5) ─────────────────────────────────────────────

_MEASURE = """
import resource, sys
from pathlib import Path
sys.path.insert(0, {benchmarks!r})
from generate import generate
import tokko
folder = Path(sys.argv[1])
rows = int(sys.argv[2])
data, agreements = folder / f"in-{{rows}}.csv", folder / f"k-{{rows}}.csv"
generate(rows, data, agreements)
rules = tokko.load_rules()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = tokko.run_batch([data], out=folder / f"r-{{rows}}.csv",
                         summary=folder / f"s-{{rows}}.csv", errors=folder / f"e-{{rows}}.csv",
                         agreements=agreements, rules=rules)
assert report.rows == rows, report
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_kib(folder: Path, rows: int) -> tuple[int, int]:
    """(peak before the batch, peak after it) of a fresh interpreter, in KiB (Linux)."""
    script = _MEASURE.format(benchmarks=str(ROOT / "benchmarks"))
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(rows)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    before, after = done.stdout.split()
    return int(before), int(after)


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="ru_maxrss is in KiB on Linux only"
)
def test_memory_does_not_grow_with_the_rows(tmp_path: Path) -> None:
    """A batch of 60,000 generated rows peaks at most 15 MB above one of 20,000 rows (each run
    in a fresh interpreter: the peak resident size of the whole process). What may grow is
    small: the first pass's two bit tables, sized from the file (about 16 bits a row: 2 × 128
    KiB at 20,000 rows, 2 × 512 KiB at 60,000), and the rows of the contracts that may repeat;
    the caches of distinct values are bounded and rows themselves are never held. (Measured
    here: about 2 MiB more for the 40,000 more rows; 15 MB leaves room for the allocator.)"""
    small = _peak_kib(tmp_path, 20_000)
    large = _peak_kib(tmp_path, 60_000)
    grown = (large[1] - small[1]) / 1024
    assert grown <= 15, f"20,000 rows: {small[1] / 1024:.1f} MiB, 60,000: {large[1] / 1024:.1f}"
    assert read_csv(tmp_path / "s-60000.csv")[0] == list(SUMMARY)
    assert len(read_csv(tmp_path / "r-60000.csv")) == 60_001


def test_an_error_row_carries_its_government_and_year_as_read(tmp_path: Path) -> None:
    """A row in error whose code and year could be read carries them as read (013951, 2023),
    so that the results group as the summary counts them; the cell in error stays as typed."""
    source = tmp_path / "d.csv"
    source.write_text(
        "entity_code,fiscal_year,item_id,description,technology,expense_kind,amount\n"
        "13951,令和5年度,1,AI-OCR,AI,導入,1000\n"
        "13951,令和5年度,2,AI-OCR,AI,導入,12.5\n"
        "99999x,令和5年度,3,AI-OCR,AI,導入,1000\n",
        encoding="utf-8",
    )
    outputs = run(tmp_path, [source])
    assert [r[:2] + r[6:7] for r in outputs.results] == [
        ["013951", "2023", "1000"],
        ["013951", "2023", "12.5"],
        ["99999x", "2023", "1000"],
    ]
    assert [(s[0], s[2], s[7]) for s in outputs.summary] == [("013951", "2023", "1")]
