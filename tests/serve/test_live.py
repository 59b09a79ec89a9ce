"""Updating rules without a restart: a changed rules folder is read again; a change that is
refused leaves the rules in force as they were, and /healthz says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.serve.support import EXAMPLES, NEEDS_SERVE, ROOT

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

from starlette.testclient import TestClient

from tokko.errors import RuleFileError
from tokko.serve import ServeConfig, create_app
from tokko.serve.live import LiveRules


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the shipped rules a prefecture can change."""
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    return folder


def test_a_new_rule_file_is_in_force_without_a_restart(rules: Path) -> None:
    """Adding next year's file: the next request after the check interval uses it."""
    live = LiveRules(rules, interval=0)
    client = TestClient(create_app(ServeConfig(rules_dir=rules), live=live))
    before = [r["version"] for r in client.get("/api/v1/rules").json()]
    shutil.copy(
        EXAMPLES / "rules" / "next-year" / "ai-rpa" / "2027.toml", rules / "ai-rpa" / "2027.toml"
    )
    after = client.get("/api/v1/rules").json()
    assert len(after) == len(before) + 1
    assert after[-1]["effective_from"] == 2027
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_refused_change_keeps_the_rules_in_force(rules: Path) -> None:
    """A broken file added: the rules before stay in force; /healthz is degraded and says why;
    once the file is removed the server is ok again."""
    live = LiveRules(rules, interval=0)
    client = TestClient(create_app(ServeConfig(rules_dir=rules), live=live))
    before = client.get("/api/v1/rules").json()
    broken = rules / "ai-rpa" / "2027.toml"
    shutil.copy(EXAMPLES / "rules" / "mistakes" / "2027-typo.toml", broken)
    assert client.get("/api/v1/rules").json() == before
    health = client.get("/healthz").json()
    assert health["status"] == "degraded"
    assert "2027.toml" in health["rules_refused"]
    broken.unlink()
    assert client.get("/healthz").json()["status"] == "ok"


def test_the_files_are_looked_at_only_after_the_interval(rules: Path) -> None:
    """Within the interval the rules are not read again (a request costs no file access)."""
    live = LiveRules(rules, interval=3600)
    first = live.current()
    shutil.copy(
        EXAMPLES / "rules" / "next-year" / "ai-rpa" / "2027.toml", rules / "ai-rpa" / "2027.toml"
    )
    assert live.current() is first


def test_a_refused_folder_stops_the_server_before_it_starts(tmp_path: Path) -> None:
    """Rules refused at start raise RuleFileError (the command says why and exits 3)."""
    folder = tmp_path / "rules" / "ai-rpa"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "rules" / "mistakes" / "2027-typo.toml", folder / "2027.toml")
    with pytest.raises(RuleFileError):
        LiveRules(folder.parent)
