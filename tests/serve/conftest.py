"""Shared set-up of the server's tests: an application per configuration, driven through the
ASGI test client (no socket), and a temporary folder watched for what a request leaves behind."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    with warnings.catch_warnings():  # starlette prefers httpx2 where it exists; httpx works alike
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from tokko.serve import ServeConfig, create_app
except (ImportError, RuntimeError):  # the extra is missing: each module skips, saying so
    pass


@pytest.fixture
def make_client() -> Iterator[Callable[..., Any]]:
    """A test client of a server made with the given ServeConfig settings."""
    clients: list[Any] = []

    def make(**settings: Any) -> Any:
        client = TestClient(create_app(ServeConfig(**settings)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., Any]) -> Any:
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
