"""Benchmark of the library for budgeting tools: ``tokko.calculate`` on a 10-item declaration.

    python benchmarks/library.py            # 2,000 calls of each, 5 rounds
    python benchmarks/library.py --calls 500

The rules are loaded once, as a budgeting tool would. Times ``calculate`` (with and without the
explanation), ``check_item`` on one expense, and, as the baseline of the same run, a JSON round
trip of the declaration (``json.loads(json.dumps(...))``): the machine is shared and noisy, so
the ratio is the figure to compare. Goal (issue 14): at most 0.3 ms per 10-item declaration.
Nothing here is a test: it prints figures for a closing note.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import tokko

DECLARATION: dict[str, Any] = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "agreements": [
        {"agreement_id": "K1", "concluded_on": "2021-06-01", "parties": ["010006", "011002"]}
    ],
    "items": [
        {
            "item_id": str(n),
            "description": "AI-OCRによる申請書の読取",
            "technology": ["AI", "RPA", "AI-OCR", "AI+RPA", "IoT"][n % 5],
            "business_area": ["会計事務", "住民記録", "文書管理", "議事録作成", ""][n % 5],
            "expense_kind": ["導入・構築", "license", "研修", "機器購入", "consulting"][n % 5],
            "amount": f"{(n + 1) * 123_000:,}",
            "specific_revenue": 10_000 * (n % 3),
            "procurement": "共同" if n == 3 else "単独",
            "agreement_id": "K1" if n == 3 else None,
            "introduced_in": "R3" if n % 5 == 1 else None,
        }
        for n in range(10)
    ],
}


def _per_call(action: Callable[[], object], calls: int, rounds: int) -> float:
    """Median over rounds of the mean time of one call, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        times.append((time.perf_counter() - start) / calls * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rules = tokko.load_rules()
    result = tokko.calculate(DECLARATION, rules)
    assert len(result.declarations[0].items) == 10, result.errors
    assert not result.errors, result.errors
    figures = {
        "json_round_trip_ms": _per_call(
            lambda: json.loads(json.dumps(DECLARATION)), args.calls, args.rounds
        ),
        "calculate_ms": _per_call(
            lambda: tokko.calculate(DECLARATION, rules), args.calls, args.rounds
        ),
        "calculate_no_explanation_ms": _per_call(
            lambda: tokko.calculate(DECLARATION, rules, explain=False), args.calls, args.rounds
        ),
        "check_item_ms": _per_call(
            lambda: tokko.check_item(
                technology="AI",
                expense_kind="導入・構築",
                amount="1,200,000",
                fiscal_year="R3",
                rules=rules,
            ),
            args.calls,
            args.rounds,
        ),
    }
    base = figures["json_round_trip_ms"]
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
    print(
        json.dumps(
            {
                f"{k}_ratio": round(v / base, 1)
                for k, v in figures.items()
                if k != "json_round_trip_ms"
            }
        )
    )


if __name__ == "__main__":
    main()
