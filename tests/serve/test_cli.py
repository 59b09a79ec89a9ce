"""``tokko serve``: its options, the check of its settings before it listens, and what it says
when the server's packages are missing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.serve.support import EXAMPLES, NEEDS_SERVE

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

from typer.testing import CliRunner

from tokko.cli import app

_ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "TOKKO_TOKEN": None, "COLUMNS": "200"}


def _run(*args: str, **env: Any) -> Any:
    return CliRunner().invoke(app, ["serve", *args], env={**_ENV, **env})


def test_check_loads_the_rules_and_says_where_it_would_listen() -> None:
    """--check: the rules are loaded and named, the URL shown, exit 0, nothing listens."""
    result = _run("--check", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "ai-rpa 2021.2" in result.output
    assert "http://127.0.0.1:8123/" in result.output


def test_check_in_english() -> None:
    """--lang en puts it in English."""
    result = _run("--check", "--lang", "en")
    assert result.exit_code == 0
    assert "The settings are valid" in result.output


def test_refused_rules_stop_it_with_every_problem(tmp_path: Path) -> None:
    """A rules folder that is refused: exit 3, the problems listed, nothing started."""
    folder = tmp_path / "rules" / "ai-rpa"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "rules" / "mistakes" / "2027-typo.toml", folder / "2027.toml")
    result = _run("--check", "--rules", str(tmp_path / "rules"))
    assert result.exit_code == 3
    assert "2027.toml" in result.output


def test_listening_beyond_this_machine_without_a_token_warns() -> None:
    """--host 0.0.0.0 without --token: a warning that anyone on the network can use the API."""
    result = _run("--check", "--host", "0.0.0.0", "--lang", "en")
    assert result.exit_code == 0
    assert "without --token" in result.output
    quiet = _run("--check", "--host", "0.0.0.0", "--lang", "en", TOKKO_TOKEN="s3cret")
    assert "without --token" not in quiet.output


def test_a_port_out_of_range_is_a_usage_error() -> None:
    """--port 70000: exit 2 in the catalog's words."""
    assert _run("--check", "--port", "70000").exit_code == 2


def test_without_the_server_packages_it_says_how_to_install_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without FastAPI/uvicorn: exit 2 and pip install 'tokko[serve]'."""
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = _run("--check")
    assert result.exit_code == 2
    assert "pip install 'tokko[serve]'" in result.output


def test_help_shows_examples_in_both_languages() -> None:
    """--help: what it does in Japanese and English, and example command lines."""
    result = _run("--help")
    assert result.exit_code == 0
    assert "tokko serve --host 0.0.0.0 --port 8080" in result.output
    assert "Compute over HTTP" in result.output
    assert "待ち受ける" in result.output
