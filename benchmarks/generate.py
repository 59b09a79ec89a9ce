"""Deterministic generator of large, valid batches: one prefecture's declarations, many years.

    python benchmarks/generate.py 200000 /tmp/batch.csv --agreements /tmp/agreements.csv

The rows look like a real review: Japanese headers, the municipalities of one prefecture (or
all of Japan for very large files), fiscal years written several ways, AI-OCR / RPA purchases,
amounts with and without thousands separators, some specific revenue, some standardization-
target work, and the shares of three prefecture-led joint procurements a year (41 parties each,
under concluded agreements) spread through the file. Every row is valid; the same arguments
always give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

HEADER = [
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費",
    "特定財源",
    "調達方法",
    "協定番号",
    "契約番号",
    "契約総額",
]
_YEARS = [
    (2021, ("2021", "R3", "令和3年度")),
    (2022, ("2022", "R4", "令和4年度")),
    (2023, ("2023", "R5", "令和5年度")),
    (2024, ("2024", "R6", "令和6年度")),
]
_TECH = ["AI", "RPA", "AI-OCR", "AI+RPA", "RPA", "AI"]
_AREAS = [
    "会計事務",
    "文書管理",
    "議事録作成",
    "問合せ対応",
    "庶務事務",
    "財務会計",
    "人事給与",
    "道路管理",
    "住民記録",
    "介護保険",
    "保育所入所",
    "観光案内",
    "ふるさと納税",
]
_KINDS = [
    "導入・構築",
    "introduction",
    "利用料・ライセンス料",
    "license",
    "研修",
    "consulting",
    "機器購入",
]
_WHAT = [
    "AI-OCRによる申請書の読取",
    "RPAによる定型入力の自動化",
    "AI議事録作成システム",
    "AIチャットボットによる問合せ対応",
    "RPAシナリオ作成",
    "AI-OCR帳票設計",
]


def _codes(rows: int) -> list[str]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from tokko.model.localgov import all_governments

    governments = [g.code for g in all_governments()]
    if rows <= 300_000:  # one prefecture: Hokkaido's 180 governments
        return [c for c in governments if c.startswith("01")]
    return governments


def generate(rows: int, out: Path, agreements: Path | None, seed: int = 2021) -> None:
    """Write ``rows`` rows to ``out`` (and the agreements they use to ``agreements``)."""
    rng = random.Random(seed)
    codes = _codes(rows)
    prefecture, municipalities = codes[0], codes[1:]
    # A few prefecture-led joint procurements a year, each shared by many municipalities.
    joint: list[tuple[str, int, list[str], str, list[int]]] = []
    for year, _ in _YEARS:
        for n in range(1, 4):
            parties = [prefecture, *rng.sample(municipalities, min(40, len(municipalities)))]
            shares = [rng.randrange(100, 2000) * 1000 for _ in parties]
            joint.append((f"K{year}-{n:02d}", year, parties, f"J{year}-{n:02d}", shares))
    pending = [
        (agreement, year, code, contract, share, sum(shares))
        for agreement, year, parties, contract, shares in joint
        for code, share in zip(parties, shares, strict=True)
    ]
    rng.shuffle(pending)
    spelling = dict(_YEARS)
    counters: dict[tuple[str, int], int] = {}
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(HEADER)
        for written in range(rows):
            # Joint shares are spread through the file, as a prefecture's merged files have them.
            if pending and rng.random() < 0.05:
                agreement, year, code, contract, share, total = pending.pop()
                n = counters[(code, year)] = counters.get((code, year), 0) + 1
                writer.writerow(
                    [
                        code,
                        rng.choice(spelling[year]),
                        str(n),
                        "AI-OCR共同調達",
                        "AI",
                        "申請書処理",
                        "導入・構築",
                        str(share),
                        "0",
                        "共同",
                        agreement,
                        contract,
                        str(total),
                    ]
                )
                continue
            year, spellings = _YEARS[rng.randrange(len(_YEARS))]
            code = codes[rng.randrange(len(codes))]
            n = counters[(code, year)] = counters.get((code, year), 0) + 1
            amount = rng.randrange(10, 50_000) * 100
            revenue = amount // 2 if rng.random() < 0.15 else 0
            shown = f"{amount:,}" if rng.random() < 0.3 else str(amount)
            writer.writerow(
                [
                    code,
                    rng.choice(spellings),
                    str(n),
                    rng.choice(_WHAT),
                    rng.choice(_TECH),
                    rng.choice(_AREAS),
                    rng.choice(_KINDS),
                    shown,
                    str(revenue),
                    "単独",
                    "",
                    f"C{code}-{year}-{n:05d}",
                    "",
                ]
            )
            _ = written
    if agreements is not None:
        with agreements.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(["協定番号", "協定名", "締結日", "構成団体"])
            for agreement, year, parties, _, _ in joint:
                writer.writerow(
                    [agreement, "AI-OCR共同調達に関する協定", f"{year}-04-01", ";".join(parties)]
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--agreements", type=Path)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    generate(args.rows, args.out, args.agreements, args.seed)


if __name__ == "__main__":
    main()
