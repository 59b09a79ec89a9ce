"""What the server's tests share: the repository's examples and a declaration to post."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: Why a module of these tests skips: the server's packages are not installed.
NEEDS_SERVE = "tokko serve's packages are missing: pip install 'tokko[serve]' (and httpx)"

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

#: A declaration of SPEC §3 with one item of each outcome the tests look at.
DECLARATION: dict[str, Any] = {
    "entity_code": "011002",
    "fiscal_year": "R3",
    "agreements": [
        {"agreement_id": "K1", "concluded_on": "2021-06-01", "parties": ["010006", "011002"]}
    ],
    "items": [
        {
            "item_id": "1",
            "description": "AI-OCRによる申請書の読取",
            "technology": "AI-OCR",
            "business_area": "会計事務",
            "expense_kind": "導入・構築",
            "amount": "1,200,000",
        },
        {
            "item_id": "2",
            "description": "住民記録のRPA",
            "technology": "RPA",
            "business_area": "住民記録",
            "expense_kind": "導入・構築",
            "amount": 500000,
        },
        {
            "item_id": "3",
            "description": "共同調達のAI",
            "technology": "AI",
            "business_area": "議事録作成",
            "expense_kind": "研修",
            "amount": "300,000",
            "procurement": "共同",
            "agreement_id": "K1",
        },
        {
            "item_id": "4",
            "description": "金額の誤り",
            "technology": "AI",
            "business_area": "会計事務",
            "expense_kind": "導入・構築",
            "amount": "12.5",
        },
    ],
}

#: The same declaration with a licence fee whose year of introduction is not given: a row with a
#: warning (INTRODUCTION_YEAR_MISSING) beside an excluded one and an error.
WITH_WARNING: dict[str, Any] = {
    **DECLARATION,
    "items": [
        *DECLARATION["items"],
        {
            "item_id": "5",
            "description": "RPAのライセンス",
            "technology": "RPA",
            "business_area": "財務会計",
            "expense_kind": "利用料・ライセンス料",
            "amount": "858,000",
        },
    ],
}


def calc_json(path: Path) -> dict[str, Any]:
    """What ``tokko calc FILE --format json`` says of a file: the oracle of the server's answers."""
    from typer.testing import CliRunner

    from tokko.cli import app

    result = CliRunner().invoke(
        app, ["calc", str(path), "--format", "json"], env={"TOKKO_LANG": None, "TOKKO_RULES": None}
    )
    assert result.exit_code in (0, 1), result.output
    start = result.stdout.index("{")
    found: dict[str, Any] = json.loads(result.stdout[start : result.stdout.rindex("}") + 1])
    return found


def written(folder: Path, name: str, data: dict[str, Any]) -> Path:
    """``data`` as a JSON file in ``folder``."""
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
