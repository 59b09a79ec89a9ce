"""Where the tests read the product contract, SPEC.md, from.

The contract lives beside the repository (``../shared/SPEC.md``); ``tests/data/SPEC.md`` is a
copy of it kept in the repository, so that a clone on its own (CI) tests against the same text.
When both are there they must be the same (``tests/test_spec.py``): a changed SPEC is copied in
on purpose, with the change it asks for.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "SPEC.md"
COPY = ROOT / "tests" / "data" / "SPEC.md"
#: The SPEC the tests read: the shared one when it is beside the repository, else the copy.
SPEC = SHARED if SHARED.is_file() else COPY
