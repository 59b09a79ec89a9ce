"""The ``tokko`` command line (SPEC §5): check, calc, explain, batch, rules, schema, codes.

Each command lives in its own module, declares its options beside it and makes one library call;
this package only assembles the app (:data:`app`) and runs it (:func:`main`).
"""

from __future__ import annotations

import gc
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


#: The cyclic garbage collector's first threshold for a run. A declaration's rows and results
#: stay in memory until they are written, and with Python's default (700 allocations) the
#: collector walks them again and again: ``tokko calc`` of 21,000 rows spends a third of its
#: time there (3.0 s → 2.0 s with this value, benchmarks/calc.py). Nothing of tokko's is cyclic
#: garbage; the collector still runs.
GC_THRESHOLD = 50_000


def main() -> None:
    """The ``tokko`` console script (and ``python -m tokko``)."""
    signal.signal(signal.SIGTERM, _terminated)
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    app(args=sys.argv[1:], prog_name="tokko")
