"""The JSON API under ``/api/v1/`` and ``/healthz``: each endpoint reads its request, makes one
library call and answers with the library's models — or with a problem
(:mod:`tokko.serve.problems`).

- ``POST /api/v1/calculate`` — a declaration (SPEC §3 JSON) → the result (SPEC §6 JSON);
- ``POST /api/v1/check`` — one expense → its item result, explanation and adjustment;
- ``GET /api/v1/rules``, ``GET /api/v1/rules/{version}``, ``GET /api/v1/codes?q=``,
  ``GET /healthz``.

The uploads (a declaration file, a batch, the template) are in :mod:`tokko.serve.files`.
Messages are in the language of ``?lang=`` or ``Accept-Language`` (Japanese by default). Rows
that cannot be computed are part of the answer (``Result.errors``), as on the command line.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from tokko._version import __version__
from tokko.engine.calculate import KeyReader, calculate, check
from tokko.messages import Lang, pair
from tokko.model.declaration import ROW_FIELDS
from tokko.model.localgov import lookup, search
from tokko.model.problem import InvalidValue
from tokko.model.result import CheckResult, Result
from tokko.model.text import fold
from tokko.rules.ruleset import RuleSet, RuleVersion, rule_values
from tokko.rules.schema import RuleFile
from tokko.serve.bodies import json_body
from tokko.serve.deps import (
    ExplainQuery,
    LangDep,
    UnitQuery,
    json_body_doc,
    json_response,
    problems_doc,
    services,
    unit_factor,
)
from tokko.serve.models import (
    CodesResult,
    Government,
    Health,
    RuleInfo,
)
from tokko.serve.problems import Failure, failure, from_structure, problem_errors

#: Bodies up to this size are computed at once; larger ones in a worker thread, so that the
#: server keeps answering while it computes them.
INLINE_BYTES = 256 * 1024
_AGREEMENT_KEYS = ("agreement_parties", "agreement_concluded_on", "parties", "concluded_on")

router = APIRouter()


# ── calculate ──────────────────────────────────────────────────────────────────────────────


def _calculate(data: Any, rules: RuleSet, explain: bool, lang: Lang, unit: int) -> Result:
    try:
        return calculate(data, rules, explain=explain, lang=lang, unit=unit)
    except PydanticValidationError as error:
        raise from_structure(error) from None


@router.post(
    "/api/v1/calculate",
    operation_id="calculate",
    tags=["calculate"],
    response_model=Result,
    summary="Compute one declaration",
    responses=problems_doc(400, 413, 415, 422),
    openapi_extra=json_body_doc("Declaration"),
    description="A declaration (SPEC §3: entity_code, fiscal_year, items, agreements, "
    "optional fiscal_strength_index) → the result (SPEC §6). An item that cannot be "
    "computed is an error row of the result (200), as `tokko calc` reports it; a "
    "body that is not a declaration at all is a problem (422).",
)
async def calculate_endpoint(
    request: Request, lang: LangDep, explain: ExplainQuery = False, unit: UnitQuery = "yen"
) -> Response:
    data, size = await json_body(request)
    rules = services(request).live.current()
    factor = unit_factor(unit)
    if size > INLINE_BYTES:
        result = await run_in_threadpool(_calculate, data, rules, explain, lang, factor)
    else:
        result = _calculate(data, rules, explain, lang, factor)
    return json_response(result.model_dump_json())


# ── check ──────────────────────────────────────────────────────────────────────────────────


@router.post(
    "/api/v1/check",
    operation_id="check",
    tags=["check"],
    response_model=CheckResult,
    summary="Check one expense",
    responses=problems_doc(400, 413, 415, 422),
    openapi_extra=json_body_doc("CheckRequest"),
    description="One expense with its fiscal year (and, for the joint rate, the agreement's "
    "parties) → eligible or not, the rate, the amount, the reasons with the rule "
    "keys and sources (the item's explanation), and the fiscal-strength adjustment "
    "(`tokko check --format json`). A value that cannot be read makes the item an "
    "error (status error, its codes in item.errors) — not a problem; a key that "
    "names no field is a problem (422, code UNKNOWN_COLUMN).",
)
async def check_endpoint(request: Request, lang: LangDep, unit: UnitQuery = "yen") -> Response:
    data, _ = await json_body(request)
    if not isinstance(data, dict):
        raise failure("invalid-request", "serve.detail.not_an_object")
    keys = KeyReader(ROW_FIELDS)
    keys.read({k: v for k, v in data.items() if k not in _AGREEMENT_KEYS}, None)
    if keys.problems:
        raise Failure(
            "invalid-request",
            pair("serve.detail.unknown_keys", n=len(keys.problems)),
            errors=problem_errors(keys.problems),
        )
    rules = services(request).live.current()
    checked = check(data, rules=rules, unit=unit_factor(unit))
    answer = checked.answer(lang)
    return json_response(answer.model_dump_json())


# ── rules, codes, health ───────────────────────────────────────────────────────────────────


def rule_info(version: RuleVersion) -> RuleInfo:
    measure = version.file.measure
    ref = version.ref()
    return RuleInfo(
        measure=version.measure,
        version=version.version,
        path=version.path,
        sha256=version.sha256,
        name_ja=measure.name_ja,
        name_en=measure.name_en,
        effective_from=measure.effective_from,
        effective_until=version.until,
        confirmed_through=measure.confirmed_through,
        sources=ref.sources,
    )


@router.get(
    "/api/v1/rules",
    operation_id="listRules",
    tags=["rules"],
    response_model=list[RuleInfo],
    summary="List the rule versions in force",
    responses=problems_doc(),
    description="Every rule version of the rules folder the server reads, with the "
    "fiscal years it covers, the SHA-256 of its bytes and its sources "
    "(`tokko rules list`).",
)
def rules_endpoint(request: Request) -> list[RuleInfo]:
    return [rule_info(v) for v in services(request).live.current()]


@router.get(
    "/api/v1/rules/{version}",
    operation_id="getRule",
    tags=["rules"],
    response_model=RuleFile,
    summary="Show one rule version in full",
    responses=problems_doc(404, 422),
    description="One rule version (`2021.2`, or its file's stem `2021`) in full, each "
    "value with its source and note (`tokko rules show --format json`).",
)
def rule_endpoint(request: Request, version: str, lang: LangDep) -> Response:
    rules = services(request).live.current()
    try:
        chosen = rules.get(version)
    except KeyError:
        known = ", ".join(f"{v.version} ({v.path})" for v in rules)
        raise failure("not-found", "unknown_version", version=version, known=known) from None
    return json_response(json.dumps(rule_values(chosen), ensure_ascii=False))


def _government(found: Any) -> Government:
    return Government(
        code=found.code,
        name=found.name,
        prefecture=found.prefecture,
        city=found.city,
        kind=str(found.kind.value),
        kana=fold(found.city_kana or found.prefecture_kana),
    )


@router.get(
    "/api/v1/codes",
    operation_id="searchCodes",
    tags=["codes"],
    response_model=CodesResult,
    summary="Find a local government",
    responses=problems_doc(422),
    description="Local governments by part of a name (kanji or kana) or by a 5- or "
    "6-digit code (`tokko codes`).",
)
def codes_endpoint(
    lang: LangDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=100, description="part of a name (kanji or kana) or a code"),
    ],
    limit: Annotated[int, Query(ge=1, le=200, description="how many to list at most")] = 20,
) -> CodesResult:
    found = search(q)
    message = None
    if not found and fold(q).strip().isdigit():
        try:
            lookup(fold(q).strip())
        except InvalidValue as error:
            message = error.problem.message(lang)
    return CodesResult(
        query=q,
        governments=[_government(g) for g in found[:limit]],
        more=max(0, len(found) - limit),
        message=message,
    )


@router.get(
    "/healthz",
    operation_id="health",
    tags=["health"],
    response_model=Health,
    summary="Whether the server is up, and its rules",
    responses={500: problems_doc()[500]},
    description="Open without a token, for a monitor; `status` is degraded while a "
    "change of the rule files is refused (the rules before stay in force).",
)
def health_endpoint(request: Request) -> Health:
    live = services(request).live
    rules = live.current()
    refused = live.refused
    return Health(
        status="degraded" if refused else "ok",
        tokko_version=__version__,
        rules=[f"{v.measure} {v.version} {v.sha256}" for v in rules],
        rules_refused=refused,
    )
