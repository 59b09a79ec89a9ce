"""Shared set-up of the tests: every test runs without the user's environment choosing the
language or the rules folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """TOKKO_LANG and TOKKO_RULES of the machine running the tests never apply."""
    monkeypatch.delenv("TOKKO_LANG", raising=False)
    monkeypatch.delenv("TOKKO_RULES", raising=False)
    yield
