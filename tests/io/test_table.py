"""tokko.io.table: a table's header read into fields, as offices write it (SPEC §3, Columns)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tokko.errors import InputFileError
from tokko.io.table import open_table


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


REQUIRED = "entity_code,fiscal_year,item_id,description,technology,expense_kind,amount"


def test_english_japanese_and_aliases_in_any_order(tmp_path: Path) -> None:
    """Headers in English, Japanese or an alias, in any order, name their fields."""
    table = open_table(
        _csv(tmp_path / "a.csv", "金額,Description,項番,団体コード,会計年度,区分,経費区分\n")
    )
    assert table.fields == [
        "amount",
        "description",
        "item_id",
        "entity_code",
        "fiscal_year",
        "technology",
        "expense_kind",
    ]
    assert table.index["amount"] == 0
    assert table.problems == []


def test_an_unknown_column_is_reported_with_its_probable_field(tmp_path: Path) -> None:
    table = open_table(_csv(tmp_path / "a.csv", REQUIRED + ",国庫補助金,備考,メモ\n"))
    assert [(p.code, p.column, p.row) for p in table.problems] == [
        ("UNKNOWN_COLUMN", "国庫補助金", 1)
    ]
    message = table.problems[0].message("ja")
    assert "特定財源" in message
    assert "specific revenue" in table.problems[0].message("en")


def test_ignore_column_accepts_a_named_column(tmp_path: Path) -> None:
    table = open_table(_csv(tmp_path / "a.csv", REQUIRED + ",担当課\n"), ignored=["担当課"])
    assert table.problems == []


def test_a_value_beyond_the_last_header_makes_the_row_an_error(tmp_path: Path) -> None:
    """Columns may be shifted: no amount is better than a wrong one."""
    table = open_table(
        _csv(tmp_path / "a.csv", REQUIRED + "\n011002,2021,1,x,AI,導入,1000,extra\n")
    )
    number, cells = next(table.records())
    row = table.row(number, cells)
    assert [p.code for p in row.problems] == ["UNKNOWN_COLUMN"]
    assert row.problems[0].row == 2


@pytest.mark.parametrize(
    ("header", "unit", "refused"),
    [
        ("事業費（千円）", 1, True),
        ("事業費（千円）", 1000, False),
        ("事業費(円)", 1000, True),
        ("amount (yen)", 1, False),
    ],
)
def test_a_unit_in_the_header_must_match_the_unit_option(
    tmp_path: Path, header: str, unit: int, refused: bool
) -> None:
    path = _csv(
        tmp_path / "a.csv",
        "entity_code,fiscal_year,item_id,description,technology,expense_kind," + header + "\n",
    )
    if refused:
        with pytest.raises(InputFileError) as caught:
            open_table(path, unit=unit)
        assert "--unit" in caught.value.message("en")
    else:
        assert open_table(path, unit=unit).index["amount"] == 6


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        open_table(_csv(tmp_path / "a.csv", REQUIRED + ",事業費\n"))
    assert "事業費" in caught.value.message("ja")


def test_missing_columns_are_named_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        open_table(_csv(tmp_path / "a.csv", "団体コード,年度\n"))
    assert "事業費（amount）" in caught.value.message("ja")
    assert "amount" in caught.value.message("en")
    assert "1行目" in caught.value.message("ja")


def test_a_header_further_down_is_pointed_at(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        open_table(_csv(tmp_path / "a.csv", "令和3年度 申告\n\n" + REQUIRED + "\n"))
    assert "3行目" in caught.value.message("ja")
    assert "row 3" in caught.value.message("en")


def test_a_workbook_names_its_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "表紙"
    book.active.append(["申告書"])
    data = book.create_sheet("申告")
    data.append(REQUIRED.split(","))
    path = tmp_path / "b.xlsx"
    book.save(path)
    with pytest.raises(InputFileError) as caught:
        open_table(path)
    assert "表紙" in caught.value.message("ja")
    assert "申告" in caught.value.message("ja")
    assert open_table(path, sheet="申告").index["amount"] == 6
    with pytest.raises(InputFileError) as missing:
        open_table(path, sheet="ない")
    assert "表紙" in missing.value.message("ja")


@pytest.mark.parametrize(("name", "text"), [("a.json", "{}"), ("a.xls", "x")])
def test_not_a_table(tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(InputFileError):
        open_table(_csv(tmp_path / name, text))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        open_table(tmp_path / "none.csv")
    assert "ファイルがありません" in caught.value.message("ja")


def test_unsaved_formulas_only_in_a_helper_column_make_a_blank_row(tmp_path: Path) -> None:
    """A workbook filled by a program keeps no result for its formulas. A row whose only
    content is such formulas in a column that is no field (the template's 団体名 helper) is a
    blank row; one with such formulas in the fields' columns is kept — its values are unknown,
    so it becomes an error, never a row that vanishes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "団体コード",
            "団体名（自動表示）",
            "年度",
            "項目番号",
            "事業名",
            "区分",
            "経費区分",
            "事業費",
        ]
    )
    sheet.append(["013951", "=A2", "R5", "1", "a", "AI", "導入・構築", 1000])
    sheet.append([None, "=A3"])  # the helper column only: blank
    sheet.append(["='元'!A1", None, "='元'!C1", "='元'!D1", None, None, None, "='元'!H1"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    table = open_table(path)
    numbers = [number for number, _ in table.records()]
    assert numbers == [2, 4]
