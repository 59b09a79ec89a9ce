"""What the endpoints share: the server's services, the language of an answer, the query
parameters declared once, the problem answers for the OpenAPI document, and JSON and file
answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from tokko.messages import Lang, pair
from tokko.serve.config import ServeConfig
from tokko.serve.lang import negotiate
from tokko.serve.live import LiveRules
from tokko.serve.problems import MEDIA_TYPE, Failure

#: How many file computations (declaration files, batches) run at once, and how long a request
#: waits for its turn before it is told to come back (503).
HEAVY_AT_ONCE = 2
HEAVY_WAIT_SECONDS = 60

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


@dataclass
class Services:
    """What the endpoints use: the settings, the rules in force, the turns of heavy work."""

    config: ServeConfig
    live: LiveRules
    heavy: threading.BoundedSemaphore

    @contextmanager
    def turn(self) -> Iterator[None]:
        """A turn for a file computation; 503 (come back later) when none frees in time."""
        if not self.heavy.acquire(timeout=HEAVY_WAIT_SECONDS):
            raise Failure("busy", pair("serve.detail.busy"), headers={"retry-after": "30"})
        try:
            yield
        finally:
            self.heavy.release()


def services(request: Request) -> Services:
    found: Services = request.app.state.tokko
    return found


def language(
    request: Request,
    lang: Annotated[
        Literal["ja", "en"] | None,
        Query(
            description="language of the messages: ja or en (default: Accept-Language, else ja)",
        ),
    ] = None,
) -> Lang:
    """The language of the answer: ``?lang=``, else ``Accept-Language``, else ja."""
    return negotiate(lang, request.headers.get("accept-language"))


LangDep = Annotated[Lang, Depends(language)]
UnitQuery = Annotated[
    Literal["yen", "thousand"],
    Query(description="unit of the amounts: yen (円) or thousand (千円)"),
]
ExplainQuery = Annotated[
    bool,
    Query(description="add each item's explanation (the steps with their rule keys and sources)"),
]
SheetQuery = Annotated[
    str | None, Query(description="sheet of an XLSX file (default: the first)", max_length=200)
]
IgnoreQuery = Annotated[
    list[str] | None, Query(description="a column to leave out of the computation (repeatable)")
]
EncodingQuery = Annotated[
    Literal["utf-8", "cp932"],
    Query(description="encoding of CSV output: utf-8 (with BOM) or cp932 (Shift_JIS)"),
]
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problems_doc(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem answers of an endpoint, for the OpenAPI document."""
    words = {
        400: "Bad request (problem JSON)",
        401: "Bearer token missing or wrong",
        404: "Not found",
        413: "Request too large",
        415: "Unsupported media type",
        422: "Request refused (problem JSON, with the codes of the values refused)",
        500: "Internal error (a reference to give the administrator)",
        503: "Busy: come back after Retry-After seconds",
    }
    return {
        s: {"description": words[s], "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}
        for s in (*statuses, 401, 500)
    }


def json_body_doc(schema: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


def unit_factor(unit: str) -> int:
    return 1000 if unit == "thousand" else 1


def json_response(text: str) -> Response:
    return Response(text.encode("utf-8"), media_type="application/json")


def download(data: bytes, media_type: str, name: str) -> Response:
    """A file to save: its name as ``filename*`` (UTF-8), and an ASCII one for old clients."""
    plain = name if name.isascii() and name.isprintable() else "tokko" + name[name.rfind("-") :]
    ascii_name = "".join(ch for ch in plain if ch.isascii() and ch not in '"\\;') or "tokko"
    return Response(
        data,
        media_type=media_type,
        headers={
            "content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        },
    )
