"""Shared set-up: the cache of validated rule files lives in a folder of this test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _rule_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Never read or fill the user's own cache (``~/.cache/tokko``), here or in subprocesses."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOKKO_CACHE_DIR", str(tmp_path_factory.mktemp("rule-cache")))
        yield
