"""Hostile and sloppy input, run as a user runs tokko: a fresh process, bounded.

:func:`tokko_run` starts ``python -m tokko`` in a child that reports its wall time and peak
memory (``ru_maxrss``) and is killed past its time limit; every hostile case asserts the exit
code, that no traceback was printed, the message, and that it stayed under 512 MB and 10 s.
Every file is built in a temporary folder by the test (no large fixtures in the repository).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: The child reports (exit code, seconds, peak KiB of the tokko process) as JSON on its last line.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, timeout=float(sys.argv[1]))
    code, out, err = done.returncode, done.stdout, done.stderr
except subprocess.TimeoutExpired as late:
    code, out, err = "timeout", late.stdout or b"", late.stderr or b""
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(json.dumps({"code": code, "seconds": seconds, "peak_kib": peak,
                             "out": out.decode("utf-8", "replace"),
                             "err": err.decode("utf-8", "replace")}))
"""

LIMIT_SECONDS = 10.0
LIMIT_MB = 512


@dataclass
class Ran:
    code: int | str
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def bounded(self) -> None:
        """No traceback, under the time and memory limits."""
        assert self.code != "timeout", f"took more than {LIMIT_SECONDS} s"
        assert "Traceback" not in self.output, self.output[-2000:]
        assert self.seconds < LIMIT_SECONDS, self.seconds
        assert self.peak_mb < LIMIT_MB, self.peak_mb


def tokko_run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = LIMIT_SECONDS
) -> Ran:
    """Run ``python -m tokko ARGS`` in ``cwd``, measured."""
    command = [
        sys.executable,
        "-c",
        _MEASURE,
        str(timeout),
        sys.executable,
        "-m",
        "tokko",
        *map(str, args),
    ]
    environment = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", **(env or {})}
    for name in ("TOKKO_LANG", "TOKKO_RULES"):
        environment.pop(name, None)
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, check=True, env=environment
    )
    report = json.loads(done.stdout)
    return Ran(
        report["code"], report["out"], report["err"], report["seconds"], report["peak_kib"] / 1024
    )


HEADER = "団体コード,年度,項目番号,事業名,区分,対象業務,経費区分,事業費,特定財源\n"
ROW = "011002,2021,{n},AI-OCR,AI,会計事務,導入・構築,1200000,0\n"


def declaration_csv(path: Path, rows: int = 2, extra: str = "") -> Path:
    """A small valid declaration CSV (UTF-8)."""
    path.write_text(
        HEADER + "".join(ROW.format(n=n) for n in range(1, rows + 1)) + extra, encoding="utf-8"
    )
    return path
