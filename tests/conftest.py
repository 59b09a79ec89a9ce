"""Shared set-up of the tests: every test runs without the user's environment choosing the
language or the rules folder."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

#: ``scripts/mutation.py`` runs the tests once per mutant: fewer examples, always the same ones.
settings.register_profile("mutation", max_examples=25, derandomize=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """TOKKO_LANG and TOKKO_RULES of the machine running the tests never apply."""
    monkeypatch.delenv("TOKKO_LANG", raising=False)
    monkeypatch.delenv("TOKKO_RULES", raising=False)
