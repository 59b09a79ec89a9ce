"""``tokko codes NAME|CODE``: find a local government by name, kana or code."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.mark.parametrize(
    "query",
    [
        "札幌",
        "札幌市",
        "さっぽろ",
        "サッポロ",
        "ｻｯﾎﾟﾛ",
        "北海道札幌市",
        "011002",
        "01100",
        "０１１００２",
    ],
)
def test_finds_sapporo(query: str) -> None:
    """A name (partial, kanji, hiragana, katakana, half-width) or a code finds 札幌市."""
    result = run("codes", query)
    assert result.exit_code == 0, result.output
    assert "011002" in result.stdout
    assert "札幌市" in result.stdout
    assert "指定都市" in result.stdout
    assert "サッポロシ" in result.stdout


def test_kinds_in_english() -> None:
    """With --lang en headers and kinds are English."""
    result = run("--lang", "en", "codes", "千代田")
    assert "Code" in result.stdout
    assert "special ward" in result.stdout


def test_limit_says_how_many_more() -> None:
    """--limit caps the table and says how many matches were left out."""
    result = run("codes", "北海道", "--limit", "2")
    assert result.exit_code == 0
    assert "010006" in result.stdout
    assert "012025" not in result.stdout
    assert "ほか" in result.stdout
    assert "--limit" in result.stdout


def test_wrong_check_digit_says_why() -> None:
    """A code with a wrong check digit finds nothing: exit 1 and the right digit is named."""
    result = run("codes", "011001")
    assert result.exit_code == 1
    assert "011002" in result.stderr
    assert "検査数字" in result.stderr


def test_ward_code_says_use_the_city() -> None:
    """A ward of a designated city is not a local government: the city's code is suggested."""
    result = run("--lang", "en", "codes", "011011")
    assert result.exit_code == 1
    assert "011002" in result.stderr
    assert "ward" in result.stderr


def test_nothing_found_exit_1() -> None:
    """A name nobody has: exit 1 with a message, no traceback."""
    result = run("codes", "存在しない町")
    assert result.exit_code == 1
    assert "存在しない町" in result.stderr
    assert "Traceback" not in result.output
