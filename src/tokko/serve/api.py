"""The JSON API under ``/api/v1/`` and ``/healthz``: each endpoint reads its request, makes one
library call and answers with the library's models — or with a problem
(:mod:`tokko.serve.problems`).

- ``POST /api/v1/calculate`` — a declaration (SPEC §3 JSON) → the result (SPEC §6 JSON);
- ``POST /api/v1/calculate/file`` — an uploaded declaration (CSV, XLSX or JSON) → the result
  with its rows' words, or the results as XLSX or CSV (what ``tokko calc`` writes);
- ``POST /api/v1/check`` — one expense → its item result, explanation and adjustment;
- ``POST /api/v1/batch`` — uploaded tables (and agreements, fiscal strength indices) → results,
  summary and errors as one XLSX, a zip of the three CSVs, or a JSON summary;
- ``GET /api/v1/rules``, ``GET /api/v1/rules/{version}``, ``GET /api/v1/codes?q=``,
  ``GET /healthz``.

Messages are in the language of ``?lang=`` or ``Accept-Language`` (Japanese by default). Rows
that cannot be computed are part of the answer (``Result.errors``), as on the command line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from tokko._version import __version__
from tokko.batch import run_batch
from tokko.cli.calc import Computed, _write_csv, _write_xlsx
from tokko.engine.calculate import KeyReader, build_result, calculate, check, compute_rows
from tokko.errors import InputFileError, UsageError
from tokko.io.inputs import (
    MAX_DEPTH,
    read_agreements_file,
    read_declaration_file,
    read_indices_file,
)
from tokko.io.template import DEFAULT_NAME, write_template
from tokko.messages import Lang, Msg, pair, t
from tokko.model.declaration import ROW_FIELDS
from tokko.model.localgov import lookup, search
from tokko.model.money import EXACT
from tokko.model.problem import InvalidValue
from tokko.model.result import Result, RowError
from tokko.model.text import fold
from tokko.rules.ruleset import RuleSet, RuleVersion, rule_values
from tokko.rules.schema import RuleFile
from tokko.serve import jobs
from tokko.serve.config import ServeConfig
from tokko.serve.lang import negotiate
from tokko.serve.live import LiveRules
from tokko.serve.models import (
    BatchReport,
    BatchSummary,
    Calculated,
    CheckResult,
    CodesResult,
    FiscalStrengthAdjustment,
    Government,
    Health,
    InputRow,
    RuleInfo,
    SummaryRow,
)
from tokko.serve.problems import (
    MEDIA_TYPE,
    Failure,
    failure,
    from_input_file,
    from_structure,
    from_usage,
    problem_errors,
)

#: Bodies up to this size are computed at once; larger ones in a worker thread, so that the
#: server keeps answering while it computes them.
INLINE_BYTES = 256 * 1024
#: How many file computations (declaration files, batches) run at once, and how long a request
#: waits for its turn before it is told to come back (503).
HEAVY_AT_ONCE = 2
HEAVY_WAIT_SECONDS = 60
#: How many errors a JSON batch summary lists (all of them are in the XLSX and the CSVs).
ERRORS_SHOWN = 1000
_AGREEMENT_KEYS = ("agreement_parties", "agreement_concluded_on", "parties", "concluded_on")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"

router = APIRouter()


# ── what every endpoint shares ─────────────────────────────────────────────────────────────


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


def language(request: Request, lang: Annotated[Literal["ja", "en"] | None, Query(
        description="language of the messages: ja or en (default: Accept-Language, else ja)",
)] = None) -> Lang:
    """The language of the answer: ``?lang=``, else ``Accept-Language``, else ja."""
    return negotiate(lang, request.headers.get("accept-language"))


LangDep = Annotated[Lang, Depends(language)]
UnitQuery = Annotated[Literal["yen", "thousand"], Query(
    description="unit of the amounts: yen (円) or thousand (千円)")]
ExplainQuery = Annotated[bool, Query(
    description="add each item's explanation (the steps with their rule keys and sources)")]
SheetQuery = Annotated[str | None, Query(description="sheet of an XLSX file (default: the first)",
                                         max_length=200)]
IgnoreQuery = Annotated[list[str] | None, Query(
    description="a column to leave out of the computation (repeatable)")]
EncodingQuery = Annotated[Literal["utf-8", "cp932"], Query(
    description="encoding of CSV output: utf-8 (with BOM) or cp932 (Shift_JIS)")]
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problems_doc(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem answers of an endpoint, for the OpenAPI document."""
    words = {400: "Bad request (problem JSON)", 401: "Bearer token missing or wrong",
             404: "Not found", 413: "Request too large", 415: "Unsupported media type",
             422: "Request refused (problem JSON, with the codes of the values refused)",
             500: "Internal error (a reference to give the administrator)",
             503: "Busy: come back after Retry-After seconds"}
    return {s: {"description": words[s], "content": {MEDIA_TYPE: {"schema": _PROBLEM_REF}}}
            for s in (*statuses, 401, 500)}


def _json_body_doc(schema: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}}


def _unit(unit: str) -> int:
    return 1000 if unit == "thousand" else 1


def _json_response(text: str) -> Response:
    return Response(text.encode("utf-8"), media_type="application/json")


def _download(data: bytes, media_type: str, name: str) -> Response:
    """A file to save: its name as ``filename*`` (UTF-8), and an ASCII one for old clients."""
    plain = name if name.isascii() and name.isprintable() else "tokko" + name[name.rfind("-"):]
    ascii_name = "".join(ch for ch in plain if ch.isascii() and ch not in '"\\;') or "tokko"
    return Response(data, media_type=media_type, headers={
        "content-disposition":
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"})


# ── JSON bodies, read with the library's limits ────────────────────────────────────────────


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


# ── calculate ──────────────────────────────────────────────────────────────────────────────


def _calculate(data: Any, rules: RuleSet, explain: bool, lang: Lang) -> Result:
    try:
        return calculate(data, rules, explain=explain, lang=lang)
    except PydanticValidationError as error:
        raise from_structure(error) from None


@router.post(
    "/api/v1/calculate", operation_id="calculate", tags=["calculate"], response_model=Result,
    summary="Compute one declaration", responses=problems_doc(400, 413, 415, 422),
    openapi_extra=_json_body_doc("Declaration"),
    description="A declaration (SPEC §3: entity_code, fiscal_year, items, agreements, "
                "optional fiscal_strength_index) → the result (SPEC §6). An item that cannot be "
                "computed is an error row of the result (200), as `tokko calc` reports it; a "
                "body that is not a declaration at all is a problem (422).")
async def calculate_endpoint(request: Request, lang: LangDep,
                             explain: ExplainQuery = False) -> Response:
    data, size = await json_body(request)
    rules = services(request).live.current()
    if size > INLINE_BYTES:
        result = await run_in_threadpool(_calculate, data, rules, explain, lang)
    else:
        result = _calculate(data, rules, explain, lang)
    return _json_response(result.model_dump_json())


def compute_file(work: jobs.Job, declaration: jobs.Saved, agreements: jobs.Saved | None,
                 indices_file: jobs.Saved | None, rules: RuleSet, *, unit: int,
                 sheet: str | None, ignored: list[str], explain: bool, lang: Lang) -> Computed:
    """A declaration file and its agreements and indices, computed (as ``tokko calc`` does)."""
    found = read_declaration_file(declaration.path, unit=unit, sheet=sheet,
                                  name=declaration.name, ignored=ignored)
    book = list(found.agreements)
    problems = list(found.problems)
    if agreements is not None:
        more, more_problems = read_agreements_file(agreements.path)
        book += more
        problems += work.renamed(more_problems)
    indices: dict[tuple[str, int], Decimal] = {}
    if indices_file is not None:
        indices, more_problems = read_indices_file(indices_file.path)
        problems += work.renamed(more_problems)
    done = compute_rows(found.rows, rules, book, unit=unit, indices=indices)
    result = build_result(done, problems, explain=explain, lang=lang, indices=indices)
    return Computed(result=result, done=done, columns=found.columns, problems=problems,
                    rules=rules)


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _inputs(computed: Computed) -> list[InputRow]:
    rows = []
    for done in computed.done:
        data = done.row.data
        rows.append(InputRow(row=done.row.number, file=done.row.file,
                             item_id=_text(data.get("item_id")),
                             description=_text(data.get("description")),
                             business_area=_text(data.get("business_area")),
                             technology=_text(data.get("technology")),
                             expense_kind=_text(data.get("expense_kind"))))
    return rows


@contextmanager
def _refusals(work: jobs.Job) -> Iterator[None]:
    """The library's refusals of a request's files, as problems naming the uploads."""
    try:
        yield
    except InputFileError as error:
        raise from_input_file(error, work.shown) from None
    except UsageError as error:
        raise from_usage(error) from None


def _stem(name: str) -> str:
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


_FILE_RESULTS: dict[int | str, dict[str, Any]] = {200: {"description": "The result (JSON), or the results file", "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}}}}}


@router.post(
    "/api/v1/calculate/file", operation_id="calculateFile", tags=["calculate"],
    response_model=Calculated, summary="Compute one declaration file",
    responses={**_FILE_RESULTS, **problems_doc(400, 413, 415, 422, 503)},
    description="An uploaded declaration (CSV in UTF-8 or Shift_JIS, XLSX, or JSON), with an "
                "optional agreements file and fiscal strength indices file → with format=json "
                "the result and each row's own words; with xlsx the workbook (results, summary, "
                "errors) and with csv the results, as `tokko calc --format xlsx|csv` writes "
                "them. A file that cannot be read at all is a problem (422).")
def calculate_file_endpoint(
    request: Request,
    lang: LangDep,
    file: Annotated[UploadFile, File(description="the declaration: .csv, .xlsx or .json")],
    agreements: Annotated[UploadFile | None, File(
        description="agreements (協定): .csv or .xlsx")] = None,
    fiscal_strength: Annotated[UploadFile | None, File(
        description="fiscal strength indices (財政力指数): .csv or .xlsx")] = None,
    output: Annotated[Literal["json", "xlsx", "csv"], Query(
        alias="format", description="what to answer with")] = "json",
    unit: UnitQuery = "yen",
    explain: ExplainQuery = False,
    sheet: SheetQuery = None,
    ignore_column: IgnoreQuery = None,
    encoding: EncodingQuery = "utf-8",
) -> Response:
    own = services(request)
    rules = own.live.current()
    with own.turn(), jobs.job(own.config.max_body_bytes) as work, _refusals(work):
        declaration = work.save(file.file, file.filename, "declaration", jobs.DECLARATION_KINDS)
        agreement_file = work.save(agreements.file, agreements.filename, "agreements",
                                   jobs.TABLE_KINDS) if agreements is not None else None
        index_file = work.save(fiscal_strength.file, fiscal_strength.filename, "indices",
                               jobs.TABLE_KINDS) if fiscal_strength is not None else None
        computed = compute_file(work, declaration, agreement_file, index_file, rules,
                                unit=_unit(unit), sheet=sheet, ignored=ignore_column or [],
                                explain=explain and output == "json", lang=lang)
        stem = _stem(declaration.name)
        if output == "xlsx":
            path = work.output("results.xlsx")
            _write_xlsx(computed, path, lang)
            return _download(path.read_bytes(), XLSX, f"{stem}-results.xlsx")
        if output == "csv":
            path = work.output("results.csv")
            _write_csv(computed, path, encoding)
            media = f"text/csv; charset={'shift_jis' if encoding == 'cp932' else 'utf-8'}"
            return _download(path.read_bytes(), media, f"{stem}-results.csv")
        answer = Calculated(file=declaration.name, result=computed.result,
                            inputs=_inputs(computed))
        return _json_response(answer.model_dump_json())


# ── check ──────────────────────────────────────────────────────────────────────────────────


def _fiscal_strength(found: Any, measure: Decimal | None,
                     lang: Lang) -> FiscalStrengthAdjustment:
    multiplier = found.multiplier
    return FiscalStrengthAdjustment(
        applies=found.applies, index=found.fiscal_strength_index, multiplier=multiplier,
        missing=found.missing,
        message=t(f"fiscal_strength.missing.{found.missing}", lang) if found.missing else None,
        measure_adjusted=EXACT.multiply(measure, multiplier)
        if multiplier is not None and measure is not None else None)


@router.post(
    "/api/v1/check", operation_id="check", tags=["check"], response_model=CheckResult,
    summary="Check one expense", responses=problems_doc(400, 413, 415, 422),
    openapi_extra=_json_body_doc("CheckRequest"),
    description="One expense with its fiscal year (and, for the joint rate, the agreement's "
                "parties) → eligible or not, the rate, the amount, the reasons with the rule "
                "keys and sources (the item's explanation), and the fiscal-strength adjustment "
                "(`tokko check --format json`). A value that cannot be read makes the item an "
                "error (status error, its codes in item.errors) — not a problem; a key that "
                "names no field is a problem (422, code UNKNOWN_COLUMN).")
async def check_endpoint(request: Request, lang: LangDep, unit: UnitQuery = "yen") -> Response:
    data, _ = await json_body(request)
    if not isinstance(data, dict):
        raise failure("invalid-request", "serve.detail.not_an_object")
    keys = KeyReader(ROW_FIELDS)
    keys.read({k: v for k, v in data.items() if k not in _AGREEMENT_KEYS}, None)
    if keys.problems:
        raise Failure("invalid-request", pair("serve.detail.unknown_keys", n=len(keys.problems)),
                      errors=problem_errors(keys.problems))
    rules = services(request).live.current()
    checked = check(data, rules=rules, unit=_unit(unit))
    version: RuleVersion | None = checked.done.prepared.rules
    answer = CheckResult(
        tokko_version=__version__, rules=version.ref() if version is not None else None,
        item=checked.item_result(lang=lang),
        fiscal_strength=_fiscal_strength(checked.adjustment, checked.done.outcome.measure, lang),
        errors=checked.errors(lang))
    return _json_response(answer.model_dump_json())


# ── batch ──────────────────────────────────────────────────────────────────────────────────


def _optional(value: str) -> str | None:
    return value or None


def _summary(path: Any) -> list[SummaryRow]:
    return [SummaryRow(
        entity_code=row["entity_code"], entity_name=row["entity_name"],
        fiscal_year=int(row["fiscal_year"]), rules_version=row["rules_version"],
        items=int(row["items"]), eligible_items=int(row["eligible_items"]),
        excluded_items=int(row["excluded_items"]), error_items=int(row["error_items"]),
        warning_items=int(row["warning_items"]), amount=row["amount"],
        specific_revenue=row["specific_revenue"], net=row["net"], excluded=row["excluded"],
        measure_by_rate=row["measure_by_rate"],
        fiscal_strength_index=_optional(row["fiscal_strength_index"]),
        fiscal_strength_multiplier=_optional(row["fiscal_strength_multiplier"]),
        measure_exact=row["measure_exact"], measure=row["measure"],
        warnings=[w for w in row["warnings"].split(";") if w])
        for row in jobs.read_csv(path)]


def _errors(path: Any) -> tuple[list[RowError], int]:
    rows = jobs.read_csv(path)
    shown = [RowError(file=_optional(r["file"]), row=int(r["row"]) if r["row"] else None,
                      column=_optional(r["column"]), code=r["code"], message=r["message"])
             for r in rows[:ERRORS_SHOWN]]
    return shown, len(rows)


_BATCH_RESULTS: dict[int | str, dict[str, Any]] = {200: {"description": "The summary (JSON), or the results files", "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    ZIP: {"schema": {"type": "string", "format": "binary"}}}}}


@router.post(
    "/api/v1/batch", operation_id="batch", tags=["batch"], response_model=BatchSummary,
    summary="Compute many governments' declarations",
    responses={**_BATCH_RESULTS, **problems_doc(400, 413, 415, 422, 503)},
    description="Uploaded declaration tables (CSV or XLSX, many governments and years), with "
                "optional agreements and fiscal strength indices, checked across files → with "
                "format=xlsx one workbook (results, summary, errors sheets), with zip the three "
                "CSVs (results.csv, summary.csv, errors.csv), with json the report, the summary "
                "per government and year and the first errors (`tokko batch`).")
def batch_endpoint(
    request: Request,
    lang: LangDep,
    files: Annotated[list[UploadFile], File(description="declaration tables: .csv or .xlsx")],
    agreements: Annotated[UploadFile | None, File(
        description="agreements (協定): .csv or .xlsx")] = None,
    fiscal_strength: Annotated[UploadFile | None, File(
        description="fiscal strength indices (財政力指数): .csv or .xlsx")] = None,
    output: Annotated[Literal["xlsx", "zip", "json"], Query(
        alias="format", description="what to answer with")] = "xlsx",
    unit: UnitQuery = "yen",
    sheet: SheetQuery = None,
    ignore_column: IgnoreQuery = None,
    encoding: EncodingQuery = "utf-8",
) -> Response:
    own = services(request)
    if not files or len(files) + 2 > own.config.max_files:
        raise failure("invalid-request", "serve.detail.too_many_files",
                      limit=own.config.max_files - 2)
    rules = own.live.current()
    with own.turn(), jobs.job(own.config.max_body_bytes) as work, _refusals(work):
        inputs = [work.save(f.file, f.filename, "input", jobs.TABLE_KINDS) for f in files]
        agreement_file = work.save(agreements.file, agreements.filename, "agreements",
                                   jobs.TABLE_KINDS) if agreements is not None else None
        index_file = work.save(fiscal_strength.file, fiscal_strength.filename, "indices",
                               jobs.TABLE_KINDS) if fiscal_strength is not None else None
        as_csv = output != "xlsx"
        out = work.output("results.csv" if as_csv else "results.xlsx")
        summary = work.output("summary.csv") if as_csv else None
        errors = work.output("errors.csv") if as_csv else None
        text_encoding = "cp932" if encoding == "cp932" and output == "zip" else "utf-8"
        report = run_batch(
            [s.path for s in inputs], out=out, summary=summary, errors=errors,
            agreements=agreement_file.path if agreement_file else None,
            fiscal_strength=index_file.path if index_file else None, rules=rules,
            unit=_unit(unit), sheet=sheet, output_format="csv" if as_csv else "xlsx",
            encoding=text_encoding, lang=lang, ignore_columns=ignore_column or ())
        stem = _stem(inputs[0].name) if len(inputs) == 1 else "batch"
        if output == "xlsx":
            jobs.rename_xlsx(out, work)
            return _download(out.read_bytes(), XLSX, f"{stem}-results.xlsx")
        assert summary is not None
        assert errors is not None
        python_encoding = "cp932" if text_encoding == "cp932" else "utf-8-sig"
        jobs.rename_csv(errors, work, python_encoding)
        if output == "zip":
            data = jobs.zipped([("results.csv", out), ("summary.csv", summary),
                                ("errors.csv", errors)])
            return _download(data, ZIP, f"{stem}-results.zip")
        shown, total = _errors(errors)
        answer = BatchSummary(
            report=BatchReport(rows=report.rows, error_rows=report.error_rows,
                               warning_rows=report.warning_rows, warnings=report.warnings,
                               file_problems=report.file_problems, entities=report.entities,
                               files=[s.name for s in inputs], ok=report.ok),
            summary=_summary(summary), errors=shown, errors_total=total)
        return _json_response(answer.model_dump_json())


# ── the template ───────────────────────────────────────────────────────────────────────────


@router.get("/api/v1/template", operation_id="getTemplate", tags=["calculate"],
            summary="Download the workbook to fill in",
            responses={200: {"description": "The template workbook", "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                **problems_doc(422)},
            description="The declaration workbook an officer fills in (`tokko template`): its "
                        "drop-down lists come from the rule version in force in the fiscal "
                        "year (default: the latest version).")
def template_endpoint(
    request: Request,
    lang: LangDep,
    fiscal_year: Annotated[int | None, Query(ge=1989, le=2200,
                                             description="fiscal year (Western year of April)")
                           ] = None,
) -> Response:
    own = services(request)
    rules = own.live.current()
    with jobs.job(own.config.max_body_bytes) as work:
        path = work.output(DEFAULT_NAME)
        try:
            write_template(path, lang, rules=rules, fiscal_year=fiscal_year)
        except InvalidValue as error:
            problem = error.problem
            raise Failure("invalid-request", Msg(problem.message("ja"), problem.message("en")),
                          errors=problem_errors([problem])) from None
        return _download(path.read_bytes(), XLSX, DEFAULT_NAME)


# ── rules, codes, health ───────────────────────────────────────────────────────────────────


def rule_info(version: RuleVersion) -> RuleInfo:
    measure = version.file.measure
    ref = version.ref()
    return RuleInfo(measure=version.measure, version=version.version, path=version.path,
                    sha256=version.sha256, name_ja=measure.name_ja, name_en=measure.name_en,
                    effective_from=measure.effective_from, effective_until=version.until,
                    confirmed_through=measure.confirmed_through, sources=ref.sources)


@router.get("/api/v1/rules", operation_id="listRules", tags=["rules"],
            response_model=list[RuleInfo], summary="List the rule versions in force",
            responses=problems_doc(),
            description="Every rule version of the rules folder the server reads, with the "
                        "fiscal years it covers, the SHA-256 of its bytes and its sources "
                        "(`tokko rules list`).")
def rules_endpoint(request: Request) -> list[RuleInfo]:
    return [rule_info(v) for v in services(request).live.current()]


@router.get("/api/v1/rules/{version}", operation_id="getRule", tags=["rules"],
            response_model=RuleFile, summary="Show one rule version in full",
            responses=problems_doc(404, 422),
            description="One rule version (`2021.2`, or its file's stem `2021`) in full, each "
                        "value with its source and note (`tokko rules show --format json`).")
def rule_endpoint(request: Request, version: str, lang: LangDep) -> Response:
    rules = services(request).live.current()
    try:
        chosen = rules.get(version)
    except KeyError:
        known = ", ".join(f"{v.version} ({v.path})" for v in rules)
        raise failure("not-found", "unknown_version", version=version, known=known) from None
    return _json_response(json.dumps(rule_values(chosen), ensure_ascii=False))


def _government(found: Any) -> Government:
    return Government(code=found.code, name=found.name, prefecture=found.prefecture,
                      city=found.city, kind=str(found.kind.value),
                      kana=fold(found.city_kana or found.prefecture_kana))


@router.get("/api/v1/codes", operation_id="searchCodes", tags=["codes"],
            response_model=CodesResult, summary="Find a local government",
            responses=problems_doc(422),
            description="Local governments by part of a name (kanji or kana) or by a 5- or "
                        "6-digit code (`tokko codes`).")
def codes_endpoint(
    lang: LangDep,
    q: Annotated[str, Query(min_length=1, max_length=100,
                            description="part of a name (kanji or kana) or a code")],
    limit: Annotated[int, Query(ge=1, le=200, description="how many to list at most")] = 20,
) -> CodesResult:
    found = search(q)
    message = None
    if not found and fold(q).strip().isdigit():
        try:
            lookup(fold(q).strip())
        except InvalidValue as error:
            message = error.problem.message(lang)
    return CodesResult(query=q, governments=[_government(g) for g in found[:limit]],
                       more=max(0, len(found) - limit), message=message)


@router.get("/healthz", operation_id="health", tags=["health"], response_model=Health,
            summary="Whether the server is up, and its rules",
            responses={500: problems_doc()[500]},
            description="Open without a token, for a monitor; `status` is degraded while a "
                        "change of the rule files is refused (the rules before stay in force).")
def health_endpoint(request: Request) -> Health:
    live = services(request).live
    rules = live.current()
    refused = live.refused
    return Health(status="degraded" if refused else "ok", tokko_version=__version__,
                  rules=[f"{v.measure} {v.version} {v.sha256}" for v in rules],
                  rules_refused=refused)
