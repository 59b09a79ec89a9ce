"""The language of a response: ``?lang=ja|en`` first, else ``Accept-Language``, else Japanese."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from tokko.messages import Lang


def _tag(text: str) -> Lang | None:
    code = text.strip().lower()
    if code.startswith("ja"):
        return "ja"
    if code.startswith("en"):
        return "en"
    return None


def accepted(header: str | None) -> Lang:
    """The first of ja and en by the quality ``Accept-Language`` gives them; ja when neither."""
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.partition(";")
        lang = _tag(tag)
        if lang is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if best is None or (-quality, position) < (-best[0], best[1]):
            best = (quality, position, lang)
    return best[2] if best else "ja"


def negotiate(query: str | None, header: str | None) -> Lang:
    """``?lang=`` when it names ja or en, else ``Accept-Language``."""
    return (_tag(query) if query else None) or accepted(header)


def of_scope(query_string: bytes, headers: Iterable[tuple[bytes, bytes]]) -> Lang:
    """The language of a raw ASGI request (for the answers the middleware gives itself)."""
    query = next((v for k, v in parse_qsl(query_string.decode("latin-1")) if k == "lang"), None)
    header = next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None)
    return negotiate(query, header)
