"""``tokko explain FILE``: each amount traced step by step, with rule keys and sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app
from tokko.messages import t

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
DECLARATION = {
    "entity_code": "011002",
    "fiscal_year": "2021年度",
    "items": [
        {
            "item_id": "A1",
            "description": "AI-OCR",
            "technology": "AI-OCR",
            "business_area": "会計事務",
            "expense_kind": "導入・構築",
            "amount": 1000000,
            "specific_revenue": 100000,
        },
        {
            "item_id": "A2",
            "description": "国保のRPA",
            "technology": "RPA",
            "business_area": "国民健康保険の資格管理",
            "expense_kind": "研修",
            "amount": 300000,
        },
        {
            "item_id": "A3",
            "description": "空の区分",
            "technology": "",
            "expense_kind": "研修",
            "amount": 1,
        },
    ],
}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.fixture
def declaration(tmp_path: Path) -> Path:
    path = tmp_path / "explain.json"
    path.write_text(json.dumps(DECLARATION, ensure_ascii=False), encoding="utf-8")
    return path


def test_tree_in_japanese(declaration: Path) -> None:
    """Every step is named in words with its rule key, value, outcome and source title."""
    result = run("explain", str(declaration))
    assert result.exit_code == 1  # A3 has no technology
    out = result.stdout
    assert "札幌市（011002）" in out
    assert "項目 A1 AI-OCR — 対象" in out
    assert "措置額 270,000" in out
    for step in (
        "規則の選択",
        "技術区分",
        "経費区分",
        "標準化対象事務",
        "特定財源の控除",
        "措置率",
        "措置額",
        "端数処理",
    ):
        assert step in out
    for key in (
        "[technologies.eligible]",
        "[rates.standard]",
        "[specific_revenue.deduct]",
        "[rounding.mode]",
        "[excluded_businesses]",
    ):
        assert key in out
    assert "出典: 自治体のAI・RPAの利用推進" in out
    assert "地方交付税法" in out  # the source of the rounding
    assert "1000000 - 100000" in out
    assert "900000 × 0.3" in out
    assert "申告の合計" in out
    assert "270,000 = " not in out
    assert "国民健康保険" in out
    assert t("code.EXCLUDED_STANDARDIZATION_TARGET", "ja") in out
    assert "入力の確認" in out
    assert "MISSING_FIELD" in out


def test_tree_in_english(declaration: Path) -> None:
    """With --lang en the step names, labels and notes are English."""
    result = run("--lang", "en", "explain", str(declaration))
    out = result.stdout
    assert "Item A1 AI-OCR — eligible" in out
    assert "Technology" in out
    assert "Rate" in out
    assert "Source:" in out
    assert "Interpretation:" in out  # the English half of a rule file's note
    assert "規則の選択" not in out


def test_one_item(declaration: Path) -> None:
    """--item shows that item only, without the declaration total."""
    result = run("explain", str(declaration), "--item", "A2")
    out = result.stdout
    assert "項目 A2" in out
    assert "項目 A1" not in out
    assert "申告の合計" not in out


def test_unknown_item_is_a_usage_error(declaration: Path) -> None:
    """An item number that is not in the file: exit 2, listing the numbers there are."""
    result = run("explain", str(declaration), "--item", "Z9")
    assert result.exit_code == 2
    assert "Z9" in result.stderr
    assert "A1, A2, A3" in result.stderr


def test_json_has_every_step(declaration: Path) -> None:
    """--format json is the result document with the explanation of every item."""
    result = run("explain", str(declaration), "--format", "json")
    document = json.loads(result.stdout)
    steps = document["declarations"][0]["items"][0]["explanation"]
    assert [s["step"] for s in steps][:3] == ["rules", "technology", "expense_kind"]
    assert {"step", "key", "source", "value", "input", "outcome", "note"} <= set(steps[0])
    assert document["declarations"][0]["explanation"][-1]["key"] == "rounding.mode"


def test_missing_file_exit_3() -> None:
    """A missing file: exit 3 and no traceback."""
    result = run("explain", "nothing-here.json")
    assert result.exit_code == 3
    assert "nothing-here.json" in result.stderr
    assert "Traceback" not in result.output


def test_first_year_and_fiscal_strength_steps(tmp_path: Path) -> None:
    """A licence's explanation has the step of the year of introduction with its rule key and
    source; the declaration's total names the fiscal-strength adjustment it did not apply."""
    path = tmp_path / "licence.json"
    path.write_text(
        json.dumps(
            {
                "entity_code": "011002",
                "fiscal_year": "R3",
                "items": [
                    {
                        "item_id": "L1",
                        "description": "前年度から",
                        "technology": "AI",
                        "expense_kind": "license",
                        "amount": 1000000,
                        "introduced_in": "R2",
                    },
                    {
                        "item_id": "L2",
                        "description": "導入年度なし",
                        "technology": "AI",
                        "expense_kind": "license",
                        "amount": 1000000,
                    },
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = run("explain", str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert t("step.first_year", "ja") in out
    assert "first_year_only]" in out
    assert "読売新聞" in out  # the source of first_year_only
    assert "項目 L1 前年度から — 対象外" in out
    assert "EXCLUDED_NOT_FIRST_YEAR" in out
    assert "項目 L2 導入年度なし — 対象" in out
    assert "INTRODUCTION_YEAR_MISSING" in out
    assert t("step.fiscal_strength", "ja") in out
    assert "FISCAL_STRENGTH_NOT_APPLIED" in out
    document = json.loads(run("explain", str(path), "--format", "json").stdout)
    steps = document["declarations"][0]["items"][0]["explanation"]
    first_year = next(s for s in steps if s["step"] == "first_year")
    assert first_year["key"].endswith("first_year_only")
    assert document["declarations"][0]["warnings"] == ["FISCAL_STRENGTH_NOT_APPLIED"]
