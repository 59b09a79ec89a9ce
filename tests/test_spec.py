"""The repository's copy of the contract is the contract (see ``tests/spec.py``)."""

from __future__ import annotations

import pytest
from tests.spec import COPY, SHARED


def test_the_copy_of_the_spec_is_the_shared_spec() -> None:
    """tests/data/SPEC.md is ../shared/SPEC.md byte for byte: copy the SPEC in again (and do
    what its change asks) when this fails."""
    if not SHARED.is_file():
        pytest.skip(f"no shared SPEC beside the repository ({SHARED}): the copy is the one read")
    assert COPY.read_bytes() == SHARED.read_bytes()
