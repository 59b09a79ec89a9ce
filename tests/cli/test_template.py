"""``tokko template``: the fill-in workbook on the command line, and the round trip — template,
filled in, computed by ``tokko calc`` and ``tokko batch`` with its agreements sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app
from tokko.messages import t

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


def written(path: Path, *args: str) -> Any:
    result = run("template", "--out", str(path), *args)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(path)


def instructions(book: Any) -> str:
    return "\n".join(
        str(v)
        for row in book.worksheets[2].iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def test_template_writes_the_workbook(tmp_path: Path) -> None:
    """--out names the workbook; the command says where it wrote it."""
    out = tmp_path / "申告.xlsx"
    result = run("template", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert t("written", "ja", path=out) in result.stderr
    assert openpyxl.load_workbook(out).sheetnames[:3] == ["申告", "協定", "記入方法"]


def test_default_name_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --out: tokko-template.xlsx in the current folder — but a file already there (a
    template being filled in) is never overwritten without --out (exit 2)."""
    monkeypatch.chdir(tmp_path)
    assert run("template").exit_code == 0
    default = tmp_path / "tokko-template.xlsx"
    before = default.read_bytes()
    again = run("template")
    assert again.exit_code == 2
    assert "tokko-template.xlsx" in again.stderr
    assert "--out" in again.stderr
    assert default.read_bytes() == before
    assert run("template", "--out", str(default)).exit_code == 0


def test_fiscal_year_chooses_the_rules(tmp_path: Path) -> None:
    """--fiscal-year R2 takes the lists of fiscal 2020's rules (2020.1), by default the latest
    (2021.2); a year no rules cover is an error."""
    assert "2020.1" in instructions(written(tmp_path / "r2.xlsx", "--fiscal-year", "R2"))
    assert "2021.2" in instructions(written(tmp_path / "latest.xlsx"))
    result = run("template", "--out", str(tmp_path / "x.xlsx"), "--fiscal-year", "1999")
    assert result.exit_code == 1
    assert "NO_RULES_FOR_YEAR" in result.stderr or "1999" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_lang_en_and_options_before_the_command(tmp_path: Path) -> None:
    """--lang en (after or before the command) writes the English template."""
    assert written(tmp_path / "a.xlsx", "--lang", "en").sheetnames[0] == "Declaration"
    result = run("--lang", "en", "template", "--out", str(tmp_path / "b.xlsx"))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames[0] == "Declaration"


def test_template_is_in_the_help() -> None:
    """tokko --help lists the command, and its own help says what it writes."""
    assert "template" in run("--help").stdout
    assert "--fiscal-year" in run("template", "--help").stdout


# ── the round trip ──────────────────────────────────────────────────────────────────────────

FILLED = [
    # 団体コード, 年度, 項目番号, 事業名, 区分, 対象業務, 経費区分, 事業費, 特定財源, 調達方法, 協定番号
    [
        "011002",
        2021,
        "1",
        "AI-OCRによる申請書の読取",
        "AI",
        "会計事務",
        "導入・構築",
        1200000,
        200000,
        "単独",
        None,
    ],
    [
        "011002",
        2021,
        "2",
        "RPAの共同調達",
        "RPA",
        "財務会計",
        "導入・構築",
        1665,
        None,
        "共同",
        "HK-1",
    ],
    [
        "011002",
        2021,
        "3",
        "住民記録のRPA",
        "RPA",
        "住民基本台帳",
        "導入・構築",
        500000,
        None,
        None,
        None,
    ],
]
AGREEMENT = ["HK-1", "北海道RPA共同調達協定", dt.date(2021, 6, 1), "010006;011002"]


def fill(
    template: Path, target: Path, rows: list[list[Any]], agreement: list[Any] | None = None
) -> Path:
    """Fill the template as an officer would (openpyxl): values under the headers, the
    formulas of the name lookup left as they are, an agreement on the agreements sheet."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    names = [h for h in headers if h != headers[1]]  # every column but the name lookup
    for number, values in enumerate(rows, start=2):
        for name, value in zip(names, values, strict=False):
            if value is not None:
                sheet.cell(row=number, column=headers.index(name) + 1, value=value)
    if agreement is not None:
        book.worksheets[1].append(agreement)
    book.save(target)
    return target


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    template = tmp_path / "様式.xlsx"
    assert run("template", "--out", str(template)).exit_code == 0
    return fill(template, tmp_path / "記入済み.xlsx", FILLED, AGREEMENT)


def test_round_trip_calc(filled: Path) -> None:
    """Template → filled → tokko calc: 1,000,000 × 0.3 = 300,000; the joint item under the
    agreement of the 協定 sheet 1,665 × 0.5 = 832.5; the 住民基本台帳 item excluded; the
    declaration 300,832.5 → 301,000. Nothing unknown, nothing wrong (exit 0)."""
    result = run("calc", str(filled), "--format", "json")
    assert result.exit_code == 0, result.output
    declaration = json.loads(result.stdout)["declarations"][0]
    items = declaration["items"]
    assert [(i["status"], i["rate"], i["measure"], i["reasons"]) for i in items] == [
        ("eligible", "0.3", "300000", ["STANDARD_RATE"]),
        ("eligible", "0.5", "832.5", ["JOINT_RATE"]),
        ("excluded", "0", "0", ["EXCLUDED_STANDARDIZATION_TARGET"]),
    ]
    totals = declaration["totals"]
    assert (totals["amount"], totals["specific_revenue"], totals["net"], totals["excluded"]) == (
        "1701665",
        "200000",
        "1001665",
        "500000",
    )
    assert (totals["measure_exact"], totals["measure"]) == ("300832.5", "301000")
    assert (declaration["entity_code"], declaration["fiscal_year"]) == ("011002", 2021)


def test_round_trip_calc_to_a_results_workbook(filled: Path, tmp_path: Path) -> None:
    """The filled template computed into the results workbook: typed amounts, the total."""
    out = tmp_path / "結果.xlsx"
    result = run("calc", str(filled), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    results = book["結果"]
    headers = [c.value for c in results[1]]
    measure = headers.index("措置額") + 1
    assert [results.cell(row=r, column=measure).value for r in (2, 3, 4)] == [300000, 832.5, 0]
    summary = book["団体別集計"]
    assert summary["A3"].value == "合計"
    assert summary.cell(row=3, column=18).value == 301000


def test_round_trip_batch(filled: Path, tmp_path: Path) -> None:
    """tokko batch reads the filled template and its agreements sheet too."""
    out = tmp_path / "審査.xlsx"
    result = run("batch", str(filled), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    results = openpyxl.load_workbook(out)["結果"]
    headers = [c.value for c in results[1]]
    assert results.cell(row=3, column=headers.index("理由コード") + 1).value == "JOINT_RATE"
    assert results.cell(row=3, column=headers.index("措置額") + 1).value == 832.5


def test_round_trip_in_english(tmp_path: Path) -> None:
    """The English template, filled with the English words of its lists (single/joint, the
    expense kinds' ids), gives the same amounts."""
    template = tmp_path / "en.xlsx"
    assert run("template", "--out", str(template), "--lang", "en").exit_code == 0
    rows = [
        [
            *row[:6],
            "introduction",
            *row[7:9],
            {"単独": "single", "共同": "joint"}.get(row[9] or ""),
            row[10],
        ]
        for row in FILLED
    ]
    filled = fill(template, tmp_path / "filled.xlsx", rows, AGREEMENT)
    result = run("calc", str(filled), "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)["declarations"][0]["totals"]
    assert (totals["measure_exact"], totals["measure"]) == ("300832.5", "301000")


def test_a_formula_without_its_saved_result_is_an_error_never_a_default(
    filled: Path, tmp_path: Path
) -> None:
    """A workbook written by a program keeps no result for its formulas: a specific revenue
    =I2/2 or a business area =G4 has no known value. The row is an error naming the formula
    (UNKNOWN_VALUE) — never computed with 0 revenue or as "not a standardization target"."""
    book = openpyxl.load_workbook(filled)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    revenue = next(i for i, h in enumerate(headers, 1) if str(h).startswith("特定財源"))
    area = headers.index("対象業務") + 1
    sheet.cell(row=2, column=revenue, value="=1000*100")
    sheet.cell(row=3, column=area, value="=G4")
    edited = tmp_path / "数式.xlsx"
    book.save(edited)
    result = run("calc", str(edited), "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    items = document["declarations"][0]["items"]
    assert [i["status"] for i in items] == ["error", "error", "excluded"]
    errors = [(e["row"], e["column"], e["code"]) for e in document["errors"]]
    assert errors == [
        (2, "specific_revenue", "UNKNOWN_VALUE"),
        (3, "business_area", "UNKNOWN_VALUE"),
    ]
    assert "=1000*100" in document["errors"][0]["message"]


def test_a_second_declaration_sheet_is_named_not_dropped_silently(
    filled: Path, tmp_path: Path
) -> None:
    """The first sheet is read; another sheet with a declaration's header (a copy of 申告) is
    not — and calc and batch say so, naming it and --sheet, so that no claim is lost unseen."""
    book = openpyxl.load_workbook(filled)
    copy = book.copy_worksheet(book.worksheets[0])
    copy.title = "申告 (2)"
    twice = tmp_path / "二枚.xlsx"
    book.save(twice)
    calc = run("calc", str(twice))
    assert "「申告 (2)」" in calc.stderr
    assert '--sheet "申告 (2)"' in calc.stderr
    batch = run("batch", str(twice), "--out", str(tmp_path / "r.csv"))
    assert "「申告 (2)」" in batch.stderr
    assert "「協定」" not in calc.stderr + batch.stderr  # the agreements sheet is no declaration
    assert "「申告 (2)」" not in run("calc", str(filled)).stderr
