"""The cache of validated rule files (tokko.rulecache): a hit skips validation, never the truth.

Each test points ``TOKKO_CACHE_DIR`` at its own folder and parses bytes with
:func:`tokko.ruleset.parse_rule_file`, below the in-process cache of :func:`tokko.load_rules`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tokko import rulecache
from tokko.ruledata import Sourced
from tokko.rulefile import RuleFile
from tokko.ruleset import RuleVersion, check_rules, parse_rule_file

SHIPPED = Path(__file__).resolve().parents[1] / "rules" / "ai-rpa" / "2021.toml"
DATA = SHIPPED.read_bytes()
NAME = "ai-rpa/2021.toml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TOKKO_CACHE_DIR", str(folder))
    return folder


def _parse(data: bytes = DATA, *, cached: bool = True) -> RuleVersion:
    version, problems = parse_rule_file(data, NAME, cached=cached)
    assert problems == []
    assert version is not None
    return version


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> RuleFile:
        raise AssertionError("validated again despite a cache entry")

    monkeypatch.setattr(RuleFile, "model_validate", refuse)


def test_second_parse_reads_the_cache_without_validating(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _parse()
    assert [p.name for p in cache.iterdir()] == [f"rules-{rulecache.cache_key(DATA)}.json"]
    _no_validation(monkeypatch)
    second = _parse()
    assert second.values == first.values
    assert second.data == first.data
    assert second.sha256 == first.sha256


def test_rule_data_is_what_the_validated_model_says(cache: Path) -> None:
    version = _parse()
    model = RuleFile.model_validate(json.loads(json.dumps(version.values)))
    sourced = [v for v in version.data if isinstance(v, Sourced)]
    assert len(sourced) >= 15
    for value in sourced:
        node: Any = model
        for part in value.key.split("."):
            node = getattr(node, "businesses" if part == "list" else part)
        expected = node.value if hasattr(node, "value") else node.businesses
        if value.key == "excluded_businesses":
            assert [b.name for b in value.value] == [b.name for b in expected]
        else:
            assert value.value == (tuple(expected) if isinstance(expected, list) else expected)
        assert (value.source, value.note) == (node.source, node.note)
    assert version.data.rate_joint.value == Decimal("0.5")
    assert [k.id for k in version.data.expense_kinds] == [k.id for k in model.expense_kinds]


def test_file_model_is_built_on_first_use(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parse()
    version = _parse()  # from the cache: no pydantic model yet
    assert version.file.rates.joint.value == version.data.rate_joint.value
    assert version.file.model_dump(mode="json", by_alias=True) == version.values


@pytest.mark.parametrize("garbage", [b"not json", b"[1, 2]", b'{"measure": {}}',
                                     b'{"measure": null, "rates": 1}'])
def test_unreadable_entry_means_validating_again(cache: Path, garbage: bytes) -> None:
    expected = _parse().values
    entry = cache / f"rules-{rulecache.cache_key(DATA)}.json"
    entry.write_bytes(garbage)
    assert _parse().values == expected
    assert json.loads(entry.read_bytes()) == expected  # rewritten


def test_changed_bytes_never_meet_an_old_entry(cache: Path) -> None:
    _parse()
    edited = DATA.replace(b'value = "0.5"', b'value = "0.6"', 1)
    if edited == DATA:
        edited = DATA.replace(b"value = 0.5", b"value = 0.6", 1)
    assert edited != DATA
    assert _parse(edited).rate_joint == Decimal("0.6")
    assert len(list(cache.iterdir())) == 2


def test_rules_validate_ignores_a_tampered_entry(cache: Path, tmp_path: Path) -> None:
    """An entry planted under the key of a bad file fools loading, never ``check_rules``."""
    good = _parse().values
    bad = DATA.replace(b"[rates.standard]", b"[rates.standard]\nspelling_mistake = 1", 1)
    assert bad != DATA
    (cache / f"rules-{rulecache.cache_key(bad)}.json").write_text(json.dumps(good))
    path = tmp_path / "ai-rpa" / "2021.toml"
    path.parent.mkdir()
    path.write_bytes(bad)
    problems = check_rules(tmp_path)
    assert [p.key for p in problems] == ["rates.standard.spelling_mistake"]


def test_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKKO_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    _parse()
    assert rulecache.cache_dir() is None
    assert list(tmp_path.rglob("*.json")) == []


def test_unwritable_cache_folder_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOKKO_CACHE_DIR", str(blocker / "cache"))
    assert _parse().rate_standard == Decimal("0.3")


def test_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOKKO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert rulecache.cache_dir() == tmp_path / "tokko"


def test_cache_keeps_the_newest_entries(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rulecache, "KEEP", 3)
    for n in range(5):
        rulecache.put(f"{n:064x}", {"n": n})
        os.utime(cache / f"rules-{n:064x}.json", ns=(n * 10**9, n * 10**9))
    rulecache.put("f" * 64, {"n": 99})
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) == 3
    assert f"rules-{'f' * 64}.json" in kept
    assert f"rules-{0:064x}.json" not in kept


def test_check_command_needs_no_pydantic_model(cache: Path) -> None:
    """``tokko check`` (table) computes without tokko's pydantic models once rules are cached."""
    script = (
        "import sys\n"
        "from tokko.cli import main\n"
        "sys.argv = ['tokko', 'check', '--technology', 'AI', '--expense-kind', '導入',"
        " '--amount', '1,000,000', '--fiscal-year', 'R3']\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "loaded = sorted(m for m in ('tokko.result', 'tokko.declaration', 'tokko.rulefile')"
        " if m in sys.modules)\n"
        "print('LOADED', loaded)\n"
    )
    env = {**os.environ, "TOKKO_CACHE_DIR": str(cache)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout for _ in range(2)]
    assert "300,000" in runs[1]
    assert "LOADED ['tokko.rulefile']" in runs[0]  # the first run validates the rule file
    assert "LOADED []" in runs[1]
