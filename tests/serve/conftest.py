"""Shared set-up of the server's tests: an application per configuration, driven through the
ASGI test client (no socket), and a temporary folder watched for what a request leaves behind."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="tokko serve needs its extra: pip install 'tokko[serve]'")
pytest.importorskip("python_multipart", reason="tokko serve needs python-multipart ('tokko[serve]')")
pytest.importorskip("httpx", reason="the API tests need httpx for the ASGI test client")

with warnings.catch_warnings():  # starlette prefers httpx2 where it exists; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tokko.serve import ServeConfig, create_app  # noqa: E402

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


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """A test client of a server made with the given ServeConfig settings."""
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        client = TestClient(create_app(ServeConfig(**settings)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of a server with the default settings (shipped rules, no token)."""
    return make_client()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder every temporary file of the process goes to during the test (uploads spooled
    by the multipart parser, the request's own folder), so that a test can see it empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
