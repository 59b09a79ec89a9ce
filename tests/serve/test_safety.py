"""Safe by default: size limits, the bearer token, security headers, no traceback or path in any
answer, nothing left on disk, uploaded names never used as paths."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.serve.support import DECLARATION, EXAMPLES, NEEDS_SERVE

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

from fastapi import FastAPI
from starlette.testclient import TestClient

from tokko.serve import ServeConfig, create_app
from tokko.serve.guard import Guard

PROBLEM = "application/problem+json"
MiB = 1024 * 1024


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


# ── headers ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/docs",
        "/static/app.js",
        "/healthz",
        "/api/v1/rules",
        "/openapi.json",
        "/api/v1/missing",
    ],
)
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    """CSP without inline scripts or other origins, nosniff, frames denied, no referrer."""
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy  # no CDN, no other origin
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_api_answers_are_not_cached(client: TestClient) -> None:
    """The API's answers say no-store (a shared proxy keeps no declaration)."""
    assert client.get("/api/v1/rules").headers["cache-control"] == "no-store"


# ── size limits ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("lang", "words"), [("ja", "1 MB まで"), ("en", "at most 1 MB")])
def test_a_body_over_the_limit_is_refused_by_its_length(
    make_client: Callable[..., TestClient], lang: str, words: str
) -> None:
    """A declared Content-Length over --max-upload-mb: 413 before anything is read."""
    client = make_client(max_upload_mb=1)
    response = client.post(
        f"/api/v1/calculate?lang={lang}",
        content=b" " * (MiB + 1),
        headers={"content-type": "application/json"},
    )
    problem = _problem(response, 413, "TOO_LARGE")
    assert words in problem["detail"]
    assert "--max-upload-mb" in problem["messages"]["ja"]


def test_a_streamed_body_over_the_limit_is_refused_as_it_comes(
    make_client: Callable[..., TestClient],
) -> None:
    """A body without Content-Length (chunked) is counted as it arrives: 413 past the limit."""
    client = make_client(max_upload_mb=1)

    def chunks() -> Iterator[bytes]:
        for _ in range(4):
            yield b" " * (MiB // 2)

    response = client.post(
        "/api/v1/calculate", content=chunks(), headers={"content-type": "application/json"}
    )
    _problem(response, 413, "TOO_LARGE")


def test_an_upload_over_the_limit_is_refused(make_client: Callable[..., TestClient]) -> None:
    """A multipart upload over the limit: 413 (not a 400 'cannot parse')."""
    client = make_client(max_upload_mb=1)
    response = client.post("/api/v1/calculate/file", files={"file": ("big.csv", b"a," * MiB)})
    _problem(response, 413, "TOO_LARGE")


def test_a_body_within_the_limit_passes(make_client: Callable[..., TestClient]) -> None:
    """The limit refuses only what is over it."""
    client = make_client(max_upload_mb=1)
    assert client.post("/api/v1/calculate", json=DECLARATION).status_code == 200


# ── the token ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("given", [None, "Bearer wrong", "s3cret", "Basic czNjcmV0"])
def test_with_a_token_the_api_wants_the_bearer(
    make_client: Callable[..., TestClient], given: str | None
) -> None:
    """--token: the API answers 401 (with WWW-Authenticate) without the right bearer token."""
    client = make_client(token="s3cret")
    headers = {"Authorization": given} if given else {}
    response = client.get("/api/v1/rules?lang=en", headers=headers)
    problem = _problem(response, 401, "UNAUTHORIZED")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in problem["detail"]


def test_with_a_token_the_right_bearer_passes(make_client: Callable[..., TestClient]) -> None:
    """The right bearer token opens the API; the page, docs and /healthz stay open."""
    client = make_client(token="s3cret")
    assert (
        client.get("/api/v1/rules", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    )
    for path in ("/", "/docs", "/healthz", "/openapi.json", "/static/common.js"):
        assert client.get(path).status_code == 200, path
    page = client.get("/").text
    assert 'data-token-required="true"' in page


def test_without_a_token_the_page_asks_for_none(client: TestClient) -> None:
    """No --token: the page does not ask for one."""
    assert 'data-token-required="false"' in client.get("/").text


# ── no traceback, no path ──────────────────────────────────────────────────────────────────


def _crashing_client() -> TestClient:
    guard = create_app(ServeConfig())
    assert isinstance(guard, Guard)
    inner = guard.app
    assert isinstance(inner, FastAPI)

    def boom() -> None:
        raise RuntimeError("secret detail at /srv/tokko/internal.py")

    inner.add_api_route("/api/v1/boom", boom)
    return TestClient(guard, raise_server_exceptions=False)


def test_an_unexpected_error_is_a_generic_500_with_a_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception nobody handled: a 500 problem with a reference, no traceback, no path, no
    detail of the exception; the log has the traceback under that reference."""
    caplog.set_level(logging.INFO, logger="tokko.serve")
    with _crashing_client() as client:
        response = client.get("/api/v1/boom?lang=en")
    problem = _problem(response, 500, "INTERNAL_ERROR")
    for leak in ("Traceback", "secret", "/srv/", "RuntimeError", ".py"):
        assert leak not in response.text
    reference = problem["detail"].rsplit(" ", 1)[-1]
    assert reference in problem["messages"]["ja"]
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert reference in logged
    assert any(r.exc_info for r in caplog.records)


def test_one_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    """Each request logs one line: client, method, path, status, bytes, milliseconds."""
    caplog.set_level(logging.INFO, logger="tokko.serve")
    client.get("/healthz")
    client.post("/api/v1/calculate", json=DECLARATION)
    lines = [r.getMessage() for r in caplog.records if r.name == "tokko.serve"]
    assert len(lines) == 2
    assert '"GET /healthz" 200' in lines[0]
    assert '"POST /api/v1/calculate" 200' in lines[1]
    assert lines[1].endswith("ms")


def test_problems_never_show_a_path_of_the_server(client: TestClient, scratch: Path) -> None:
    """Refusals of uploaded files name the upload, never the folder the server copied it to."""
    answers = [
        client.post("/api/v1/calculate/file", files={"file": ("壊れた.xlsx", b"not a zip")}),
        client.post("/api/v1/calculate/file", files={"file": ("空.csv", b"")}),
        client.post("/api/v1/batch", files={"files": ("表.csv", b"a,b\n1,2\n")}),
        client.post(
            "/api/v1/calculate/file",
            files={
                "file": ("申告.json", (EXAMPLES / "town-single.json").read_bytes()),
                "agreements": ("協定.xlsx", b"PK\x03\x04broken"),
            },
        ),
    ]
    for response in answers:
        assert response.status_code == 422, response.text
        for leak in (str(scratch), "tokko-serve-", "/tmp", "Traceback"):
            assert leak not in response.text, (leak, response.text)
    assert answers[0].json()["detail"].startswith("壊れた.xlsx: ")
    assert answers[3].json()["detail"].startswith("協定.xlsx: ")


# ── nothing on disk, names never paths ─────────────────────────────────────────────────────


def test_nothing_is_left_on_disk_after_a_request(client: TestClient, scratch: Path) -> None:
    """Uploads, outputs and the request's folder are gone when the answer is sent, whether the
    request succeeded or was refused."""
    declaration = (EXAMPLES / "town-single.xlsx").read_bytes()
    big = b"x" * (3 * MiB)  # spooled to disk by the multipart parser
    client.post("/api/v1/calculate/file?format=xlsx", files={"file": ("a.xlsx", declaration)})
    client.post("/api/v1/calculate/file", files={"file": ("a.csv", big)})
    client.post(
        "/api/v1/batch?format=zip",
        files={
            "files": ("b.csv", (EXAMPLES / "prefecture-joint" / "declarations.csv").read_bytes())
        },
    )
    client.post("/api/v1/calculate/file", files={"file": ("c.exe", b"MZ")})
    assert list(scratch.iterdir()) == []


def test_an_uploaded_name_is_shown_never_used_as_a_path(
    client: TestClient, scratch: Path, tmp_path: Path
) -> None:
    """A name like ../../evil.json is cleaned to evil.json for display; nothing is written
    under it, in the request's folder or above it."""
    content = (EXAMPLES / "town-single.json").read_bytes()
    for name in ("../../evil.json", "..\\..\\evil.json", "/etc/evil.json"):
        response = client.post("/api/v1/calculate/file", files={"file": (name, content)})
        assert response.json()["file"] == "evil.json"
    assert not list(tmp_path.rglob("evil.json"))
    assert not list(scratch.parent.parent.glob("evil.json"))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../x.csv", "x.csv"),
        ("C:\\Users\\a\\申告.csv", "申告.csv"),
        ("..", "declaration-1"),
        ("a\x00b\u202e.csv", "ab.csv"),
        ("", "declaration-1"),
        ("x" * 300 + ".csv", None),
    ],
)
def test_shown_names_are_cleaned(raw: str, shown: str | None) -> None:
    """An upload's name keeps its last part only, without control or format characters, at most
    120 characters; nothing left → a name of the server's."""
    from tokko.serve.jobs import shown_name

    name = shown_name(raw, "declaration-1")
    if shown is not None:
        assert name == shown
    assert len(name) <= 120
    assert "/" not in name
    assert "\\" not in name
