"""JSON request bodies, read with the limits the library puts on a JSON file
(:func:`tokko.io.inputs.load_json`): UTF-8, no key twice in one object, at most ``MAX_DEPTH``
levels, integers of more than 64 digits read as too large — a refusal is a 400 problem, never a
traceback."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from tokko.errors import InputFileError
from tokko.io.inputs import loads_json
from tokko.serve.problems import failure


def read_json(raw: bytes) -> Any:
    """A JSON document with the limits :func:`tokko.io.inputs.loads_json` puts on a file:
    UTF-8, no key twice in one object, at most ``MAX_DEPTH`` levels, integers of more than 64
    digits read as too large — a refusal is a 400 problem, never a traceback."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise failure("bad-request", "serve.detail.json_encoding", at=error.start) from None
    try:
        return loads_json(text, "")
    except InputFileError as error:
        raise failure("bad-request", error.detail, **error.params) from None


async def json_body(request: Request) -> tuple[Any, int]:
    """The request's JSON document and its size in bytes (415 unless it says it is JSON)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise failure("unsupported-media-type", "serve.detail.json_content_type")
    raw = await request.body()
    return read_json(raw), len(raw)
