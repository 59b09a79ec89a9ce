"""Files are never destroyed (SPEC §5): outputs checked against inputs before anything is read.

:func:`check_outputs` refuses, as a usage error, an output that is one of the inputs — by any
path, symbolic link or hard link — and two outputs on one path; it names a missing or read-only
output folder as such (exit code 3) before any input is read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tokko.errors import OutputFileError, UsageError


def _same(a: Path, b: Path) -> bool:
    """The same file by any path or link (or the same path for files not yet there)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_outputs(inputs: Sequence[Path | None], outputs: Sequence[Path | None]) -> None:
    """Refuse outputs that would overwrite an input or each other, or cannot be written."""
    given = [p for p in inputs if p is not None]
    wanted = [p for p in outputs if p is not None]
    for output in wanted:
        for source in given:
            if _same(output, source):
                raise UsageError("usage.output_is_input", output=str(output), input=str(source))
    for i, first in enumerate(wanted):
        for second in wanted[i + 1 :]:
            if _same(first, second):
                raise UsageError("usage.outputs_clash", first=str(first), second=str(second))
    for output in wanted:
        folder = output.parent if str(output.parent) else Path(".")
        if output.is_dir():
            raise OutputFileError(str(output), "output.is_folder")
        if not folder.is_dir():
            raise OutputFileError(str(output), "output.no_folder", folder=str(folder))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputFileError(str(output), "output.read_only_folder", folder=str(folder))
        if output.exists() and not os.access(output, os.W_OK):
            raise OutputFileError(str(output), "output.read_only_file")
