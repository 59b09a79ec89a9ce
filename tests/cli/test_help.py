"""Every command and subcommand of ``tokko`` has help text with an example a user can paste."""

from __future__ import annotations

import re
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tokko.cli import app

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}


def _paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under ``command`` (a click command or group), the root included."""
    found = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _paths(sub, (*path, name))
    return found


COMMANDS = _paths(get_command(app))


def test_the_command_tree_is_complete() -> None:
    """The CLI offers the commands of SPEC §5, the fill-in template (issue 16), the server
    (issue 17) and the rules subcommands."""
    assert {p for p in COMMANDS if len(p) == 1} == {
        ("check",),
        ("calc",),
        ("explain",),
        ("batch",),
        ("rules",),
        ("schema",),
        ("codes",),
        ("template",),
        ("serve",),
        ("fiscal-strength-index",),
    }
    assert {p for p in COMMANDS if len(p) == 2} == {
        ("rules", "list"),
        ("rules", "show"),
        ("rules", "diff"),
        ("rules", "validate"),
    }


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "tokko")
def test_help_has_an_example(path: tuple[str, ...]) -> None:
    """``--help`` exits 0 and shows at least one example line starting with ``tokko ``."""
    result = CliRunner().invoke(app, [*path, "--help"], env=_ENV)
    assert result.exit_code == 0, result.output
    text = _ANSI.sub("", result.output)
    examples = [line.strip() for line in text.splitlines() if line.strip().startswith("tokko ")]
    assert examples, text
    assert any(" ".join(path) in e for e in examples), examples


@pytest.mark.parametrize("path", [p for p in COMMANDS if p], ids=" ".join)
def test_help_is_in_both_languages(path: tuple[str, ...]) -> None:
    """Each command's help says what it does in Japanese and in English."""
    result = CliRunner().invoke(app, [*path, "--help"], env=_ENV)
    text = _ANSI.sub("", result.output)
    assert re.search(r"[ぁ-んァ-ン一-龥]", text)
    assert re.search(r"\b(Check|Compute|Explain|Show|List|Check|Print|Find)\b", text), text
