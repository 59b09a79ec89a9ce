"""Benchmark of ``tokko calc`` on one large declaration, on screen and as CSV (issue 14, item 5).

    python benchmarks/calc.py                  # 21,000 rows, 3 rounds
    python benchmarks/calc.py --rows 5000 --rounds 1

The declaration is one government's fiscal year with 21,000 items (the rows of
``benchmarks/generate.py`` given one code and year, without joint rows). ``tokko calc FILE``
(the table, into a pipe) and ``tokko calc FILE --format csv --out …`` run in fresh processes,
alternating with the csv floor of ``benchmarks/batch.py`` (Python's csv module reading the file
and writing each row), in the same run; figures are medians, ratios are to the floor. Nothing
here is a test: it prints figures for a closing note.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch import FLOOR, _measure  # noqa: E402  (scripts beside this one)
from generate import generate  # noqa: E402

CODE, YEAR = "013951", "2023"


def declaration(rows: int, out: Path) -> None:
    """One government-year of ``rows`` single-procurement items."""
    source = out.with_suffix(".source.csv")
    generate(rows, source, None)
    with (
        source.open(encoding="utf-8", newline="") as stream,
        out.open("w", encoding="utf-8", newline="") as target,
    ):
        reader, writer = csv.reader(stream), csv.writer(target, lineterminator="\r\n")
        header = next(reader)
        at = {
            name: header.index(name)
            for name in ("団体コード", "年度", "項目番号", "調達方法", "協定番号")
        }
        writer.writerow(header)
        for n, row in enumerate(reader, start=1):
            row[at["団体コード"]], row[at["年度"]], row[at["項目番号"]] = CODE, YEAR, str(n)
            row[at["調達方法"]], row[at["協定番号"]] = "単独", ""
            writer.writerow(row)
    source.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=21_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import tokko

    compileall.compile_dir(Path(tokko.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        data = work / "declaration.csv"
        declaration(args.rows, data)
        commands = {
            "floor": [sys.executable, "-c", FLOOR, str(data), str(work / "floor.csv")],
            "table": [sys.executable, "-m", "tokko", "calc", str(data)],
            "csv": [
                sys.executable,
                "-m",
                "tokko",
                "calc",
                str(data),
                "--format",
                "csv",
                "--out",
                str(work / "results.csv"),
            ],
        }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                runs[name].append(_measure(command))
        seconds = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
        print(
            json.dumps(
                {
                    "rows": args.rows,
                    **{f"{k}_s": round(v, 3) for k, v in seconds.items()},
                    "table_ratio": round(seconds["table"] / seconds["floor"], 2),
                    "csv_ratio": round(seconds["csv"] / seconds["floor"], 2),
                    "csv_peak_mib": round(max(r["peak_kib"] for r in runs["csv"]) / 1024, 1),
                }
            )
        )


if __name__ == "__main__":
    main()
