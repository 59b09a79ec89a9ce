"""CSV reading benchmark: :mod:`tokko.io.csvfile` against plain :func:`csv.reader`.

    PYTHONPATH=src python benchmarks/csv_read.py            # 200,000 rows, 7 runs each
    PYTHONPATH=src python benchmarks/csv_read.py --rows 50000 --runs 3 --encoding cp932

Writes a declaration-like CSV (13 columns, Japanese text, quoted amounts with commas, now and
then a remark over two lines; about 25 MB in UTF-8 for 200,000 rows) to a temporary folder,
then times, in alternation so that a slow moment of the machine hits all alike:

* ``plain``  — ``for row in csv.reader(open(path, encoding=…, newline=""))`` (the floor);
* ``read``   — ``read_records(path, name, encoding)`` (the encoding known: reading alone);
* ``detect`` — ``detect_encoding(path, name)`` (the streaming pass alone);
* ``both``   — ``read_records(path, name)`` (detection, then reading).

Prints each median and its ratio to ``plain``'s, and the same for the fastest runs (steadier
on a busy machine); the goal is ``read`` at most 1.3 × ``plain``. A measurement, not a test:
nothing here fails.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tokko.io.csvfile import detect_encoding, read_records

HEADER = [
    "団体コード",
    "団体名",
    "年度",
    "技術",
    "経費区分",
    "契約名",
    "事業者名",
    "契約日",
    "金額",
    "国庫補助金",
    "按分",
    "備考",
    "番号",
]
PLACES = ["札幌市", "八戸市", "千代田区", "堺市", "北九州市", "那覇市", "松本市", "豊橋市"]
CONTRACTS = [
    "住民記録改修",
    "AI議事録導入",
    "RPA申請処理",
    "AI-OCR帳票",
    "チャットボット",
    "税務連携",
]
VENDORS = ["テクノ社", "富士通Japan", "ｶ)ﾃｸﾉ", "日本電気", "ソフト工房"]
REMARKS = ["", "", "", "初年度分", "按分あり、共同契約", "第2期\n追加分", '"特記"事項あり']


def generate(path: Path, rows: int, encoding: str, seed: int = 1) -> int:
    """Write ``rows`` data rows (plus the header) to ``path``; return its size in bytes."""
    rng = random.Random(seed)
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for i in range(rows):
            amount = rng.randrange(10_000, 50_000_000)
            writer.writerow(
                [
                    f"{rng.randrange(10_000, 480_000):06d}",
                    rng.choice(PLACES),
                    "R5",
                    rng.choice(["AI", "RPA"]),
                    rng.choice(["導入", "運用"]),
                    rng.choice(CONTRACTS),
                    rng.choice(VENDORS),
                    f"2023-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                    f"{amount:,}",
                    str(amount // rng.randrange(2, 5)),
                    rng.choice(["1/1", "1/2", "1/3"]),
                    rng.choice(REMARKS),
                    f"{i + 1:07d}",
                ]
            )
    return path.stat().st_size


def plain(path: Path, encoding: str) -> int:
    with path.open(encoding=encoding, newline="") as stream:
        return sum(1 for _ in csv.reader(stream))


def tokko_read(path: Path, encoding: str | None) -> int:
    return sum(1 for _ in read_records(path, path.name, encoding))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "cp932"], default="utf-8")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "declaration.csv"
        size = generate(path, args.rows, args.encoding)
        print(f"{args.rows:,} rows × {len(HEADER)} columns, {args.encoding}, {size / 1e6:.1f} MB")
        found = detect_encoding(path, path.name)
        assert found == args.encoding, found
        cases: dict[str, Callable[[], object]] = {
            "plain": lambda: plain(path, args.encoding),
            "read": lambda: tokko_read(path, args.encoding),
            "detect": lambda: detect_encoding(path, path.name),
            "both": lambda: tokko_read(path, None),
        }
        times: dict[str, list[float]] = {key: [] for key in cases}
        for key, case in cases.items():  # warm-up (page cache, imports)
            case()
            del key
        for _ in range(args.runs):
            for key, case in cases.items():
                start = time.perf_counter()
                case()
                times[key].append(time.perf_counter() - start)
        base, floor = statistics.median(times["plain"]), min(times["plain"])
        print("         median          fastest run")
        for key, values in times.items():
            median, fastest = statistics.median(values), min(values)
            print(
                f"{key:7} {median * 1000:7.1f} ms {median / base:5.2f} ×   "
                f"{fastest * 1000:7.1f} ms {fastest / floor:5.2f} ×"
            )


if __name__ == "__main__":
    main()
