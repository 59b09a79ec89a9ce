"""Issue 12, items 14 and 15: sloppy but honest input gets a clear answer."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from tests.hostile.support import HEADER, declaration_csv, tokko_run


def test_a_header_only_csv_has_nothing_to_compute(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(HEADER, encoding="utf-8")
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    assert "計算する項目がありません" in ran.stderr
    batch = tokko_run("batch", path, "--out", tmp_path / "r.csv", cwd=tmp_path)
    assert batch.code == 1
    assert "計算する項目がありません" in batch.stderr


def test_a_total_row_is_one_error_row_never_a_government(tmp_path: Path) -> None:
    """A 合計 row at the bottom: one error row, and no "(unknown)" line in the summary."""
    path = declaration_csv(tmp_path / "total.csv", 2, "合計,,,,,,,2400000,0\n")
    ran = tokko_run("batch", path, "--out", tmp_path / "r.csv", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    summary = (tmp_path / "r-summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(summary) == 2  # the header and 札幌市 2021
    assert summary[1].startswith("011002,札幌市,2021,")
    errors = (tmp_path / "r-errors.csv").read_text(encoding="utf-8-sig")
    assert ",4,entity_code,INVALID_CODE," in errors
    assert "3行を計算しました" in ran.stdout


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


COLUMNS = ["団体コード", "年度", "項目番号", "事業名", "区分", "経費区分", "事業費"]
DATA = ["011002", 2021, 1, "AI-OCR", "AI", "導入", 1200000]


def test_a_header_below_a_title_row_is_named_where_it_is(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "title.xlsx", {"申告": [["令和3年度 申告書"], [], COLUMNS, DATA]})
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "申告" in ran.stderr  # the sheet read
    assert "1行目" in ran.stderr  # the row read
    assert "3行目" in ran.stderr  # where the header seems to be


def test_a_cover_sheet_first_lists_the_sheets(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "cover.xlsx",
        {"表紙": [["令和3年度 AI・RPA 特別交付税 申告書"]], "申告": [COLUMNS, DATA]},
    )
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "表紙" in ran.stderr
    assert "申告" in ran.stderr
    assert "--sheet" in ran.stderr
    chosen = tokko_run("calc", path, "--sheet", "申告", cwd=tmp_path)
    assert chosen.code == 0, chosen.output


def test_errors_in_thousands_of_yen_speak_in_senen(tmp_path: Path) -> None:
    path = tmp_path / "senen.csv"
    path.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
        "011002,2021,1,AI-OCR,AI,導入,1.5.3\n",
        encoding="utf-8",
    )
    ran = tokko_run("calc", path, "--unit", "thousand", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    assert "千円" in ran.stdout + ran.stderr


def test_small_amounts_suggest_thousands_of_yen(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
        "011002,2021,1,AI-OCR,AI,導入,1200\n011002,2021,2,RPA,RPA,導入,800\n",
        encoding="utf-8",
    )
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 0
    assert "--unit thousand" in ran.stderr
    quiet = tokko_run("calc", path, "--unit", "thousand", cwd=tmp_path)
    assert "--unit thousand" not in quiet.stderr


def test_an_amount_in_senen_given_in_yen_suggests_the_unit(tmp_path: Path) -> None:
    ran = tokko_run("check", "-t", "AI", "-k", "導入", "-a", "1,200千円", "-y", "R3", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    assert "--unit thousand" in ran.output
    right = tokko_run(
        "check",
        "-t",
        "AI",
        "-k",
        "導入",
        "-a",
        "1,200千円",
        "-y",
        "R3",
        "--unit",
        "thousand",
        cwd=tmp_path,
    )
    assert right.code == 0
    assert "360,000" in right.stdout


def test_parties_without_joint_is_never_silently_dropped(tmp_path: Path) -> None:
    ran = tokko_run(
        "check",
        "-t",
        "AI",
        "-k",
        "導入",
        "-a",
        "1000000",
        "-y",
        "R3",
        "-p",
        "010006,011002",
        cwd=tmp_path,
    )
    ran.bounded()
    assert ran.code == 2
    assert "--joint" in ran.stderr


def test_japanese_mode_shows_no_english_usage_message(tmp_path: Path) -> None:
    for args in (
        ["check", "--no-such-option"],
        ["calc"],
        ["no-such-command"],
        ["--lang", "fr", "codes", "札幌"],
        ["calc", "a.csv", "--format", "pdf"],
    ):
        ran = tokko_run(*args, cwd=tmp_path)
        ran.bounded()
        assert ran.code == 2, args
        assert "エラー" in ran.stderr, (args, ran.stderr)
        for english in ("Error", "Usage", "Missing", "No such", "Try", "Invalid value"):
            assert english not in ran.stderr, (args, ran.stderr)
