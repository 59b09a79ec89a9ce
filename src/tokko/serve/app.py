"""The application: the API, the web page, the API's documentation page, and every refusal as a
problem — assembled by :func:`create_app` and wrapped in the :class:`~tokko.serve.guard.Guard`.

The OpenAPI document (``/openapi.json``) names every operation (``operationId``), describes
every answer, refusals included (``application/problem+json``), and takes the request bodies'
schemas from the library's own models (the declaration, the check's fields), so that a client
can be generated from it (Java, .NET…).
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from tokko._version import __version__
from tokko.errors import InputFileError, UsageError
from tokko.messages import Msg, pair
from tokko.model.declaration import Declaration
from tokko.serve import api, files, page, problems
from tokko.serve.config import ServeConfig
from tokko.serve.deps import HEAVY_AT_ONCE, Services
from tokko.serve.guard import REPORTED, Guard, TooLarge
from tokko.serve.lang import negotiate
from tokko.serve.live import LiveRules
from tokko.serve.models import check_request_schema

log = logging.getLogger("tokko.serve")

DESCRIPTION = """\
The special allocation tax measure (特別交付税措置) for AI and RPA expenses, computed by tokko
from versioned rule files — for budgeting and financial-accounting systems.

* Messages are in Japanese by default: `?lang=en` or `Accept-Language: en` for English.
* Amounts are decimal strings in answers; in requests whole yen as JSON integers or strings
  (`"1,234,567"`), never fractional numbers.
* An item that cannot be computed is part of the result (`errors`), with its row, column, code
  and message, as `tokko calc` reports it; a request that cannot be served at all is answered
  with RFC 9457 problem JSON (`application/problem+json`) carrying tokko's `code` and the
  message in both languages (`messages.ja`, `messages.en`).
"""


def _answer(request: Request, failure: problems.Failure) -> Response:
    lang = negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))
    document = problems.document(
        failure.kind,
        failure.detail,
        lang,
        instance=request.url.path,
        errors=failure.errors,
        reason=failure.reason,
    )
    return Response(
        problems.encode(document),
        status_code=document.status,
        media_type=problems.MEDIA_TYPE,
        headers=failure.headers,
    )


def _http_failure(request: Request, error: HTTPException) -> problems.Failure:
    kind = problems.kind_of_status(error.status_code)
    path = request.url.path
    detail: Msg
    if isinstance(error, TooLarge):
        detail = pair("serve.detail.too_large", limit=error.limit_mb)
    elif error.status_code == 404:
        detail = pair("serve.detail.not_found", path=path)
    elif error.status_code == 405:
        detail = pair("serve.detail.method", method=request.method, path=path)
    elif error.status_code < 500:
        detail = pair("serve.detail.unreadable_body")
    else:
        detail = pair("serve.detail.internal", reference="-")
    return problems.Failure(kind, detail, headers=dict(error.headers or {}))


def _install_handlers(app: FastAPI) -> None:
    async def on_failure(request: Request, error: Exception) -> Response:
        assert isinstance(error, problems.Failure)
        return _answer(request, error)

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return _answer(request, _http_failure(request, error))

    async def on_validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return _answer(request, problems.from_request(list(error.errors())))

    async def on_input_file(request: Request, error: Exception) -> Response:
        assert isinstance(error, InputFileError)
        return _answer(request, problems.from_input_file(error, lambda text: text))

    async def on_usage(request: Request, error: Exception) -> Response:
        assert isinstance(error, UsageError)
        return _answer(request, problems.from_usage(error))

    async def on_crash(request: Request, error: Exception) -> Response:
        reference = secrets.token_hex(6)
        log.error(
            "unhandled error, reference %s: %s %s",
            reference,
            request.method,
            request.url.path,
            exc_info=error,
        )
        request.scope[REPORTED] = True  # the guard, seeing it again, logs it no more
        return _answer(
            request,
            problems.Failure("internal", pair("serve.detail.internal", reference=reference)),
        )

    app.add_exception_handler(problems.Failure, on_failure)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(InputFileError, on_input_file)
    app.add_exception_handler(UsageError, on_usage)
    app.add_exception_handler(Exception, on_crash)


def _binary(node: Any) -> None:
    """Uploads as ``type: string, format: binary`` (what client generators read), wherever the
    document says ``contentMediaType`` instead."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "contentMediaType" in node:
            node.pop("contentMediaType")
            node["format"] = "binary"
        for value in node.values():
            _binary(value)
    elif isinstance(node, list):
        for value in node:
            _binary(value)


def openapi_document(app: FastAPI, token: bool) -> dict[str, Any]:
    """The OpenAPI document: FastAPI's, with the request bodies' schemas of the library's
    models, the problem schema, and the bearer scheme when the server has a token."""
    document = get_openapi(
        title="tokko",
        version=__version__,
        description=DESCRIPTION,
        routes=app.routes,
        tags=[
            {"name": "calculate", "description": "declarations"},
            {"name": "check", "description": "one expense"},
            {"name": "batch", "description": "a prefecture's review"},
            {"name": "rules", "description": "the rule versions"},
            {"name": "codes", "description": "local governments"},
            {"name": "health", "description": "for monitors"},
        ],
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _, found = models_json_schema(
        [(Declaration, "validation"), (problems.ProblemDetails, "validation")],
        ref_template="#/components/schemas/{model}",
    )
    defined = found.get("$defs", {})
    defined["Problem"] = defined.pop("ProblemDetails")
    for name, schema in defined.items():
        schemas.setdefault(name, schema)
    schemas["CheckRequest"] = check_request_schema()
    if token:
        document["components"]["securitySchemes"] = {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "the token given to tokko serve --token",
            }
        }
        for path, operations in document["paths"].items():
            if path.startswith("/api/"):
                for operation in operations.values():
                    operation["security"] = [{"bearer": []}]
    _binary(document)
    return document


def create_app(config: ServeConfig | None = None, *, live: LiveRules | None = None) -> ASGIApp:
    """The tokko server for ``config``: the API, the page and the docs, behind the guard.

    The rules are loaded now (a refused rules folder raises
    :class:`~tokko.errors.RuleFileError` before anything listens).
    """
    settings = config or ServeConfig()
    rules = live or LiveRules(settings.rules_dir, settings.measure, settings.rules_check_seconds)
    app = FastAPI(
        title="tokko",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        description=DESCRIPTION,
    )
    app.state.tokko = Services(settings, rules, threading.BoundedSemaphore(HEAVY_AT_ONCE))
    app.include_router(api.router)
    app.include_router(files.router)
    page.install(app, token_required=settings.token is not None)
    _install_handlers(app)
    cached: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        document: dict[str, Any] | None = cached.get("document")
        if document is None:
            document = cached["document"] = openapi_document(app, settings.token is not None)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
    return Guard(app, max_body_bytes=settings.max_body_bytes, token=settings.token)
