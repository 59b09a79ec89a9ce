"""The results workbook for people (issue 16, SPEC §6): typed cells, Japanese labels, formats,
frozen headers, filters, widths, highlighted warnings, a summary with a total, an info sheet —
one writer for ``tokko calc --format xlsx`` and ``tokko batch --format xlsx``."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

import tokko.io.workbook as workbook_module
from tokko import __version__, load_rules
from tokko.batch import run_batch
from tokko.cli import app
from tokko.io.workbook import (
    ERROR_FILL,
    WARNING_FILL,
    ResultsWorkbook,
    display_width,
    input_cell,
    number,
    rate,
)
from tokko.messages import t
from tokko.rules.ruleset import shipped_rules_dir

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
RULES = load_rules()
HEADER = [
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費",
    "特定財源",
    "導入年度",
    "備考",
]
ROWS = [
    [
        "011002",
        "2021",
        "1",
        "AI-OCRによる申請書の読取",
        "AI",
        "会計事務",
        "導入・構築",
        "1,200,000",
        "200000",
        "",
        "",
    ],
    ["011002", "2021", "2", "RPAの端数", "RPA", "財務会計", "導入・構築", "1665", "", "", "=1+1"],
    ["011002", "2021", "3", "住民記録のRPA", "RPA", "住民記録", "導入・構築", "500000", "", "", ""],
    [
        "011002",
        "2021",
        "4",
        "ライセンス",
        "AI",
        "会計事務",
        "利用料・ライセンス料",
        "100000",
        "",
        "",
        "",
    ],
    ["011002", "2021", "5", "金額の誤り", "AI", "会計事務", "導入・構築", "abc", "", "", ""],
]
LABELS = [
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費",
    "特定財源",
    "導入年度",
    "備考",
    "状態",
    "控除後の額",
    "措置率",
    "措置額",
    "理由",
    "理由コード",
    "警告",
    "警告コード",
]
SUMMARY_LABELS = [
    "団体コード",
    "団体名",
    "年度",
    "規則の版",
    "項目数",
    "対象の項目数",
    "対象外の項目数",
    "エラーの項目数",
    "警告のある項目数",
    "事業費の合計",
    "特定財源（控除額）",
    "控除後の額（対象）",
    "対象外の額",
    "措置額（乗率の前）",
    "財政力指数",
    "財政力指数に応じた乗率",
    "措置額（端数処理前）",
    "措置額（端数処理後）",
    "警告",
    "警告コード",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    return path


def column(sheet: Any, label: str) -> int:
    """The column (1-based) under a header label."""
    return [c.value for c in sheet[1]].index(label) + 1


def cell(sheet: Any, row: int, label: str) -> Any:
    return sheet.cell(row=row, column=column(sheet, label))


def fill_of(sheet: Any, row: int) -> str | None:
    """The fill colour (RGB) of a row's first cell, or None."""
    found = sheet.cell(row=row, column=1).fill
    return str(found.fgColor.rgb)[-6:] if found.fill_type == "solid" else None


@pytest.fixture(scope="module")
def calc_book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``tokko calc 申告.csv --format xlsx --out 結果.xlsx`` (Japanese by default)."""
    folder = tmp_path_factory.mktemp("calc")
    source = write_csv(folder / "申告.csv", HEADER, ROWS)
    out = folder / "結果.xlsx"
    result = run("calc", str(source), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 1, result.output  # the error row
    book = openpyxl.load_workbook(out)
    book.source = source
    return book


# ── the sheets and their words ──────────────────────────────────────────────────────────────


def test_sheets_are_named_in_japanese_by_default(calc_book: Any) -> None:
    """The sheets are 結果, 団体別集計, エラー and 情報, in that order."""
    assert calc_book.sheetnames == ["結果", "団体別集計", "エラー", "情報"]


def test_results_headers_are_the_catalog_labels(calc_book: Any) -> None:
    """Input columns under their field's label (a column that is no field keeps its header),
    then status, amounts, and reasons and warnings in words with their codes beside them."""
    assert [c.value for c in calc_book["結果"][1]] == LABELS


def test_status_reasons_and_warnings_are_words_with_codes_beside(calc_book: Any) -> None:
    """対象 / 対象外 / エラー; the reason's words and its code; a warning's words and code; an
    error row gives its message and its code."""
    sheet = calc_book["結果"]
    assert [cell(sheet, r, "状態").value for r in range(2, 7)] == [
        "対象",
        "対象",
        "対象外",
        "対象",
        "エラー",
    ]
    assert cell(sheet, 2, "理由").value == t("code.STANDARD_RATE", "ja")
    assert cell(sheet, 2, "理由コード").value == "STANDARD_RATE"
    assert cell(sheet, 4, "理由コード").value == "EXCLUDED_STANDARDIZATION_TARGET"
    assert cell(sheet, 4, "理由").value == t("code.EXCLUDED_STANDARDIZATION_TARGET", "ja")
    assert cell(sheet, 5, "警告").value == t("code.INTRODUCTION_YEAR_MISSING", "ja")
    assert cell(sheet, 5, "警告コード").value == "INTRODUCTION_YEAR_MISSING"
    assert cell(sheet, 2, "警告").value is None
    assert cell(sheet, 6, "理由コード").value == "INVALID_AMOUNT"
    assert "abc" in cell(sheet, 6, "理由").value


# ── typed cells ─────────────────────────────────────────────────────────────────────────────


def test_amounts_are_numbers_with_separators(calc_book: Any) -> None:
    """Net and measure are integers formatted #,##0; the rate is a number formatted 0.0#, so
    that SUM() works on them."""
    sheet = calc_book["結果"]
    net, rate_cell, measure = (
        cell(sheet, 2, label) for label in ("控除後の額", "措置率", "措置額")
    )
    assert (net.value, net.data_type, net.number_format) == (1000000, "n", "#,##0")
    assert (rate_cell.value, rate_cell.data_type, rate_cell.number_format) == (0.3, "n", "0.0#")
    assert (measure.value, measure.number_format) == (300000, "#,##0")


def test_a_fraction_of_a_yen_stays_exact(calc_book: Any) -> None:
    """1,665 × 0.3 = 499.5: written as 499.5 with a format that shows the half yen, never
    rounded on the screen."""
    measure = cell(calc_book["結果"], 3, "措置額")
    assert measure.value == 499.5
    assert measure.number_format == "#,##0.0"


def test_codes_stay_text_and_amounts_read_are_numbers(calc_book: Any) -> None:
    """011002 keeps its zero; an amount typed as text ("1,200,000") is the number it was read
    as, formatted #,##0, so that people can add it up (SPEC §6: typed cells); an id stays
    text."""
    sheet = calc_book["結果"]
    code = cell(sheet, 2, "団体コード")
    assert (code.value, code.data_type) == ("011002", "s")
    amount = cell(sheet, 2, "事業費")
    assert (amount.value, amount.data_type, amount.number_format) == (1200000, "n", "#,##0")
    assert cell(sheet, 2, "項目番号").value == "1"


def test_a_formula_in_the_input_is_written_as_text(calc_book: Any) -> None:
    """A cell that starts like a formula is text with Excel's quote prefix: shown as typed,
    never run, and no apostrophe added to the value (an id -001 stays -001)."""
    memo = cell(calc_book["結果"], 3, "備考")
    assert (memo.value, memo.data_type, memo.quotePrefix) == ("=1+1", "s", True)
    assert cell(calc_book["結果"], 2, "項目番号").quotePrefix is False


def test_error_and_blank_result_cells_are_empty(calc_book: Any) -> None:
    """An error row has no amounts: its net, rate and measure cells are empty."""
    sheet = calc_book["結果"]
    assert [cell(sheet, 6, label).value for label in ("控除後の額", "措置率", "措置額")] == [
        None,
        None,
        None,
    ]


# ── for reading ─────────────────────────────────────────────────────────────────────────────


def test_header_frozen_and_filtered(calc_book: Any) -> None:
    """The header row is frozen and carries an auto-filter over every row and column."""
    sheet = calc_book["結果"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:S6"
    assert calc_book["エラー"].freeze_panes == "A2"
    assert calc_book["団体別集計"].freeze_panes == "C2"  # the code and the name stay in view


def test_widths_fit_japanese_text(calc_book: Any) -> None:
    """A column is as wide as its longest text with a full-width character counted 2."""
    sheet = calc_book["結果"]
    widths = sheet.column_dimensions
    description = widths["D"].width
    assert description >= display_width("AI-OCRによる申請書の読取") == 24
    assert widths["A"].width >= display_width("団体コード") == 10
    assert widths["M"].width >= len("1,000,000")


def test_rows_with_warnings_and_errors_are_filled(calc_book: Any) -> None:
    """A row with a warning is filled yellow, an error row red, the others not at all."""
    sheet = calc_book["結果"]
    assert [fill_of(sheet, r) for r in range(2, 7)] == [None, None, None, WARNING_FILL, ERROR_FILL]
    assert sheet.cell(row=5, column=column(sheet, "措置額")).fill.fgColor.rgb.endswith(WARNING_FILL)


def test_summary_is_typed_and_ends_with_a_grand_total(calc_book: Any) -> None:
    """One line per government and year — code as text, the year a number, counts and yen
    amounts numbers — then a 合計 row adding them up (330,499.5 keeps its half yen)."""
    sheet = calc_book["団体別集計"]
    assert [c.value for c in sheet[1]] == SUMMARY_LABELS
    line = {label: sheet.cell(row=2, column=i).value for i, label in enumerate(SUMMARY_LABELS, 1)}
    assert line == {
        "団体コード": "011002",
        "団体名": "札幌市",
        "年度": 2021,
        "規則の版": "2021.2",
        "項目数": 5,
        "対象の項目数": 3,
        "対象外の項目数": 1,
        "エラーの項目数": 1,
        "警告のある項目数": 1,
        "事業費の合計": 1801665,
        "特定財源（控除額）": 200000,
        "控除後の額（対象）": 1101665,
        "対象外の額": 500000,
        "措置額（乗率の前）": 330499.5,
        "財政力指数": None,
        "財政力指数に応じた乗率": None,
        "措置額（端数処理前）": 330499.5,
        "措置額（端数処理後）": 330000,
        "警告": t("code.FISCAL_STRENGTH_NOT_APPLIED", "ja"),
        "警告コード": "FISCAL_STRENGTH_NOT_APPLIED",
    }
    assert cell(sheet, 2, "年度").number_format == "0"
    assert cell(sheet, 2, "事業費の合計").number_format == "#,##0"
    assert cell(sheet, 2, "措置額（乗率の前）").number_format == "#,##0.0"
    assert cell(sheet, 2, "項目数").number_format == "#,##0"
    total = [c.value for c in sheet[3]]
    assert total[0] == "合計"
    assert total[4:14] == [5, 3, 1, 1, 1, 1801665, 200000, 1101665, 500000, 330499.5]
    assert total[17] == 330000
    assert sheet.max_row == 3
    assert sheet[3][0].font.b


def test_errors_sheet_names_row_and_column(calc_book: Any) -> None:
    """The errors sheet: file, the row as a number, the column's label, the code, the message."""
    sheet = calc_book["エラー"]
    assert [c.value for c in sheet[1]] == ["ファイル", "行", "列", "コード", "内容"]
    file, row, label, code, message = (c.value for c in sheet[2])
    assert (row, label, code) == (6, "事業費", "INVALID_AMOUNT")
    assert file == str(calc_book.source)
    assert "abc" in message


def test_info_sheet_names_rules_sha256_version_and_date(calc_book: Any) -> None:
    """情報: tokko's version, when the workbook was made, the input file, and each rule version
    with the SHA-256 of its file's bytes."""
    rows = [[c.value for c in row] for row in calc_book["情報"].iter_rows()]
    by_label = {row[0]: row[1] for row in rows if row and row[0]}
    assert by_label["tokko の版"] == __version__
    created = by_label["作成日時"]
    assert isinstance(created, dt.datetime)
    assert abs(dt.datetime.now() - created) < dt.timedelta(minutes=10)
    assert by_label["入力ファイル"] == str(calc_book.source)
    sha = hashlib.sha256((shipped_rules_dir() / "ai-rpa" / "2021.toml").read_bytes()).hexdigest()
    assert ["ai-rpa", "2021.2", "ai-rpa/2021.toml", sha] in [row[:4] for row in rows]


def test_english_with_lang_en(tmp_path: Path) -> None:
    """--lang en: English sheet names, labels and status words."""
    source = write_csv(tmp_path / "d.csv", HEADER, ROWS)
    out = tmp_path / "r.xlsx"
    result = run("calc", str(source), "--format", "xlsx", "--out", str(out), "--lang", "en")
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Results", "Summary", "Errors", "Info"]
    sheet = book["Results"]
    labels = [c.value for c in sheet[1]]
    assert labels[:3] == ["Local government code", "Fiscal year", "Item number"]
    assert labels[-8:] == [
        "Status",
        "Net",
        "Rate",
        "Measure",
        "Reasons",
        "Reason codes",
        "Warnings",
        "Warning codes",
    ]
    assert [cell(sheet, r, "Status").value for r in range(2, 7)] == [
        "eligible",
        "eligible",
        "excluded",
        "eligible",
        "error",
    ]
    assert cell(sheet, 2, "Reasons").value == t("code.STANDARD_RATE", "en")
    assert book["Summary"]["A3"].value == "Total"
    assert book["Errors"]["C2"].value == "amount"


def test_typed_input_from_a_workbook(tmp_path: Path) -> None:
    """Cells of an XLSX input keep their types: an amount is a number with #,##0, the year a
    number, the index a number with two decimals; an item number that was a number becomes the
    text it names."""
    source = tmp_path / "申告.xlsx"
    book = openpyxl.Workbook()
    book.active.append(
        ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費", "財政力指数"]
    )
    book.active.append(["011002", 2021, 7, "AI-OCR", "AI", "導入・構築", 1200000, 0.45])
    book.save(source)
    out = tmp_path / "r.xlsx"
    result = run("calc", str(source), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["結果"]
    amount, year, item, index = (
        cell(sheet, 2, label) for label in ("事業費", "年度", "項目番号", "財政力指数")
    )
    assert (amount.value, amount.number_format) == (1200000, "#,##0")
    assert (year.value, year.number_format) == (2021, "0")
    assert (item.value, item.data_type) == ("7", "s")
    assert (index.value, index.number_format) == (0.45, "0.00")
    summary = openpyxl.load_workbook(out)["団体別集計"]
    assert cell(summary, 2, "財政力指数").value == 0.45


# ── batch: the same writer, streaming ───────────────────────────────────────────────────────

HAKODATE = [
    ["012025", "2021", "1", "AI議事録", "AI", "議会事務", "導入・構築", "2000000", "", "", ""]
]


def test_batch_writes_the_same_workbook(tmp_path: Path) -> None:
    """batch --format xlsx: the same sheets and cells; a summary line per government (in code
    order) and a total over all of them; the info sheet lists every input file."""
    first = write_csv(tmp_path / "a.csv", HEADER, ROWS)
    second = write_csv(tmp_path / "b.csv", HEADER, HAKODATE)
    out = tmp_path / "審査.xlsx"
    report = run_batch([first, second], out=out, rules=RULES, output_format="xlsx")
    assert (report.rows, report.error_rows, report.entities) == (6, 1, 2)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["結果", "団体別集計", "エラー", "情報"]
    results = book["結果"]
    assert [c.value for c in results[1]] == LABELS
    assert cell(results, 7, "措置額").value == 600000
    assert cell(results, 3, "措置額").number_format == "#,##0.0"
    assert [fill_of(results, r) for r in range(2, 8)] == [
        None,
        None,
        None,
        WARNING_FILL,
        ERROR_FILL,
        None,
    ]
    summary = book["団体別集計"]
    assert [summary.cell(row=r, column=1).value for r in (2, 3, 4)] == ["011002", "012025", "合計"]
    total = [c.value for c in summary[4]]
    assert total[4:9] == [6, 4, 1, 1, 1]
    assert total[9] == 3801665
    assert total[16:18] == [930499.5, 930000]
    assert book["エラー"]["D2"].value == "INVALID_AMOUNT"
    files = [row[1] for row in book["情報"].iter_rows(values_only=True) if len(row) > 1]
    assert str(first) in files
    assert str(second) in files


def test_batch_streams_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the first rows are held (to size the columns); the rest are written as they come,
    typed and filled the same way."""
    monkeypatch.setattr(workbook_module, "MEASURED_ROWS", 2)
    rows = [[*row[:3], "短い", *row[4:]] for row in ROWS[:2]]
    rows += [[*row[:3], "とても長い事業名" * 4, *row[4:]] for row in ROWS[2:]]
    source = write_csv(tmp_path / "a.csv", HEADER, rows)
    out = tmp_path / "r.xlsx"
    run_batch([source], out=out, rules=RULES, output_format="xlsx")
    sheet = openpyxl.load_workbook(out)["結果"]
    assert sheet.max_row == 6
    assert sheet.column_dimensions["D"].width < display_width("とても長い事業名" * 4)
    assert [fill_of(sheet, r) for r in range(2, 7)] == [None, None, None, WARNING_FILL, ERROR_FILL]
    assert cell(sheet, 5, "措置額").value == 30000
    assert cell(sheet, 5, "措置額").number_format == "#,##0"


def test_batch_english(tmp_path: Path) -> None:
    """run_batch(lang="en") writes the English workbook."""
    source = write_csv(tmp_path / "a.csv", HEADER, HAKODATE)
    out = tmp_path / "r.xlsx"
    run_batch([source], out=out, rules=RULES, output_format="xlsx", lang="en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Results", "Summary", "Errors", "Info"]
    assert cell(book["Results"], 2, "Status").value == "eligible"


def test_an_interrupted_workbook_leaves_the_previous_file(tmp_path: Path) -> None:
    """An error while writing leaves no workbook and no partial file; an existing one stays."""
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"previous")
    with pytest.raises(RuntimeError, match="stop"), ResultsWorkbook(out, "ja", ["amount"]):
        raise RuntimeError("stop")
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


# ── the cells, one by one ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("360000"), (360000, "#,##0")),
        (Decimal("3.6E+5"), (360000, "#,##0")),
        (Decimal("499.5"), (Decimal("499.5"), "#,##0.0")),
        (Decimal("0.25"), (Decimal("0.25"), "#,##0.00")),
        (Decimal("1234.125"), (Decimal("1234.125"), "#,##0.000")),
        (Decimal("123456789012345.5"), ("123456789012345.5", None)),  # more than Excel holds
    ],
)
def test_yen_numbers_show_every_decimal(value: Decimal, expected: tuple[object, str]) -> None:
    """A yen amount is a whole number with #,##0, or a fraction whose format shows exactly its
    decimals; a fraction Excel cannot hold exactly is written as text."""
    assert tuple(number(value, "#,##0")) == expected


def test_rates_and_input_cells() -> None:
    """Rates are 0.0# (more decimals only if the rate has them); ids that came as numbers
    become text; dates are dates."""
    assert tuple(rate(Decimal("0.30"))) == (Decimal("0.3"), "0.0#")
    assert tuple(rate(Decimal("0.5"))) == (Decimal("0.5"), "0.0#")
    assert tuple(rate(Decimal("0.125"))) == (Decimal("0.125"), "0.000")
    assert tuple(input_cell("entity_code", 11002)) == ("11002", None)
    assert tuple(input_cell("contract_id", 12.0)) == ("12", None)
    assert tuple(input_cell("amount", "1,200,000")) == ("1,200,000", None)
    assert tuple(input_cell("amount", 1200000)) == (1200000, "#,##0")
    assert tuple(input_cell("description", dt.date(2021, 6, 1))) == (
        dt.date(2021, 6, 1),
        "yyyy-mm-dd",
    )
    assert display_width("事業費 abc") == 10
