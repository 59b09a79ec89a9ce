"""Issue 12, items 11–13 and 16: hostile JSON, a rules folder with two measures, control
characters on a terminal, and a library caller giving something that is no declaration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from tests.hostile.support import tokko_run

import tokko

ITEM = {
    "item_id": "1",
    "description": "AI-OCR",
    "technology": "AI",
    "expense_kind": "導入",
    "amount": 1000000,
}


def _declaration(**items: Any) -> dict[str, Any]:
    return {"entity_code": "011002", "fiscal_year": 2021, "items": [{**ITEM, **items}]}


def test_an_integer_of_thousands_of_digits_is_an_invalid_amount(tmp_path: Path) -> None:
    """Item 11: a 5,000-digit integer is one INVALID_AMOUNT row, not a traceback."""
    path = tmp_path / "d.json"
    path.write_text(json.dumps(_declaration()).replace("1000000", "9" * 5000), encoding="utf-8")
    ran = tokko_run("calc", path, "--format", "json", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    assert "INVALID_AMOUNT" in ran.stdout


def test_nesting_100000_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "deep.json" in ran.stderr


def test_a_repeated_key_is_refused_not_last_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text(
        '{"entity_code": "011002", "fiscal_year": 2021, "items": [{"item_id": "1",'
        ' "description": "x", "technology": "AI", "expense_kind": "導入",'
        ' "amount": 100, "amount": 1000000}]}',
        encoding="utf-8",
    )
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "amount" in ran.stderr


def test_a_technology_given_as_a_list_is_an_error_not_an_excluded_item(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps(_declaration(technology=["AI"])), encoding="utf-8")
    ran = tokko_run("calc", path, "--format", "json", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    document = json.loads(ran.stdout)
    assert document["declarations"][0]["items"][0]["status"] == "error"
    assert document["errors"][0]["column"] == "technology"


@pytest.mark.parametrize("text", ["[]", "{}", '{"entity_code": "011002", "fiscal_year": 2021}'])
def test_nothing_to_compute_exits_1(tmp_path: Path, text: str) -> None:
    """`[]`, a declaration without items: nothing to compute, exit 1 (never 0 and no output)."""
    path = tmp_path / "empty.json"
    path.write_text(text, encoding="utf-8")
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1, ran.output


@pytest.mark.parametrize(
    "text",
    ["null", "[1, 2, 3]", '{"entity_code": "011002", "fiscal_year": 2021, "items": "notalist"}'],
)
def test_a_json_that_is_no_declaration_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "bad.json" in ran.stderr


@pytest.mark.parametrize(
    "value",
    [
        None,
        [1, 2, 3],
        "text",
        42,
        {"entity_code": "011002", "fiscal_year": 2021, "items": "notalist"},
        {"entity_code": "011002", "fiscal_year": 2021, "items": [1]},
    ],
)
def test_the_library_refuses_what_is_no_declaration_with_one_exception(value: Any) -> None:
    """Item 16: pydantic's ValidationError with the path, never AttributeError."""
    with pytest.raises(ValidationError):
        tokko.calculate(value)


def test_a_rules_folder_with_two_measures_asks_for_one(tmp_path: Path) -> None:
    """Item 12: the measures found are named; --measure chooses one."""
    from tokko.rules.ruleset import shipped_rules_dir

    for measure in ("ai-rpa", "other"):
        folder = tmp_path / "rules" / measure
        folder.mkdir(parents=True)
        text = (shipped_rules_dir() / "ai-rpa" / "2021.toml").read_text(encoding="utf-8")
        if measure == "other":
            text = text.replace('id = "ai-rpa"', 'id = "other"')
        (folder / "2021.toml").write_text(text, encoding="utf-8")
    check = ("check", "-t", "AI", "-k", "導入", "-a", "1000", "-y", "R3")
    ran = tokko_run("--rules", tmp_path / "rules", *check, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 2
    assert "ai-rpa" in ran.stderr
    assert "other" in ran.stderr
    assert "--measure" in ran.stderr
    chosen = tokko_run("--rules", tmp_path / "rules", "--measure", "other", *check, cwd=tmp_path)
    assert chosen.code == 0, chosen.output


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    """Item 13: an ESC[2J in a description does not clear the screen; no NUL in CSV out."""
    path = tmp_path / "esc.json"
    path.write_text(json.dumps(_declaration(description="画面\x1b[2Jを消す\x00")), encoding="utf-8")
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 0, ran.output
    assert "\x1b" not in ran.stdout
    assert "画面" in ran.stdout
    csv_run = tokko_run("calc", path, "--format", "csv", cwd=tmp_path)
    assert "\x00" not in csv_run.stdout  # CSV carries the text as data, but never a NUL
    assert "画面\x1b[2Jを消す" in csv_run.stdout
