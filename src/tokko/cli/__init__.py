"""The ``tokko`` command line (SPEC §5): check, calc, explain, batch, rules, schema, codes.

Each command lives in its own module, declares its options beside it and makes one library call;
this package only assembles the app (:data:`app`) and runs it (:func:`main`).
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from tokko.cli import batch, calc, check, codes, explain, index, rules, schema, serve, template
from tokko.cli.app import app

__all__ = ["app", "main"]
_COMMANDS = (batch, calc, check, codes, explain, index, rules, schema, serve, template)


def _terminated(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM (``kill``, ``timeout``) ends a run as Ctrl-C does: every file being written is
    removed, the previous one left as it was."""
    raise SystemExit(128 + signum)


def main() -> None:
    """The ``tokko`` console script (and ``python -m tokko``)."""
    signal.signal(signal.SIGTERM, _terminated)
    app(args=sys.argv[1:], prog_name="tokko")
