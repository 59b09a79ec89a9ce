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
from tokko.io.inputs import read_declaration_file
from tokko.messages import t

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}

DECLARATION = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "items": [
        {
            "item_id": "1",
            "description": "AI-OCRによる申請書読取",
            "technology": "AI-OCR",
            "business_area": "会計事務",
            "expense_kind": "導入・構築",
            "amount": "1,234,567",
            "specific_revenue": 200000,
        },
        {
            "item_id": "2",
            "description": "RPA共同調達",
            "technology": "RPA",
            "business_area": "庶務事務",
            "expense_kind": "license",
            "amount": 2000000,
            "procurement": "共同",
            "agreement_id": "K1",
        },
        {
            "item_id": "3",
            "description": "住民記録のAI",
            "technology": "AI",
            "business_area": "住民記録",
            "expense_kind": "introduction",
            "amount": 500000,
        },
        {
            "item_id": "4",
            "description": "小数",
            "technology": "AI",
            "expense_kind": "introduction",
            "amount": "12.5",
        },
    ],
    "agreements": [
        {
            "agreement_id": "K1",
            "title": "北海道RPA共同調達協定",
            "concluded_on": "2021-05-10",
            "parties": ["010006", "011002"],
        }
    ],
}
HEADER_JA = [
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
]
ROWS = [
    [
        "011002",
        "令和3年度",
        "1",
        "AI-OCRによる申請書読取",
        "AI-OCR",
        "会計事務",
        "導入・構築",
        "1,234,567",
        "200000",
        "単独",
        "",
    ],
    [
        "011002",
        "令和3年度",
        "2",
        "RPA共同調達",
        "RPA",
        "庶務事務",
        "利用料",
        "2000000",
        "",
        "共同",
        "K1",
    ],
    ["011002", "令和3年度", "3", "住民記録のAI", "AI", "住民記録", "導入", "500000", "", "", ""],
]
AGREEMENTS = [
    ["協定番号", "協定名", "締結日", "構成団体"],
    ["K1", "北海道RPA共同調達協定", "2021/5/10", "010006;011002"],
]


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
    for header in (
        "項目",
        "対象業務",
        "事業費",
        "特定財源",
        "控除後の額",
        "措置率",
        "措置額",
        "理由",
        "警告",
    ):
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
    result = run("--lang", "en", "calc", str(declaration), env={"COLUMNS": "320"})
    out = result.stdout
    for header in (
        "Item",
        "Business area",
        "Amount",
        "Specific revenue",
        "Net cost",
        "Rate",
        "Measure",
        "Reason",
        "Warnings",
    ):
        assert header in out
    assert t("code.JOINT_RATE", "en") in out
    assert "Errors (1)" in out
    assert "'12.5' is not a whole number" in out
    assert "事業費" not in out


def test_json_is_the_result_document(declaration: Path) -> None:
    """--format json prints exactly Result.model_dump_json(indent=2), the SPEC §6 document."""
    result = run("calc", str(declaration), "--format", "json")
    assert result.exit_code == 1
    found = read_declaration_file(declaration)
    expected = calculate_rows(
        found.rows, load_rules(), found.agreements, problems=found.problems, explain=False
    )
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
    assert rows[0] == [
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
        "introduced_in",
        "fiscal_strength_index",
        "status",
        "reasons",
        "warnings",
        "net",
        "rate",
        "measure",
    ]
    assert rows[1][:3] == ["011002", "2021", "1"]  # R3 as read: plain for programs
    assert rows[1][-6:] == ["eligible", "STANDARD_RATE", "", "1034567", "0.3", "310370.1"]
    assert rows[4][-6:] == ["error", "", "", "", "", ""]


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    """A cell starting with = is written with a leading apostrophe (formula injection)."""
    data = {
        "entity_code": "011002",
        "fiscal_year": 2021,
        "items": [
            {
                "item_id": "1",
                "description": '=HYPERLINK("x")',
                "technology": "AI",
                "expense_kind": "introduction",
                "amount": 1000,
            }
        ],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(run("calc", str(path), "--format", "csv").stdout)))
    assert rows[1][3] == '\'=HYPERLINK("x")'


@pytest.mark.parametrize(("encoding", "codec"), [("utf-8", "utf-8-sig"), ("cp932", "cp932")])
def test_csv_output_file_encodings(
    declaration: Path, tmp_path: Path, encoding: str, codec: str
) -> None:
    """CSV files are UTF-8 with BOM by default, CP932 on request."""
    target = tmp_path / "結果.csv"
    result = run(
        "calc", str(declaration), "--format", "csv", "--output", str(target), "--encoding", encoding
    )
    assert result.exit_code == 1
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8")
    assert "AI-OCRによる申請書読取" in raw.decode(codec)


def test_xlsx_output(declaration: Path, tmp_path: Path) -> None:
    """--format xlsx writes a workbook for people: results, summary, errors and info sheets
    named in Japanese (English with --lang en), amounts as numbers."""
    target = tmp_path / "結果.xlsx"
    result = run("calc", str(declaration), "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 1
    book = openpyxl.load_workbook(target, read_only=True)
    sheets = [t(f"xlsx.sheet.{name}", "ja") for name in ("results", "summary", "errors", "info")]
    assert book.sheetnames == sheets
    summary = list(book[sheets[1]].iter_rows(values_only=True))
    assert summary[1][0] == "011002"
    assert 1310000 in summary[1]  # the rounded measure, a number
    errors = list(book[sheets[2]].iter_rows(values_only=True))
    assert errors[1][3] == "INVALID_AMOUNT"
    book.close()
    run("calc", str(declaration), "--format", "xlsx", "--out", str(target), "--lang", "en")
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == [
        t(f"xlsx.sheet.{name}", "en") for name in ("results", "summary", "errors", "info")
    ]
    book.close()


def test_xlsx_needs_output(declaration: Path) -> None:
    """--format xlsx without --out is a usage error (exit 2) that names --out."""
    result = run("calc", str(declaration), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--out" in result.stderr


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
    """A joint row naming an agreement nobody gave is computed at 0.3 with AGREEMENT_UNKNOWN
    (and, a licence without a year of introduction, INTRODUCTION_YEAR_MISSING)."""
    path = write_csv(tmp_path / "申告.csv", [HEADER_JA, *ROWS], "utf-8")
    result = run("calc", str(path), "--format", "csv")
    assert result.exit_code == 0
    joint = list(csv.reader(io.StringIO(result.stdout)))[2]
    assert joint[-6:] == [
        "eligible",
        "STANDARD_RATE",
        "INTRODUCTION_YEAR_MISSING;AGREEMENT_UNKNOWN",
        "2000000",
        "0.3",
        "600000",
    ]


def test_xlsx_input_written_with_openpyxl(tmp_path: Path) -> None:
    """An XLSX declaration: numeric code zero-padded, numeric year and amounts read exactly."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "申告"
    sheet.append(
        ["団体コード", "年度", "項目番号", "事業名", "区分", "対象業務", "経費区分", "事業費"]
    )
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
    rows = [
        [*HEADER_JA[:7], "事業費（千円）", *HEADER_JA[8:]],
        ["011002", "2021", "1", "AI", "AI", "会計", "導入", "1,234", "", "", ""],
    ]
    path = write_csv(tmp_path / "千円.csv", rows, "utf-8")
    result = run("calc", str(path))
    assert result.exit_code == 3
    assert "--unit thousand" in result.stderr


def test_row_errors_name_file_row_and_column(tmp_path: Path) -> None:
    """Error rows name the file, the spreadsheet row, the column, what was found and expected."""
    rows = [
        HEADER_JA,
        ["011001", "R3", "1", "AI", "AI", "会計", "導入", "100", "", "", ""],
        ["011002", "R3", "2", "AI", "AI", "会計", "導入", "1.5", "", "", ""],
    ]
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
    path.write_text('{"entity_code": ', encoding="utf-8")
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


@pytest.mark.parametrize("flag", ["--out", "--output", "-o"])
def test_out_and_its_aliases(declaration: Path, tmp_path: Path, flag: str) -> None:
    """calc writes its output with ``--out`` as every command does; ``--output`` and ``-o``
    still work. The file is named on stderr; stdout stays empty."""
    target = tmp_path / "結果.csv"
    result = run("calc", str(declaration), "--format", "csv", flag, str(target))
    assert result.exit_code == 1  # item 4 is an error row
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 5
    assert rows[1][-1] == "310370.1"
    assert "結果.csv" in result.stderr
    assert not result.stdout


@pytest.mark.parametrize("position", ["before", "after"])
def test_rules_option_before_or_after_calc(
    declaration: Path, tmp_path: Path, position: str
) -> None:
    """``tokko calc FILE --rules DIR`` is accepted as ``tokko --rules DIR calc FILE`` is:
    the folder given is the one read."""
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder, code in ((empty, 3), (load_rules().root, 1)):
        options = ["--rules", str(folder)]
        args = (
            [*options, "calc", str(declaration)]
            if position == "before"
            else ["calc", str(declaration), *options]
        )
        result = run(*args)
        assert result.exit_code == code, result.output
    refused = run("calc", str(declaration), "--rules", str(empty))
    assert "empty" in refused.stderr


def test_table_counts_warnings(declaration: Path) -> None:
    """The totals of a declaration count its items with warnings (the licence without a year of
    introduction) and show the declaration's own warning (no fiscal-strength table)."""
    result = run("calc", str(declaration), env={"COLUMNS": "320"})
    out = result.stdout
    assert "4件（対象 2件、対象外 1件、エラー 1件、警告 1件）" in out
    assert t("code.INTRODUCTION_YEAR_MISSING", "ja") in out
    assert t("code.FISCAL_STRENGTH_NOT_APPLIED", "ja") in out
    english = run("--lang", "en", "calc", str(declaration)).stdout
    assert "1 with warnings" in english


@pytest.mark.parametrize(
    "content",
    [
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n",
        "entity_code,fiscal_year,item_id,description,technology,expense_kind,amount\n",
    ],
    ids=["japanese header", "english header"],
)
def test_header_only_csv_has_nothing_to_compute(tmp_path: Path, content: str) -> None:
    """A CSV with its header and no row: exit 1 with 「計算する項目がありません」."""
    path = tmp_path / "空.csv"
    path.write_text(content, encoding="utf-8")
    result = run("calc", str(path))
    assert result.exit_code == 1
    assert "計算する項目がありません" in result.stderr
    assert "Traceback" not in result.output
    english = run("--lang", "en", "calc", str(path))
    assert english.exit_code == 1
    assert "nothing to compute" in english.stderr


@pytest.mark.parametrize(
    "document",
    [[], {"entity_code": "011002", "fiscal_year": 2021, "items": []}],
    ids=["empty list", "no items"],
)
def test_json_without_items_has_nothing_to_compute(tmp_path: Path, document: object) -> None:
    """A JSON ``[]`` or a declaration without items: exit 1 with 「計算する項目がありません」,
    whatever the format asked for."""
    path = tmp_path / "空.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for output_format in ("table", "json", "csv"):
        result = run("calc", str(path), "--format", output_format)
        assert result.exit_code == 1, output_format
        assert "計算する項目がありません" in result.stderr


def test_terminal_output_strips_control_characters(tmp_path: Path) -> None:
    """A description holding ``ESC[2J`` (clear the screen) is shown without its control
    characters: no ESC byte reaches the terminal, the rest of the text does."""
    path = write_csv(
        tmp_path / "esc.csv",
        [
            ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費"],
            ["011002", "2021", "1", "AI\x1b[2J読取\x07", "AI", "導入", "1000000"],
            ["011002", "2021", "2", "RPA", "RPA", "導入", "abc\x1b[31m"],
        ],
        "utf-8",
    )
    result = run("calc", str(path))
    assert result.exit_code == 1  # row 2's amount
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr
    assert "\x07" not in result.stdout
    assert "[2J読取" in result.stdout
    explained = run("explain", str(path))
    assert "\x1b" not in explained.stdout


def test_large_declaration_shows_the_first_items(tmp_path: Path) -> None:
    """A declaration of 300 items shows its first 100 in the table, says how many were left
    out and how to get them all (--format csv / xlsx); --format csv has every row."""
    header = ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費"]
    rows = [
        ["011002", "2021", str(i), f"項目{i:03d}", "AI", "導入", str(1_000_000 + i)]
        for i in range(1, 301)
    ]
    path = write_csv(tmp_path / "大きな申告.csv", [header, *rows], "utf-8")
    result = run("calc", str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "項目001" in out
    assert "項目100" in out
    assert "項目101" not in out
    assert "項目300" not in out
    assert "ほか200項目は表示していません" in out
    assert "--format csv" in out
    assert "--format xlsx" in out
    assert "300件（対象 300件" in out  # the totals are of every item
    english = run("--lang", "en", "calc", str(path)).stdout
    assert "200 more items not shown" in english
    every = list(csv.reader(io.StringIO(run("calc", str(path), "--format", "csv").stdout)))
    assert len(every) == 301
    assert [r[3] for r in every[1:]] == [f"項目{i:03d}" for i in range(1, 301)]


def test_unknown_column_is_reported_and_rows_computed(tmp_path: Path) -> None:
    """A column that names no field (国庫補助金) is reported as UNKNOWN_COLUMN with the field it
    probably meant (特定財源); the rows are still computed; exit 1. --ignore-column accepts it."""
    path = write_csv(
        tmp_path / "補助金.csv",
        [
            [
                "団体コード",
                "年度",
                "項目番号",
                "事業名",
                "区分",
                "経費区分",
                "事業費",
                "国庫補助金",
            ],
            ["011002", "2021", "1", "AI", "AI", "導入", "1000000", "500000"],
        ],
        "utf-8",
    )
    result = run("calc", str(path))
    assert result.exit_code == 1
    assert "UNKNOWN_COLUMN" in result.stdout
    assert "国庫補助金" in result.stdout
    assert "特定財源" in result.stdout
    assert "300,000" in result.stdout
    ignored = run("calc", str(path), "--ignore-column", "国庫補助金")
    assert ignored.exit_code == 0, ignored.output
    assert "UNKNOWN_COLUMN" not in ignored.stdout


def test_small_amounts_hint_at_thousands(tmp_path: Path) -> None:
    """Amounts under 1,000 yen are computed, with a hint on stderr that the file may be in
    千円; with --unit thousand there is no hint."""
    path = write_csv(
        tmp_path / "小さい.csv",
        [
            ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費"],
            ["011002", "2021", "1", "AI", "AI", "導入", "500"],
            ["011002", "2021", "2", "RPA", "RPA", "導入", "600"],
        ],
        "utf-8",
    )
    result = run("calc", str(path))
    assert result.exit_code == 0, result.output
    assert t("hint.small_amounts", "ja", n=2) in result.stderr
    thousand = run("calc", str(path), "--unit", "thousand")
    assert "--unit thousand" not in thousand.stderr
    assert "1,100,000" in thousand.stdout


@pytest.mark.parametrize("columns", [80, 100])
def test_a_narrow_screen_keeps_the_table_readable(columns: int) -> None:
    """At 80 or 100 columns (issue 16): no line is wider than the screen, no cell is cut to one
    character per line, the item number stays on the first line of its title, the reason and
    warnings move under the title, and a dropped amount column is named with how to see it."""
    from tokko.cli import render

    example = Path(__file__).resolve().parents[2] / "examples" / "town-mistakes.json"
    result = run("calc", str(example), env={"COLUMNS": str(columns)})
    lines = result.stdout.splitlines()
    assert all(render.cell_width(line.rstrip()) <= columns for line in lines)
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("件数"))]
    assert len(table) < 45  # five items; one character per line would take hundreds
    first = next(line for line in table if line.strip().startswith("1 "))
    assert "AI-OCR" in first  # the number with its title
    assert "2,420,000" in first  # and with its amounts
    assert any(t("code.STANDARD_RATE", "ja")[:8] in line for line in table)
    assert any("二重計上" in line for line in table)  # a warning, under its item
    if columns == 80:
        assert "特定財源 の列を省略しました" in result.stdout


def test_a_wide_screen_shows_every_column() -> None:
    """At 200 columns every column is there, reason and warnings in their own."""
    example = Path(__file__).resolve().parents[2] / "examples" / "town-mistakes.json"
    out = run("calc", str(example)).stdout
    header = next(line for line in out.splitlines() if "番号" in line)
    for label in (
        "項目",
        "対象業務",
        "事業費",
        "特定財源",
        "控除後の額",
        "措置率",
        "措置額",
        "理由",
        "警告",
    ):
        assert label in header
    assert "省略しました" not in out
