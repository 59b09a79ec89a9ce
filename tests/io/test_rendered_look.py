"""What a person sees (issue 16): the results workbook and a filled template, rendered by
LibreOffice to PDF, read back with ``pdftotext``. Skipped where LibreOffice (the Debian package
``libreoffice-calc``) or ``pdftotext`` (``poppler-utils``) is not installed."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tokko.cli import app

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    OFFICE is None or PDFTOTEXT is None,
    reason="needs LibreOffice and pdftotext to render workbooks",
)
ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
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
    ],
    ["011002", "2021", "2", "RPAの端数", "RPA", "財務会計", "導入・構築", "1665", ""],
    ["011002", "2021", "3", "住民記録のRPA", "RPA", "住民記録", "導入・構築", "500000", ""],
]


def render(books: list[Path], folder: Path) -> dict[str, str]:
    """Each workbook converted to PDF by LibreOffice (its own profile, so that a running
    LibreOffice does not interfere), then to the text a person sees, by file stem."""
    profile = (folder / "profile").as_uri()
    assert OFFICE is not None
    assert PDFTOTEXT is not None
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, books),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {
        book.stem: subprocess.run(
            [PDFTOTEXT, "-layout", str(folder / f"{book.stem}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        for book in books
    }


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("rendered")
    source = folder / "申告.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows([HEADER, *ROWS])
    runner = CliRunner()
    results = folder / "results.xlsx"
    done = runner.invoke(
        app, ["calc", str(source), "--format", "xlsx", "--out", str(results)], env=ENV
    )
    assert done.exit_code == 0, done.output
    template = folder / "template.xlsx"
    done = runner.invoke(app, ["template", "--out", str(template)], env=ENV)
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    for column, value in zip(
        "ACDEFGHIJK",
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
        ],
        strict=True,
    ):
        sheet[f"{column}2"] = value
    book.worksheets[1].append(["HK-1", "協定", dt.date(2021, 6, 1), "010006;011002"])
    filled = folder / "filled.xlsx"
    book.save(filled)
    return render([results, filled], folder)


def test_results_show_japanese_labels_and_amounts_with_separators(shown: dict[str, str]) -> None:
    """The results as printed: Japanese sheet names, labels and status words, amounts with
    thousands separators, the half yen, the grand total."""
    text = shown["results"]
    for words in (
        "結果",
        "団体別集計",
        "情報",
        "団体コード",
        "控除後の額",
        "措置額（端数処理後）",
        "対象外",
        "合計",
        "標準の措置率を適用しました",
        "STANDARD_RATE",
    ):
        assert words in text, words
    for amount in ("1,000,000", "300,000", "499.5", "1,701,665", "300,499.5"):
        assert amount in text, amount


def test_the_filled_template_shows_headers_names_and_amounts(shown: dict[str, str]) -> None:
    """The template as printed: its Japanese headers, the name LibreOffice looked up from the
    code, the amount typed as a number shown with separators, the agreement, the
    instructions."""
    text = shown["filled"]
    for words in (
        "団体コード",
        "団体名（自動表示）",
        "事業費（円）",
        "北海道 札幌市",
        "1,200,000",
        "200,000",
        "HK-1",
        "2021-06-01",
        "記入のしかた",
        "対象外になるもの（と理由）",
    ):
        assert words in text, words
