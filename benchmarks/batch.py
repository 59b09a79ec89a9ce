"""Benchmark of ``tokko batch`` against the floor, at two sizes, with peak memory.

    python benchmarks/batch.py                 # 50,000 and 200,000 rows, 3 rounds
    python benchmarks/batch.py --sizes 10000 --rounds 1

The floor is Python's csv module reading the same file and writing one row out per row in. The
floor and ``tokko batch`` (one process) run in fresh processes, alternating, in the same run;
the figures are medians and the ratio is tokko / floor, so a busy machine slows both alike.
Peak memory is the largest resident set size (ru_maxrss) of the command's process. Each tokko
run is checked to have written one results row per input row. Before timing, tokko's modules
are compiled to bytecode (as a wheel install does), so that an environment with
``PYTHONDONTWRITEBYTECODE`` does not time the compiler. Goals (issue 14): at most 3× the floor
at 200,000 rows, at most 100 MB at 1,000,000 rows (``--sizes 1000000 --rounds 1``). Nothing
here is a test: it prints figures for a closing note.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402  (a script beside this one)

FLOOR = """
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as src, \\
        open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    for row in csv.reader(src):
        writer.writerow(row)
"""

# Runs one command in a child and reports its wall time and peak memory.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_kib": peak, "exit": code}))
"""


def _measure(command: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(out)
    if result["exit"] not in (0, 1):
        raise SystemExit(f"command failed ({result['exit']}): {' '.join(command)}")
    return result


def _check(results: Path, rows: int) -> None:
    """The run wrote one results row per input row (a failed run is not a figure)."""
    with results.open(encoding="utf-8-sig", newline="") as stream:
        written = sum(1 for _ in csv.reader(stream)) - 1
    if written != rows:
        raise SystemExit(f"tokko wrote {written} results rows for {rows} input rows")
    results.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import tokko

    compileall.compile_dir(Path(tokko.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        report = []
        for size in args.sizes:
            data, agreements = work / f"batch-{size}.csv", work / f"agreements-{size}.csv"
            generate(size, data, agreements)
            floor_cmd = [sys.executable, "-c", FLOOR, str(data), str(work / "floor.csv")]
            results = work / "results.csv"
            tokko_cmd = [
                sys.executable,
                "-m",
                "tokko",
                "batch",
                str(data),
                "--agreements",
                str(agreements),
                "--out",
                str(results),
                "--summary",
                str(work / "summary.csv"),
                "--errors",
                str(work / "errors.csv"),
            ]
            runs: dict[str, list[dict[str, float]]] = {"floor": [], "tokko": []}
            for _ in range(args.rounds):
                runs["floor"].append(_measure(floor_cmd))
                runs["tokko"].append(_measure(tokko_cmd))
                _check(results, size)
            seconds = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
            peaks = {k: max(r["peak_kib"] for r in v) / 1024 for k, v in runs.items()}
            line = {
                "rows": size,
                "floor_s": round(seconds["floor"], 3),
                "tokko_s": round(seconds["tokko"], 3),
                "ratio": round(seconds["tokko"] / seconds["floor"], 2),
                "floor_peak_mib": round(peaks["floor"], 1),
                "tokko_peak_mib": round(peaks["tokko"], 1),
            }
            report.append(line)
            print(json.dumps(line))
        if len(report) > 1:
            first, last = report[0], report[-1]
            print(
                json.dumps(
                    {
                        "peak_growth_mib": round(
                            last["tokko_peak_mib"] - first["tokko_peak_mib"], 1
                        ),
                        "rows_growth": f"{first['rows']} -> {last['rows']}",
                    }
                )
            )


if __name__ == "__main__":
    main()
