"""``tokko fiscal-strength-index``: the index from three years' figures, rounded as the
ordinance rounds it (issue 13), so that nobody rounds it by hand."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["fiscal-strength-index", *args], env=ENV)


def _shown(out: str) -> list[str]:
    """The figures printed, in order (each year's ratio, then the index)."""
    return re.findall(r"\b\d+\.\d\d\b", out)


@pytest.mark.parametrize(
    ("revenue", "demand"),
    [
        ("45000;46000;44000", "100000;100000;100000"),
        ("45,000、46,000、44,000", "100,000、100,000、100,000"),  # 千円 with separators
        ("45000 46000 44000", "100000 100000 100000"),
        ("45000,46000,44000", "100000,100000,100000"),  # commas when no amount is grouped
    ],
)
def test_the_index_and_each_years_ratio(revenue: str, demand: str) -> None:
    """Three years' 基準財政収入額 and 基準財政需要額, however separated: each year's ratio and
    the index, 2 decimals each, exit 0."""
    result = run("-r", revenue, "-d", demand)
    assert result.exit_code == 0, result.output
    assert _shown(result.stdout) == ["0.45", "0.46", "0.44", "0.45"]
    assert "財政力指数" in result.stdout


def test_each_year_is_rounded_before_the_mean() -> None:
    """0.4449…, 0.4449…, 0.4550 → 0.44, 0.44, 0.46 → mean 0.4466… → 0.45 (rounding the mean
    of the unrounded ratios would give 0.4483… → 0.45 too; the years show the first rounding)."""
    result = run("-r", "4449;4449;4550", "-d", "10000;10000;10000")
    assert result.exit_code == 0, result.output
    assert _shown(result.stdout) == ["0.44", "0.44", "0.46", "0.45"]


def test_half_up_at_the_second_decimal() -> None:
    """A ratio of exactly 0.445 is 0.45 (half up, as the ordinance rounds), never 0.44."""
    result = run("-r", "445;445;445", "-d", "1000;1000;1000")
    assert _shown(result.stdout) == ["0.45", "0.45", "0.45", "0.45"]


@pytest.mark.parametrize(
    ("revenue", "demand", "words"),
    [
        ("1;2", "3;4;5", "前3年度分"),
        ("1;2;3", "3;0;5", "0より大きい"),
        ("1;-2;3", "3;4;5", "負"),
        ("1;2;abc", "3;4;5", "abc"),
    ],
)
def test_bad_figures_are_refused_with_what_is_wrong(revenue: str, demand: str, words: str) -> None:
    """Two years instead of three, a demand of 0, a negative or unreadable figure: a message
    saying which figure and what was expected, exit 1, no traceback."""
    result = run("-r", revenue, "-d", demand)
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_in_english() -> None:
    """--lang en labels the figures in English."""
    result = run("-r", "45000;46000;44000", "-d", "100000;100000;100000", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "fiscal strength index" in result.stdout.lower()
    assert _shown(result.stdout)[-1] == "0.45"
