"""Benchmark of ``tokko batch`` against the floor, at two sizes, with peak memory.

    python benchmarks/batch.py                 # 50,000 and 200,000 rows, 3 rounds
    python benchmarks/batch.py --sizes 10000 --rounds 1

The floor is Python's csv module reading the same file and writing one row out per row in. The
*bare* batch is the least a batch under issue 14's rules does — one process, the input read
twice, Decimal the only arithmetic — with no check at all: tokko's imports and rules, a first
pass that keeps every item key in a set, then per row the two amounts read by tokko's own
parser, net and net × rate in Decimal, the sums, and the row written with its six result cells.
It has no exclusions, no repeated-id or contract checks, no errors, no caps on the input: it is
a bound, not a batch. The floor, the bare batch and ``tokko batch`` run in fresh processes,
alternating, in the same run; the figures are medians and the ratios are against the floor, so
a busy machine slows all alike.
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

BARE = """
import csv, sys
from decimal import Context, Decimal
import tokko.cli
from tokko.model.money import ZERO, parse_yen, plain
from tokko.rules.ruleset import load_rules
rate = load_rules().for_year(2023).rate_standard
exact = Context(prec=60)
with open(sys.argv[1], encoding="utf-8", newline="") as src:
    keys = {(row[0], row[1], row[2]) for row in csv.reader(src)}
amount_sum = net_sum = measure_sum = ZERO
with open(sys.argv[1], encoding="utf-8", newline="") as src, \\
        open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    rows = csv.reader(src)
    writer.writerow([*next(rows), "status", "reasons", "warnings", "net", "rate", "measure"])
    for row in rows:
        amount = parse_yen(row[7]) if row[7] else ZERO
        revenue = parse_yen(row[8]) if row[8] else ZERO
        net = exact.subtract(amount, revenue)
        measure = exact.multiply(net, rate)
        amount_sum = exact.add(amount_sum, amount)
        net_sum = exact.add(net_sum, net)
        measure_sum = exact.add(measure_sum, measure)
        writer.writerow([*row, "eligible", "STANDARD_RATE", "", plain(net), "0.3", plain(measure)])
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
            bare_cmd = [sys.executable, "-c", BARE, str(data), str(work / "bare.csv")]
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
            runs: dict[str, list[dict[str, float]]] = {"floor": [], "bare": [], "tokko": []}
            for _ in range(args.rounds):
                runs["floor"].append(_measure(floor_cmd))
                runs["bare"].append(_measure(bare_cmd))
                runs["tokko"].append(_measure(tokko_cmd))
                _check(results, size)
            seconds = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
            peaks = {k: max(r["peak_kib"] for r in v) / 1024 for k, v in runs.items()}
            line = {
                "rows": size,
                "floor_s": round(seconds["floor"], 3),
                "bare_s": round(seconds["bare"], 3),
                "tokko_s": round(seconds["tokko"], 3),
                "bare_ratio": round(seconds["bare"] / seconds["floor"], 2),
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
