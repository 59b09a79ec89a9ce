"""A cache of validated rule files, so that a command does not validate the same bytes twice.

Validating a rule file needs pydantic, which costs a command line more than the whole check of one
expense. Once a file has been validated, its validated JSON form is kept under a key made of the
exact bytes of the file, the bytes of the schema that validated it (:mod:`tokko.rulefile`) and the
tokko version: a changed file, schema or tokko never meets an old entry.

The folder is ``TOKKO_CACHE_DIR``, else ``$XDG_CACHE_HOME/tokko``, else ``~/.cache/tokko``;
``TOKKO_CACHE_DIR=off`` turns the cache off. A folder that cannot be written, or an entry that
cannot be read, only means validating again: the cache never changes a result.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from tokko._version import __version__

ENV_VAR = "TOKKO_CACHE_DIR"
#: How many validated files the cache keeps.
KEEP = 64
_SCHEMA = Path(__file__).with_name("rulefile.py")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return None if configured.lower() == "off" else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tokko"


@cache
def _schema() -> bytes:
    """The schema's bytes, read once per process."""
    try:
        return _SCHEMA.read_bytes()
    except OSError:  # installed without sources: the version alone tells schemas apart
        return b""


def cache_key(data: bytes) -> str:
    """The key of a rule file's bytes: they, the schema's bytes and the tokko version."""
    digest = hashlib.sha256()
    for part in (__version__.encode(), _schema(), data):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"rules-{key}.json"


def get(key: str) -> dict[str, Any] | None:
    """The validated JSON form stored under ``key``, or None."""
    entry = _entry(key)
    if entry is None:
        return None
    try:
        found = json.loads(entry.read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def put(key: str, validated: dict[str, Any]) -> None:
    """Store a validated file's JSON form; quietly nothing when the folder cannot be written."""
    entry = _entry(key)
    if entry is None:
        return
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(validated, ensure_ascii=False).encode())
            os.replace(temporary, entry)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(entry.parent)


def _prune(folder: Path) -> None:
    """Keep the newest :data:`KEEP` entries: every edit of a candidate rule file adds one."""
    entries = sorted(folder.glob("rules-*.json"), key=lambda p: p.stat().st_mtime_ns)
    for stale in entries[:-KEEP]:
        stale.unlink(missing_ok=True)
