"""JSON request bodies, read with the limits the library puts on a JSON file
(:func:`tokko.io.inputs.load_json`): UTF-8, no key twice in one object, at most ``MAX_DEPTH``
levels, integers of more than 64 digits read as too large — a refusal is a 400 problem, never a
traceback."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fastapi import Request

from tokko.io.inputs import MAX_DEPTH
from tokko.serve.problems import failure


class _Twice(ValueError):  # noqa: N818 — signals a repeated key inside this module
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Twice(key)
        found[key] = value
    return found


def _integer(text: str) -> int | Decimal:
    return int(text) if len(text) <= 64 else Decimal(text)


def _too_deep(value: object) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def read_json(raw: bytes) -> Any:
    """A JSON document with the limits :func:`tokko.io.inputs.load_json` puts on a file: UTF-8,
    no key twice in one object, at most ``MAX_DEPTH`` levels, integers of more than 64 digits
    read as too large (never a traceback)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise failure("bad-request", "serve.detail.json_encoding", at=error.start) from None
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=_integer)
    except _Twice as twice:
        raise failure("bad-request", "file.json_key_twice", key=twice.key) from None
    except json.JSONDecodeError as error:
        raise failure("bad-request", "file.json_invalid", line=error.lineno,
                      column=error.colno, reason=error.msg) from None
    except (ValueError, RecursionError) as error:
        raise failure("bad-request", "file.json_invalid", line="?", column="?",
                      reason=str(error)[:200]) from None
    # No nesting deeper than its brackets: most bodies need no walk (bytes.count is cheap).
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _too_deep(data):
        raise failure("bad-request", "file.json_too_deep", limit=MAX_DEPTH)
    return data


async def json_body(request: Request) -> tuple[Any, int]:
    """The request's JSON document and its size in bytes (415 unless it says it is JSON)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise failure("unsupported-media-type", "serve.detail.json_content_type")
    raw = await request.body()
    return read_json(raw), len(raw)
