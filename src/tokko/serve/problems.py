"""Every refusal as RFC 9457 problem JSON (``application/problem+json``).

A problem carries the RFC's members — ``type`` (``urn:tokko:problem:<kind>``), ``title``,
``status``, ``detail``, ``instance`` — in the language of the request, and tokko's own: ``code``
(what kind of refusal, for programs), ``messages`` (the detail in Japanese *and* English, so a
log or a ticket can quote either), ``reason`` (the catalog id of the detail, where it has one)
and ``errors`` (each value refused, with the SPEC §4 code or pydantic's error type, where it is
and both languages' messages).

Rows that cannot be computed are *not* problems: ``/api/v1/calculate`` answers 200 with the rows
in ``Result.errors``, as ``tokko calc`` writes them. A problem means the request itself could not
be served. Nothing in a problem names a server path or shows a traceback: the detail is the
library's message about the user's input, with the uploaded file's own name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from tokko.errors import InputFileError, UsageError
from tokko.messages import Lang, Msg, has, pair, t
from tokko.model.problem import Problem

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:tokko:problem:"

#: kind → (HTTP status, code). The kind is the last part of ``type``; its title is the catalog's
#: ``serve.problem.<kind>``.
KINDS: Mapping[str, tuple[int, str]] = {
    "bad-request": (400, "BAD_REQUEST"),
    "usage": (400, "USAGE_ERROR"),
    "unauthorized": (401, "UNAUTHORIZED"),
    "not-found": (404, "NOT_FOUND"),
    "method-not-allowed": (405, "METHOD_NOT_ALLOWED"),
    "too-large": (413, "TOO_LARGE"),
    "unsupported-media-type": (415, "UNSUPPORTED_MEDIA_TYPE"),
    "invalid-request": (422, "INVALID_REQUEST"),
    "not-a-declaration": (422, "NOT_A_DECLARATION"),
    "unreadable-file": (422, "UNREADABLE_FILE"),
    "internal": (500, "INTERNAL_ERROR"),
    "busy": (503, "BUSY"),
}
_BY_STATUS = {status: kind for kind, (status, _) in KINDS.items()}


class Messages(BaseModel):
    """One message in both languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ja: str
    en: str


class ProblemError(BaseModel):
    """One value of the request that was refused: its code, where it is, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="SPEC §4 code (UNKNOWN_COLUMN…) or pydantic's error type")
    messages: Messages
    file: str | None = None
    row: int | None = None
    column: str | None = None
    location: list[str | int] | None = Field(
        default=None, description="where in the request (e.g. ['query', 'lang'])"
    )


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, with tokko's code and both languages' messages."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Problem")

    type: str = Field(description="urn:tokko:problem:<kind>")
    title: str = Field(description="the kind of problem, in the language of the request")
    status: int
    detail: str = Field(description="what was wrong, in the language of the request")
    instance: str | None = Field(default=None, description="the path requested")
    code: str = Field(description="tokko's code of the problem (BAD_REQUEST, UNREADABLE_FILE…)")
    messages: Messages = Field(description="the detail in Japanese and in English")
    reason: str | None = Field(
        default=None, description="the catalog id of the detail (file.too_large…)"
    )
    errors: list[ProblemError] = Field(default_factory=list)


class Failure(Exception):  # noqa: N818 — what the API raises to answer with a problem
    """Raised by the API to answer with a problem of ``kind``; ``detail`` in both languages."""

    def __init__(
        self,
        kind: str,
        detail: Msg,
        *,
        errors: Sequence[ProblemError] = (),
        reason: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{kind}: {detail.en}")
        self.kind = kind
        self.detail = detail
        self.errors = list(errors)
        self.reason = reason
        self.headers = dict(headers or {})


def failure(kind: str, detail_id: str, /, **params: object) -> Failure:
    """A Failure whose detail is the catalog entry ``detail_id``."""
    return Failure(kind, pair(detail_id, **params), reason=detail_id)


def kind_of_status(status: int) -> str:
    """The problem kind of an HTTP status (a 4xx without its own kind is a bad request)."""
    return _BY_STATUS.get(status, "internal" if status >= 500 else "bad-request")


def document(
    kind: str,
    detail: Msg,
    lang: Lang,
    *,
    instance: str | None = None,
    errors: Sequence[ProblemError] = (),
    reason: str | None = None,
) -> ProblemDetails:
    """The problem document of ``kind``."""
    status, code = KINDS[kind]
    return ProblemDetails(
        type=TYPE_PREFIX + kind,
        title=t(f"serve.problem.{kind}", lang),
        status=status,
        detail=detail.ja if lang == "ja" else detail.en,
        instance=instance,
        code=code,
        messages=Messages(ja=detail.ja, en=detail.en),
        reason=reason,
        errors=list(errors),
    )


def encode(problem: ProblemDetails) -> bytes:
    """The JSON of a problem (UTF-8, Japanese as it is)."""
    data = problem.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# ── from the library's exceptions ──────────────────────────────────────────────────────────


def from_input_file(error: InputFileError, shown: Callable[[str], str]) -> Failure:
    """A file that cannot be read at all (exit code 3 on the command line): 422, the message
    naming the file by the name it was uploaded with (``shown`` maps stored names back)."""
    detail = Msg(shown(error.message("ja")), shown(error.message("en")))
    return Failure("unreadable-file", detail, reason=error.detail if has(error.detail) else None)


def from_usage(error: UsageError) -> Failure:
    """A request whose parts contradict each other (exit code 2 on the command line)."""
    return Failure("usage", Msg(error.message("ja"), error.message("en")), reason=error.detail)


def _where(location: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in location) or "—"


def from_structure(error: PydanticValidationError) -> Failure:
    """A JSON document that is not a declaration at all (not an object, ``items`` not a list)."""
    found = error.errors()
    first = _where(list(found[0]["loc"])) if found else "—"
    errors = [
        ProblemError(
            code=e["type"],
            location=list(e["loc"]),
            messages=Messages(
                **pair("file.not_a_declaration", where=_where(list(e["loc"])))._asdict()
            ),
        )
        for e in found
    ]
    return Failure(
        "not-a-declaration",
        pair("file.not_a_declaration", where=first),
        errors=errors,
        reason="file.not_a_declaration",
    )


def _reason(error: Mapping[str, Any]) -> Msg:
    """Why FastAPI refused a value, in both languages: the catalog's words for the error types
    a request meets (a choice, a number, a length, a file), pydantic's own otherwise."""
    said = str(error.get("msg", ""))
    kind = str(error.get("type", ""))
    if kind == "value_error" and "UploadFile" in said:
        kind = "not_a_file"  # FastAPI's "Expected UploadFile, received: <class 'str'>"
    context = {name: str(value) for name, value in (error.get("ctx") or {}).items()}
    key = f"serve.reason.{kind}"
    if has(key):
        # pydantic lists a choice as "'yen' or 'thousand'"; Japanese lists it with commas
        listed = context.get("expected", "").replace(" or ", ", ")
        with suppress(KeyError):  # a context value the words need is missing: pydantic's
            return Msg(t(key, "ja", **{**context, "expected": listed}), t(key, "en", **context))
    return pair("serve.reason.other", reason=said)


def from_request(found: Sequence[Any]) -> Failure:
    """Query parameters, form fields or a body that do not validate (FastAPI's errors)."""
    errors = []
    for error in found:
        location = [p for p in error.get("loc", ()) if isinstance(p, str | int)]
        where = _where(location)
        reason = _reason(error)
        errors.append(
            ProblemError(
                code=str(error.get("type", "invalid")),
                location=location,
                messages=Messages(
                    ja=t("serve.detail.invalid_value", "ja", where=where, reason=reason.ja),
                    en=t("serve.detail.invalid_value", "en", where=where, reason=reason.en),
                ),
            )
        )
    detail = (
        errors[0].messages
        if len(errors) == 1
        else Messages(**pair("serve.detail.invalid_values", n=len(errors))._asdict())
    )
    return Failure("invalid-request", Msg(detail.ja, detail.en), errors=errors)


def problem_errors(problems: Sequence[Problem]) -> list[ProblemError]:
    """Problems of the engine (an unknown key…) as the ``errors`` of a problem document."""
    return [
        ProblemError(
            code=str(p.code),
            file=p.file,
            row=p.row,
            column=p.column,
            messages=Messages(ja=p.message("ja"), en=p.message("en")),
        )
        for p in problems
    ]
