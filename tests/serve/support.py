"""What the server's tests share: the repository's examples and a declaration to post."""

from __future__ import annotations

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
    "agreements": [{"agreement_id": "K1", "concluded_on": "2021-06-01",
                    "parties": ["010006", "011002"]}],
    "items": [
        {"item_id": "1", "description": "AI-OCRによる申請書の読取", "technology": "AI-OCR",
         "business_area": "会計事務", "expense_kind": "導入・構築", "amount": "1,200,000"},
        {"item_id": "2", "description": "住民記録のRPA", "technology": "RPA",
         "business_area": "住民記録", "expense_kind": "導入・構築", "amount": 500000},
        {"item_id": "3", "description": "共同調達のAI", "technology": "AI",
         "business_area": "議事録作成", "expense_kind": "研修", "amount": "300,000",
         "procurement": "共同", "agreement_id": "K1"},
        {"item_id": "4", "description": "金額の誤り", "technology": "AI",
         "business_area": "会計事務", "expense_kind": "導入・構築", "amount": "12.5"},
    ],
}
