"""The ASGI layer around the application: safe by default, whatever the route.

For every HTTP request, :class:`Guard`

- refuses a body over the limit — at once when ``Content-Length`` says so, else as soon as the
  bytes received pass it (413; the rest is never read);
- requires ``Authorization: Bearer <token>`` on ``/api/`` when the server has a token (401);
- adds the security headers to every response: a Content-Security-Policy that allows scripts,
  styles and connections from the server itself only (no inline script, no CDN), ``nosniff``,
  frames denied, no referrer; ``Cache-Control: no-store`` on the API;
- answers an exception nobody handled with a generic 500 problem carrying a reference, and logs
  the traceback under that reference — no traceback or path ever reaches a response;
- logs one line per request: client, method, path, status, bytes sent, milliseconds.

It is a plain ASGI middleware (no per-request task or body copy), so that it costs little on the
hot path of ``/api/v1/calculate``.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tokko.messages import pair
from tokko.serve import problems
from tokko.serve.lang import of_scope

log = logging.getLogger("tokko.serve")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]
NO_STORE = (b"cache-control", b"no-store")
#: Set in the scope by the application's own 500 handler, which answered and logged already.
REPORTED = "tokko.reported"


class TooLarge(HTTPException):
    """The body passed the limit while it was read (FastAPI passes HTTPExceptions on as they
    are, so the answer is a 413 problem, not a 400)."""

    def __init__(self, limit_mb: int) -> None:
        super().__init__(413, f"the request body is over {limit_mb} MiB")
        self.limit_mb = limit_mb


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


class Guard:
    """Size limit, bearer token, security headers, crash answer and access log."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, token: str | None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.limit_mb = max(1, max_body_bytes // (1024 * 1024))
        self.token = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope["path"]
        api = path.startswith("/api/")
        state: dict[str, Any] = {"status": 0, "sent": 0, "started": False, "received": 0}

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if api:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                state["sent"] += len(message.get("body", b""))
            await send(message)

        async def receive_counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body_bytes:
                    raise TooLarge(self.limit_mb)
            return message

        try:
            refusal = self._refusal(scope, api)
            if refusal is not None:
                await self._answer(scope, send_guarded, *refusal)
            else:
                await self.app(scope, receive_counted, send_guarded)
        except TooLarge:
            if not state["started"]:
                await self._answer(
                    scope,
                    send_guarded,
                    "too-large",
                    pair("serve.detail.too_large", limit=self.limit_mb),
                    None,
                )
        except Exception:
            if scope.get(REPORTED):
                return
            reference = secrets.token_hex(6)
            log.exception(
                "unhandled error, reference %s: %s %s", reference, scope.get("method"), path
            )
            if not state["started"]:
                await self._answer(
                    scope,
                    send_guarded,
                    "internal",
                    pair("serve.detail.internal", reference=reference),
                    None,
                )
        finally:
            client = scope.get("client")
            log.info(
                '%s "%s %s" %s %dB %.1fms',
                client[0] if client else "-",
                scope.get("method"),
                path,
                state["status"],
                state["sent"],
                (time.perf_counter() - started) * 1000,
            )

    def _refusal(self, scope: Scope, api: bool) -> tuple[str, Any, dict[str, str] | None] | None:
        """A request refused before the application sees it: no token, or a declared body
        over the limit."""
        if api and self.token is not None:
            given = _header(scope, b"authorization") or b""
            if not hmac.compare_digest(given, self.token):
                return (
                    "unauthorized",
                    pair("serve.detail.unauthorized"),
                    {"www-authenticate": 'Bearer realm="tokko"'},
                )
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return ("bad-request", pair("serve.detail.content_length"), None)
            if declared > self.max_body_bytes:
                return ("too-large", pair("serve.detail.too_large", limit=self.limit_mb), None)
        return None

    async def _answer(
        self, scope: Scope, send: Send, kind: str, detail: Any, headers: dict[str, str] | None
    ) -> None:
        lang = of_scope(scope.get("query_string", b""), scope["headers"])
        body = problems.encode(problems.document(kind, detail, lang, instance=scope["path"]))
        raw = [
            (b"content-type", problems.MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
        if kind == "too-large":
            raw.append((b"connection", b"close"))
        await send(
            {"type": "http.response.start", "status": problems.KINDS[kind][0], "headers": raw}
        )
        await send({"type": "http.response.body", "body": body})
