"""Benchmark of ``tokko batch`` against the floor, at two sizes, with peak memory.

    python benchmarks/batch.py                 # 50,000 and 200,000 rows, 3 rounds
    python benchmarks/batch.py --sizes 10000 --rounds 1

The floor is Python's csv module reading the same file and writing one row out per row in. Both
run in fresh processes, alternating, in the same run; the figures are medians and the ratio is
tokko / floor, so a busy machine slows both alike. Peak memory is each process's maximum
resident set size (ru_maxrss). Nothing here is a test: it prints figures for a closing note.
"""

from __future__ import annotations

import argparse
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
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out)
    if result["exit"] not in (0, 1):
        raise SystemExit(f"command failed ({result['exit']}): {' '.join(command)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        report = []
        for size in args.sizes:
            data, agreements = work / f"batch-{size}.csv", work / f"agreements-{size}.csv"
            generate(size, data, agreements)
            floor_cmd = [sys.executable, "-c", FLOOR, str(data), str(work / "floor.csv")]
            tokko_cmd = [sys.executable, "-m", "tokko", "batch", str(data),
                         "--agreements", str(agreements), "--out", str(work / "results.csv"),
                         "--summary", str(work / "summary.csv"),
                         "--errors", str(work / "errors.csv")]
            floors, tokkos = [], []
            for _ in range(args.rounds):
                floors.append(_measure(floor_cmd))
                tokkos.append(_measure(tokko_cmd))
            floor_s = statistics.median(r["seconds"] for r in floors)
            tokko_s = statistics.median(r["seconds"] for r in tokkos)
            line = {
                "rows": size,
                "floor_s": round(floor_s, 3),
                "tokko_s": round(tokko_s, 3),
                "ratio": round(tokko_s / floor_s, 2),
                "floor_peak_mib": round(max(r["peak_kib"] for r in floors) / 1024, 1),
                "tokko_peak_mib": round(max(r["peak_kib"] for r in tokkos) / 1024, 1),
            }
            report.append(line)
            print(json.dumps(line))
        if len(report) > 1:
            first, last = report[0], report[-1]
            print(json.dumps({
                "peak_growth_mib": round(last["tokko_peak_mib"] - first["tokko_peak_mib"], 1),
                "rows_growth": f"{first['rows']} -> {last['rows']}",
            }))


if __name__ == "__main__":
    main()
