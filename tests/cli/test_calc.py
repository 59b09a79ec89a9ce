"""``tokko calc FILE``: a declaration in JSON, CSV (UTF-8, CP932) or XLSX, in four formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tokko import calculate_rows, load_rules
from tokko.cli import app
from tokko.messages import t
from tokko.io import read_declaration_file

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}

DECLARATION = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "items": [
        {"item_id": "1", "description": "AI-OCRによる申請書読取", "technology": "AI-OCR",
         "business_area": "会計事務", "expense_kind": "導入・構築", "amount": "1,234,567",
         "specific_revenue": 200000},
        {"item_id": "2", "description": "RPA共同調達", "technology": "RPA",
         "business_area": "庶務事務", "expense_kind": "license", "amount": 2000000,
         "procurement": "共同", "agreement_id": "K1"},
        {"item_id": "3", "description": "住民記録のAI", "technology": "AI",
         "business_area": "住民記録", "expense_kind": "introduction", "amount": 500000},
        {"item_id": "4", "description": "小数", "technology": "AI",
         "expense_kind": "introduction", "amount": "12.5"},
    ],
    "agreements": [{"agreement_id": "K1", "title": "北海道RPA共同調達協定",
                    "concluded_on": "2021-05-10", "parties": ["010006", "011002"]}],
}
HEADER_JA = ["団体コード", "年度", "項目番号", "事業名", "区分", "対象業務", "経費区分", "事業費",
             "特定財源", "調達方法", "協定番号"]
ROWS = [
    ["011002", "令和3年度", "1", "AI-OCRによる申請書読取", "AI-OCR", "会計事務", "導入・構築",
     "1,234,567", "200000", "単独", ""],
    ["011002", "令和3年度", "2", "RPA共同調達", "RPA", "庶務事務", "利用料", "2000000", "",
     "共同", "K1"],
    ["011002", "令和3年度", "3", "住民記録のAI", "AI", "住民記録", "導入", "500000", "", "", ""],
]
AGREEMENTS = [["協定番号", "協定名", "締結日", "構成団体"],
              ["K1", "北海道RPA共同調達協定", "2021/5/10", "010006;011002"]]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


@pytest.fixture
def declaration(tmp_path: Path) -> Path:
    path = tmp_path / "申告.json"
    path.write_text(json.dumps(DECLARATION, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def agreements(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "協定.csv", AGREEMENTS, "utf-8")


def test_table_in_japanese(declaration: Path) -> None:
    """The table has Japanese headers, amounts with separators, totals, reconciliation, errors."""
    result = run("calc", str(declaration))
    assert result.exit_code == 1  # item 4 is an error row
    out = result.stdout
    for header in ("項目", "対象業務", "事業費", "特定財源", "控除後の額", "措置率", "措置額", "理由",
                   "警告"):
        assert header in out
    assert "札幌市（011002）" in out
    assert "令和3年度" in out
    assert "1,234,567" in out
    assert "1,034,567" in out
    assert "310,370.1" in out
    assert "1,000,000" in out
    assert t("code.JOINT_RATE", "ja") in out
    assert t("code.EXCLUDED_STANDARDIZATION_TARGET", "ja") in out
    assert "1,310,370.1" in out
    assert "1,310,000" in out
    assert "3,734,567 = 3,034,567 + 500,000 + 200,000" in out
    assert "✓" in out
    assert "エラー一覧（1件）" in out
    assert "INVALID_AMOUNT" in out
    assert "「12.5」" in out
    assert "Traceback" not in result.output


def test_table_in_english(declaration: Path) -> None:
    """With --lang en headers, reasons and errors are English."""
    result = run("--lang", "en", "calc", str(declaration))
    out = result.stdout
    for header in ("Item", "Business area", "Amount", "Specific revenue", "Net cost", "Rate",
                   "Measure", "Reason", "Warnings"):
        assert header in out
    assert t("code.JOINT_RATE", "en") in out
    assert "Errors (1)" in out
    assert "'12.5' is not a whole number" in out
    assert "事業費" not in out


def test_json_is_the_result_document(declaration: Path) -> None:
    """--format json prints exactly Result.model_dump_json(indent=2), the SPEC §6 document."""
    result = run("calc", str(declaration), "--format", "json")
    assert result.exit_code == 1
    rows, agreements, errors = read_declaration_file(declaration)
    expected = calculate_rows(rows, load_rules(), agreements, errors=errors, explain=False)
    assert result.stdout == expected.model_dump_json(indent=2) + "\n"
    document = json.loads(result.stdout)
    items = document["declarations"][0]["items"]
    assert [i["status"] for i in items] == ["eligible", "eligible", "excluded", "error"]
    assert document["declarations"][0]["totals"]["measure"] == "1310000"
    assert document["errors"][0]["code"] == "INVALID_AMOUNT"
    assert "INVALID_AMOUNT" in result.stderr  # the errors also go to stderr, in words


def test_json_to_a_file(declaration: Path, tmp_path: Path) -> None:
    """--output writes the JSON document to the file."""
    target = tmp_path / "out.json"
    result = run("calc", str(declaration), "--format", "json", "--output", str(target))
    assert result.exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["tokko_version"]


def test_csv_output_to_stdout(declaration: Path) -> None:
    """--format csv writes the input fields then the result columns, one row per item."""
    result = run("calc", str(declaration), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["entity_code", "fiscal_year", "item_id", "description", "technology",
                       "business_area", "expense_kind", "amount", "specific_revenue",
                       "procurement", "agreement_id", "contract_id", "contract_total", "status",
                       "reasons", "warnings", "net", "rate", "measure"]
    assert rows[1][:3] == ["011002", "R3", "1"]
    assert rows[1][-6:] == ["eligible", "STANDARD_RATE", "", "1034567", "0.3", "310370.1"]
    assert rows[4][-6:] == ["error", "", "", "", "", ""]


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    """A cell starting with = is written with a leading apostrophe (formula injection)."""
    data = {"entity_code": "011002", "fiscal_year": 2021, "items": [
        {"item_id": "1", "description": "=HYPERLINK(\"x\")", "technology": "AI",
         "expense_kind": "introduction", "amount": 1000}]}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(run("calc", str(path), "--format", "csv").stdout)))
    assert rows[1][3] == "'=HYPERLINK(\"x\")"


@pytest.mark.parametrize(("encoding", "codec"), [("utf-8", "utf-8-sig"), ("cp932", "cp932")])
def test_csv_output_file_encodings(declaration: Path, tmp_path: Path, encoding: str,
                                   codec: str) -> None:
    """CSV files are UTF-8 with BOM by default, CP932 on request."""
    target = tmp_path / "結果.csv"
    result = run("calc", str(declaration), "--format", "csv", "--output", str(target),
                 "--encoding", encoding)
    assert result.exit_code == 1
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8")
    assert "AI-OCRによる申請書読取" in raw.decode(codec)


def test_xlsx_output(declaration: Path, tmp_path: Path) -> None:
    """--format xlsx writes a workbook with results, summary and errors sheets."""
    target = tmp_path / "結果.xlsx"
    result = run("calc", str(declaration), "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 1
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["results", "summary", "errors"]
    summary = list(book["summary"].iter_rows(values_only=True))
    assert summary[1][0] == "011002"
    assert summary[1][-1] == "1310000"
    errors = list(book["errors"].iter_rows(values_only=True))
    assert errors[1][3] == "INVALID_AMOUNT"
    book.close()


def test_xlsx_needs_output(declaration: Path) -> None:
    """--format xlsx without --output is a usage error (exit 2)."""
    result = run("calc", str(declaration), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_table_to_a_file(declaration: Path, tmp_path: Path) -> None:
    """--output with the table format writes the report, errors included, as plain text."""
    target = tmp_path / "report.txt"
    result = run("calc", str(declaration), "--output", str(target))
    assert result.exit_code == 1
    text = target.read_text(encoding="utf-8")
    assert "1,310,000" in text
    assert "INVALID_AMOUNT" in text
    assert "\x1b[" not in text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_input_in_each_encoding(tmp_path: Path, agreements: Path, encoding: str) -> None:
    """UTF-8, UTF-8 with BOM and CP932 CSV inputs with Japanese headers give the same totals."""
    path = write_csv(tmp_path / "申告.csv", [HEADER_JA, *ROWS], encoding)
    result = run("calc", str(path), "--agreements", str(agreements))
    assert result.exit_code == 0, result.output
    assert "1,310,370.1" in result.stdout
    assert "1,310,000" in result.stdout
    assert t("code.JOINT_RATE", "ja") in result.stdout


def test_csv_without_the_agreements_file_warns(tmp_path: Path) -> None:
    """A joint row naming an agreement nobody gave is computed at 0.3 with AGREEMENT_UNKNOWN."""
    path = write_csv(tmp_path / "申告.csv", [HEADER_JA, *ROWS], "utf-8")
    result = run("calc", str(path), "--format", "csv")
    assert result.exit_code == 0
    joint = list(csv.reader(io.StringIO(result.stdout)))[2]
    assert joint[-6:] == ["eligible", "STANDARD_RATE", "AGREEMENT_UNKNOWN", "2000000", "0.3",
                          "600000"]


def test_xlsx_input_written_with_openpyxl(tmp_path: Path) -> None:
    """An XLSX declaration: numeric code zero-padded, numeric year and amounts read exactly."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "申告"
    sheet.append(["団体コード", "年度", "項目番号", "事業名", "区分", "対象業務", "経費区分",
                  "事業費"])
    sheet.append([11002, 2021, 1, "AI議事録", "AI", "議事録作成", "導入・構築", 1234567])
    sheet.append([11002, 2021, 2, "RPA", "RPA", "会計", "研修", 765433])
    path = tmp_path / "申告.xlsx"
    book.save(path)
    result = run("calc", str(path), "--sheet", "申告")
    assert result.exit_code == 0, result.output
    assert "札幌市（011002）" in result.stdout
    assert "2,000,000" in result.stdout
    assert "600,000" in result.stdout


def test_xlsx_input_missing_sheet_exit_3(tmp_path: Path) -> None:
    """A sheet that is not in the workbook stops with exit 3, naming the sheets there are."""
    book = openpyxl.Workbook()
    path = tmp_path / "申告.xlsx"
    book.save(path)
    result = run("calc", str(path), "--sheet", "ない")
    assert result.exit_code == 3
    assert "ない" in result.stderr
    assert "Traceback" not in result.output


def test_unit_thousand(tmp_path: Path) -> None:
    """--unit thousand reads 千円 amounts (×1,000 exactly)."""
    rows = [HEADER_JA, ["011002", "2021", "1", "AI", "AI", "会計", "導入", "1,234", "", "", ""]]
    path = write_csv(tmp_path / "千円.csv", rows, "utf-8")
    result = run("calc", str(path), "--unit", "thousand")
    assert "1,234,000" in result.stdout
    assert "370,200" in result.stdout


def test_unit_in_header_contradicting_the_option(tmp_path: Path) -> None:
    """A 事業費（千円） column without --unit thousand is refused (exit 3), saying what to add."""
    rows = [[*HEADER_JA[:7], "事業費（千円）", *HEADER_JA[8:]],
            ["011002", "2021", "1", "AI", "AI", "会計", "導入", "1,234", "", "", ""]]
    path = write_csv(tmp_path / "千円.csv", rows, "utf-8")
    result = run("calc", str(path))
    assert result.exit_code == 3
    assert "--unit thousand" in result.stderr


def test_row_errors_name_file_row_and_column(tmp_path: Path) -> None:
    """Error rows name the file, the spreadsheet row, the column, what was found and expected."""
    rows = [HEADER_JA, ["011001", "R3", "1", "AI", "AI", "会計", "導入", "100", "", "", ""],
            ["011002", "R3", "2", "AI", "AI", "会計", "導入", "1.5", "", "", ""]]
    path = write_csv(tmp_path / "bad.csv", rows, "utf-8")
    result = run("--lang", "en", "calc", str(path))
    assert result.exit_code == 1
    out = result.stdout
    assert "bad.csv" in out
    assert "INVALID_CODE" in out
    assert "INVALID_AMOUNT" in out
    assert "check digit" in out
    assert "'1.5' is not a whole number" in out
    assert "local government code" in out  # the column, named in words


def test_missing_file_exit_3() -> None:
    """A file that does not exist: exit 3, its name and the reason, no traceback."""
    result = run("calc", "ない.csv")
    assert result.exit_code == 3
    assert "ない.csv" in result.stderr
    assert "ファイルがありません" in result.stderr
    assert "Traceback" not in result.output


def test_missing_required_column_exit_3(tmp_path: Path) -> None:
    """A CSV lacking a required column is refused before computing, naming the column."""
    path = write_csv(tmp_path / "d.csv", [["団体コード", "年度"], ["011002", "R3"]], "utf-8")
    result = run("--lang", "en", "calc", str(path))
    assert result.exit_code == 3
    assert "missing required column" in result.stderr
    assert "amount" in result.stderr


def test_invalid_json_exit_3(tmp_path: Path) -> None:
    """A JSON file that does not parse: exit 3 with the line and column."""
    path = tmp_path / "d.json"
    path.write_text("{\"entity_code\": ", encoding="utf-8")
    result = run("calc", str(path))
    assert result.exit_code == 3
    assert "JSON" in result.stderr
    assert "1行" in result.stderr


def test_all_rows_valid_exit_0(tmp_path: Path) -> None:
    """A declaration without error rows exits 0."""
    data = {**DECLARATION, "items": DECLARATION["items"][:3]}
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("calc", str(path))
    assert result.exit_code == 0, result.output
    assert "エラー一覧" not in result.stdout
