"""The workbook an officer fills in (issue 16, item 2): columns, labels and comments from the one
declaration of the fields; drop-down lists from the rule version in force; the government code
checked against the code list with its name looked up; an agreements sheet; instructions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tokko import load_rules
from tokko.io import xlsx
from tokko.io.table import open_table
from tokko.io.template import (
    LOOKUP_HEADERS,
    ROWS,
    agreements_sheet,
    choices,
    header,
    version_for,
    write_template,
)
from tokko.messages import t
from tokko.model.declaration import AGREEMENT_FIELDS, ROW_FIELDS
from tokko.model.localgov import all_governments
from tokko.rules.ruleset import shipped_rules_dir

RULES = load_rules()
KINDS_2021 = [
    "導入・構築",
    "利用料・ライセンス料",
    "研修",
    "業務分析・コンサルティング",
    "機器購入",
    "人件費",
    "その他",
]
HEADERS_JA = [
    "団体コード",
    "団体名（自動表示）",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費（円）",
    "特定財源（円）",
    "調達方法",
    "協定番号",
    "契約番号",
    "契約総額（円）",
    "導入年度",
    "財政力指数",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "申告.xlsx"
    version = write_template(path, "ja", rules=RULES)
    assert version.version == "2021.2"  # the latest version by default
    return path


@pytest.fixture(scope="module")
def book(template: Path) -> Any:
    return openpyxl.load_workbook(template)


def validations(sheet: Any) -> dict[str, Any]:
    """Each validation by the header of the column it covers."""
    headers = {c.column_letter: c.value for c in sheet[1]}
    found = {}
    for check in sheet.data_validations.dataValidation:
        first = str(check.sqref).split(":")[0]
        found[headers[re.match(r"[A-Z]+", first).group()]] = check
    return found


def listed(book: Any, formula: str) -> list[str]:
    """The values of a list validation's range (``'sheet'!$A$2:$A$4``)."""
    found = re.fullmatch(
        r"'(?P<sheet>[^']+)'!\$(?P<col>[A-Z]+)\$(?P<first>\d+):\$[A-Z]+\$"
        r"(?P<last>\d+)",
        formula,
    )
    assert found, formula
    sheet = book[found["sheet"]]
    return [
        sheet[f"{found['col']}{r}"].value
        for r in range(int(found["first"]), int(found["last"]) + 1)
    ]


# ── the declaration sheet ───────────────────────────────────────────────────────────────────


def test_the_declaration_is_the_first_sheet_with_its_header_on_row_1(book: Any) -> None:
    """申告 comes first (the reader's default sheet); row 1 holds each field's label — amounts
    with their unit — and the name lookup right after the code."""
    assert book.sheetnames[:3] == ["申告", "協定", "記入方法"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS_JA
    assert book.active.title == "申告"


def test_the_columns_come_from_the_one_declaration_of_the_fields(book: Any) -> None:
    """Every field of ROW_FIELDS, in its order, is a column; nothing else but the lookup."""
    values = [c.value for c in book.worksheets[0][1] if c.value not in LOOKUP_HEADERS]
    assert values == [header(f, "ja") for f in ROW_FIELDS]


def test_each_header_explains_itself_in_a_comment(book: Any) -> None:
    """A header's comment holds the field's help, whether it is required, and an example."""
    sheet = book.worksheets[0]
    by_label = {c.value: c.comment.text for c in sheet[1]}
    for field in ROW_FIELDS:
        text = by_label[header(field, "ja")]
        assert t(f"help.{field.name}", "ja") in text
        assert ("必須" if field.required else "任意") in text
        assert field.spec.example in text
    assert "該当なし" in by_label["団体名（自動表示）"]


def test_required_headers_stand_out(book: Any) -> None:
    """Required columns have a fill of their own."""
    sheet = book.worksheets[0]
    fills = {c.value: c.fill.fgColor.rgb for c in sheet[1]}
    required = {fills[header(f, "ja")] for f in ROW_FIELDS if f.required}
    optional = {fills[header(f, "ja")] for f in ROW_FIELDS if not f.required}
    assert len(required) == 1
    assert len(optional) == 1
    assert required != optional


def test_cells_are_formatted_for_what_they_hold(book: Any) -> None:
    """Codes and ids are text (011002 keeps its zero when typed), amounts #,##0; the header
    and the code with its name stay in view."""
    sheet = book.worksheets[0]
    formats = {c.value: sheet.column_dimensions[c.column_letter].number_format for c in sheet[1]}
    assert formats["団体コード"] == "@"
    assert formats["項目番号"] == "@"
    assert formats["契約番号"] == "@"
    assert formats["事業費（円）"] == "#,##0"
    assert formats["財政力指数"] == "0.00"
    assert sheet.freeze_panes == "C2"


# ── drop-down lists from the rules ──────────────────────────────────────────────────────────


def test_lists_come_from_the_rule_version(book: Any) -> None:
    """区分: the eligible technologies and AI+RPA; 経費区分: every expense kind; 調達方法:
    単独/共同 — closed lists refuse other text, 区分 only warns (another technology is valid
    and excluded)."""
    checks = validations(book.worksheets[0])
    assert listed(book, checks["区分"].formula1) == ["AI", "RPA", "AI+RPA"]
    assert listed(book, checks["経費区分"].formula1) == KINDS_2021
    assert listed(book, checks["調達方法"].formula1) == ["単独", "共同"]
    assert (checks["区分"].type, checks["区分"].errorStyle) == ("list", "warning")
    assert (checks["経費区分"].errorStyle, checks["調達方法"].errorStyle) == ("stop", "stop")
    assert str(checks["経費区分"].sqref) == f"H2:H{ROWS + 1}"


def test_business_areas_offer_the_standardization_targets_and_accept_other_text(book: Any) -> None:
    """対象業務: the 20 standardization-target businesses as a list whose check only warns, with
    a prompt saying other businesses are typed as they are."""
    check = validations(book.worksheets[0])["対象業務"]
    names = listed(book, check.formula1)
    assert len(names) == 20
    assert names[:3] == ["住民基本台帳", "選挙人名簿管理", "固定資産税"]
    assert check.errorStyle == "warning"
    assert check.showInputMessage
    assert check.prompt == t("template.business_prompt", "ja")


def test_lists_change_with_the_rules(tmp_path: Path) -> None:
    """Fiscal 2020's rules exclude no business: no 対象業務 list. A rules folder with another
    expense kind offers it."""
    old = tmp_path / "2020.xlsx"
    assert write_template(old, "ja", rules=RULES, fiscal_year=2020).version == "2020.1"
    checks = validations(openpyxl.load_workbook(old).worksheets[0])
    assert "対象業務" not in checks
    assert "区分" in checks
    folder = tmp_path / "rules" / "ai-rpa"
    folder.mkdir(parents=True)
    text = (shipped_rules_dir() / "ai-rpa" / "2021.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2021.2"', 'version = "2021.9"')
    text += (
        '\n[[expense_kinds]]\nid = "cloud"\nname_ja = "クラウド利用料"\neligible = true\n'
        'source = "soumu-ai-rpa"\n'
    )
    (folder / "2021.toml").write_text(text, encoding="utf-8")
    new = tmp_path / "new.xlsx"
    write_template(new, "ja", rules=load_rules(tmp_path / "rules"))
    made = openpyxl.load_workbook(new)
    assert listed(made, validations(made.worksheets[0])["経費区分"].formula1) == [
        *KINDS_2021,
        "クラウド利用料",
    ]


def test_version_in_force_for_the_year() -> None:
    """--fiscal-year chooses the version in force; without it, the latest."""
    assert version_for(RULES, 2020).version == "2020.1"
    assert version_for(RULES, 2024).version == "2021.2"
    assert version_for(RULES).version == "2021.2"
    assert choices(version_for(RULES, 2020), "businesses", "ja") == []


# ── the government code ─────────────────────────────────────────────────────────────────────


def test_the_code_list_is_a_hidden_sheet_of_every_government(book: Any) -> None:
    """1,788 governments, codes as text (with their 5-digit form), hidden from the officer."""
    sheet = book["団体コード一覧"]
    assert sheet.sheet_state == "hidden"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(all_governments()) == 1788
    assert rows[1][:4] == ("011002", "01100", "北海道", "札幌市")
    assert book["選択肢"].sheet_state == "hidden"


def test_the_code_is_checked_and_its_name_looked_up(book: Any) -> None:
    """The code cell is checked against the list (6 digits, or 5 without the check digit); the
    cell beside it looks the name up with a formula."""
    sheet = book.worksheets[0]
    check = validations(sheet)["団体コード"]
    assert check.type == "custom"
    assert "MATCH(A2,'団体コード一覧'!$A$2:$A$1789,0)" in check.formula1
    assert "MATCH(A2,'団体コード一覧'!$B$2:$B$1789,0)" in check.formula1
    assert str(check.sqref) == f"A2:A{ROWS + 1}"
    formula = sheet["B2"].value
    assert formula.startswith('=IF(A2="","",')
    assert (
        "INDEX('団体コード一覧'!$E$2:$E$1789,MATCH(A2,'団体コード一覧'!$A$2:$A$1789,0))" in formula
    )
    assert '"該当なし"' in formula
    assert sheet[f"B{ROWS + 1}"].value.startswith(f'=IF(A{ROWS + 1}="",')


# ── agreements and instructions ─────────────────────────────────────────────────────────────


def test_the_agreements_sheet(book: Any, template: Path) -> None:
    """協定: the agreement fields with their comments; agreements_sheet() finds it both in an
    openpyxl workbook and in the workbook tokko reads."""
    sheet = book["協定"]
    assert [c.value for c in sheet[1]] == [f.label("ja") for f in AGREEMENT_FIELDS]
    assert all(
        t(f"help.{f.name}", "ja") in c.comment.text
        for f, c in zip(AGREEMENT_FIELDS, sheet[1], strict=True)
    )
    assert sheet.column_dimensions["C"].number_format == "yyyy-mm-dd"
    assert agreements_sheet(book) == "協定"
    with xlsx.open_workbook(template, "申告.xlsx") as read:
        assert agreements_sheet(read) == "協定"


def test_agreements_sheet_of_other_workbooks(tmp_path: Path) -> None:
    """An English template's sheet is found too; a workbook whose first (or only) sheet is 協定
    has no separate agreements sheet."""
    english = tmp_path / "en.xlsx"
    write_template(english, "en", rules=RULES)
    assert agreements_sheet(openpyxl.load_workbook(english)) == "Agreements"
    only = openpyxl.Workbook()
    only.active.title = "協定"
    assert agreements_sheet(only) is None
    other = openpyxl.Workbook()
    other.create_sheet("集計")
    assert agreements_sheet(other) is None


def test_instructions_say_units_lists_and_what_is_excluded(book: Any) -> None:
    """記入方法: the rule version and its SHA-256, how to fill in, every column with its help and
    example, and each exclusion in the catalog's words with its code."""
    text = "\n".join(
        str(v) for row in book["記入方法"].iter_rows(values_only=True) for v in row if v is not None
    )
    version = version_for(RULES)
    assert version.sha256 in text
    assert "2021.2" in text
    assert t("template.howto.units", "ja") in text
    for field in (*ROW_FIELDS, *AGREEMENT_FIELDS):
        assert t(f"help.{field.name}", "ja") in text
    for code in (
        "EXCLUDED_TECHNOLOGY",
        "EXCLUDED_EXPENSE_KIND",
        "EXCLUDED_STANDARDIZATION_TARGET",
        "EXCLUDED_NOT_FIRST_YEAR",
    ):
        assert code in text
        assert t(f"code.{code}", "ja") in text
    assert "機器購入、人件費、その他" in text
    assert "戸籍の附票" in text


def test_english_template(tmp_path: Path) -> None:
    """--lang en: English sheet names, headers and help; expense kinds by their ids."""
    path = tmp_path / "en.xlsx"
    write_template(path, "en", rules=RULES)
    made = openpyxl.load_workbook(path)
    assert made.sheetnames[:3] == ["Declaration", "Agreements", "Instructions"]
    sheet = made.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == [
        "local government code",
        "Government name (automatic)",
        "fiscal year",
    ]
    assert sheet["I1"].value == "amount (yen)"
    checks = validations(sheet)
    assert listed(made, checks["expense kind"].formula1)[:2] == ["introduction", "license"]
    assert listed(made, checks["procurement"].formula1) == ["single", "joint"]
    assert t("help.amount", "en") in sheet["I1"].comment.text


def test_tokko_reads_the_template_header(template: Path) -> None:
    """The reader maps every column of the template to its field (the units in the headers read
    as yen) and reports nothing unknown: the lookup column is the template's own."""
    table = open_table(template)
    assert [f for f in table.fields if f is not None] == [f.name for f in ROW_FIELDS]
    assert table.problems == []
