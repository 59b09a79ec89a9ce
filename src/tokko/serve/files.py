"""The API's uploads: a declaration file, a batch, and the workbook to fill in.

- ``POST /api/v1/calculate/file`` — an uploaded declaration (CSV, XLSX or JSON) → the result
  with its rows' words, or the results as XLSX or CSV (what ``tokko calc`` writes);
- ``POST /api/v1/batch`` — uploaded tables (and agreements, fiscal strength indices) → results,
  summary and errors as one XLSX, a zip of the three CSVs, or a JSON summary (``tokko batch``);
- ``GET /api/v1/template`` — the workbook an officer fills in (``tokko template``).

Each request's files live in a :class:`~tokko.serve.jobs.Job` folder removed when it ends; the
library's refusals of a file become problems naming the upload as the user sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from tokko.batch import run_batch
from tokko.errors import InputFileError, UsageError
from tokko.io.computed import ComputedFile, compute_file, write_results_csv, write_results_xlsx
from tokko.io.template import DEFAULT_NAME, write_template
from tokko.messages import Lang, Msg
from tokko.model.problem import InvalidValue
from tokko.model.result import RowError
from tokko.rules.ruleset import RuleSet
from tokko.serve import jobs
from tokko.serve.deps import (
    XLSX,
    ZIP,
    EncodingQuery,
    ExplainQuery,
    IgnoreQuery,
    LangDep,
    SheetQuery,
    UnitQuery,
    download,
    json_response,
    problems_doc,
    services,
    unit_factor,
)
from tokko.serve.models import BatchReport, BatchSummary, Calculated, InputRow, SummaryRow
from tokko.serve.problems import Failure, failure, from_input_file, from_usage, problem_errors

#: How many errors a JSON batch summary lists (all of them are in the XLSX and the CSVs).
ERRORS_SHOWN = 1000

router = APIRouter()


# ── a declaration file ────────────────────────────────────────────────────────────────────


def compute_upload(
    declaration: jobs.Saved,
    agreements: jobs.Saved | None,
    indices_file: jobs.Saved | None,
    rules: RuleSet,
    *,
    unit: int,
    sheet: str | None,
    ignored: list[str],
    explain: bool,
    lang: Lang,
) -> ComputedFile:
    """A declaration file and its agreements and indices, computed (as ``tokko calc`` does),
    each file named in messages as it was uploaded."""
    saved = [s for s in (declaration, agreements, indices_file) if s is not None]
    return compute_file(
        declaration.path,
        rules,
        unit=unit,
        sheet=sheet,
        agreements=agreements.path if agreements else None,
        indices_file=indices_file.path if indices_file else None,
        ignored=ignored,
        explain=explain,
        lang=lang,
        names={s.path: s.name for s in saved},
    )


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _inputs(computed: ComputedFile) -> list[InputRow]:
    rows = []
    for done in computed.done:
        data = done.row.data
        rows.append(
            InputRow(
                row=done.row.number,
                file=done.row.file,
                item_id=_text(data.get("item_id")),
                description=_text(data.get("description")),
                business_area=_text(data.get("business_area")),
                technology=_text(data.get("technology")),
                expense_kind=_text(data.get("expense_kind")),
            )
        )
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


_FILE_RESULTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The result (JSON), or the results file",
        "content": {
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/api/v1/calculate/file",
    operation_id="calculateFile",
    tags=["calculate"],
    response_model=Calculated,
    summary="Compute one declaration file",
    responses={**_FILE_RESULTS, **problems_doc(400, 413, 415, 422, 503)},
    description="An uploaded declaration (CSV in UTF-8 or Shift_JIS, XLSX, or JSON), with an "
    "optional agreements file and fiscal strength indices file → with format=json "
    "the result and each row's own words; with xlsx the workbook (results, summary, "
    "errors) and with csv the results, as `tokko calc --format xlsx|csv` writes "
    "them. A file that cannot be read at all is a problem (422).",
)
def calculate_file_endpoint(
    request: Request,
    lang: LangDep,
    file: Annotated[UploadFile, File(description="the declaration: .csv, .xlsx or .json")],
    agreements: Annotated[
        UploadFile | None, File(description="agreements (協定): .csv or .xlsx")
    ] = None,
    fiscal_strength: Annotated[
        UploadFile | None, File(description="fiscal strength indices (財政力指数): .csv or .xlsx")
    ] = None,
    output: Annotated[
        Literal["json", "xlsx", "csv"], Query(alias="format", description="what to answer with")
    ] = "json",
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
        agreement_file = (
            work.save(agreements.file, agreements.filename, "agreements", jobs.TABLE_KINDS)
            if agreements is not None
            else None
        )
        index_file = (
            work.save(fiscal_strength.file, fiscal_strength.filename, "indices", jobs.TABLE_KINDS)
            if fiscal_strength is not None
            else None
        )
        computed = compute_upload(
            declaration,
            agreement_file,
            index_file,
            rules,
            unit=unit_factor(unit),
            sheet=sheet,
            ignored=ignore_column or [],
            explain=explain and output == "json",
            lang=lang,
        )
        if not computed.done and not computed.result.declarations:
            # a header-only file: nothing to compute, said as tokko calc says it (exit 1)
            raise failure("unreadable-file", "file.nothing")
        stem = _stem(declaration.name)
        if output == "xlsx":
            path = work.output("results.xlsx")
            write_results_xlsx(computed, path, lang)
            return download(path.read_bytes(), XLSX, f"{stem}-results.xlsx")
        if output == "csv":
            path = work.output("results.csv")
            write_results_csv(computed, path, encoding)
            media = f"text/csv; charset={'shift_jis' if encoding == 'cp932' else 'utf-8'}"
            return download(path.read_bytes(), media, f"{stem}-results.csv")
        answer = Calculated(file=declaration.name, result=computed.result, inputs=_inputs(computed))
        return json_response(answer.model_dump_json())


# ── batch ──────────────────────────────────────────────────────────────────────────────────


def _optional(value: str) -> str | None:
    return value or None


def _summary(path: Any) -> list[SummaryRow]:
    return [
        SummaryRow(
            entity_code=row["entity_code"],
            entity_name=row["entity_name"],
            fiscal_year=int(row["fiscal_year"]),
            rules_version=row["rules_version"],
            items=int(row["items"]),
            eligible_items=int(row["eligible_items"]),
            excluded_items=int(row["excluded_items"]),
            error_items=int(row["error_items"]),
            warning_items=int(row["warning_items"]),
            amount=row["amount"],
            specific_revenue=row["specific_revenue"],
            net=row["net"],
            excluded=row["excluded"],
            measure_by_rate=row["measure_by_rate"],
            fiscal_strength_index=_optional(row["fiscal_strength_index"]),
            fiscal_strength_multiplier=_optional(row["fiscal_strength_multiplier"]),
            measure_exact=row["measure_exact"],
            measure=row["measure"],
            warnings=[w for w in row["warnings"].split(";") if w],
        )
        for row in jobs.read_csv(path)
    ]


def _errors(path: Any) -> tuple[list[RowError], int]:
    rows = jobs.read_csv(path)
    shown = [
        RowError(
            file=_optional(r["file"]),
            row=int(r["row"]) if r["row"] else None,
            column=_optional(r["column"]),
            code=r["code"],
            message=r["message"],
        )
        for r in rows[:ERRORS_SHOWN]
    ]
    return shown, len(rows)


_BATCH_RESULTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The summary (JSON), or the results files",
        "content": {
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            ZIP: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/api/v1/batch",
    operation_id="batch",
    tags=["batch"],
    response_model=BatchSummary,
    summary="Compute many governments' declarations",
    responses={**_BATCH_RESULTS, **problems_doc(400, 413, 415, 422, 503)},
    description="Uploaded declaration tables (CSV or XLSX, many governments and years), with "
    "optional agreements and fiscal strength indices, checked across files → with "
    "format=xlsx one workbook (results, summary, errors sheets), with zip the three "
    "CSVs (results.csv, summary.csv, errors.csv), with json the report, the summary "
    "per government and year and the first errors (`tokko batch`).",
)
def batch_endpoint(
    request: Request,
    lang: LangDep,
    files: Annotated[list[UploadFile], File(description="declaration tables: .csv or .xlsx")],
    agreements: Annotated[
        UploadFile | None, File(description="agreements (協定): .csv or .xlsx")
    ] = None,
    fiscal_strength: Annotated[
        UploadFile | None, File(description="fiscal strength indices (財政力指数): .csv or .xlsx")
    ] = None,
    output: Annotated[
        Literal["xlsx", "zip", "json"], Query(alias="format", description="what to answer with")
    ] = "xlsx",
    unit: UnitQuery = "yen",
    sheet: SheetQuery = None,
    ignore_column: IgnoreQuery = None,
    encoding: EncodingQuery = "utf-8",
) -> Response:
    own = services(request)
    if not files or len(files) + 2 > own.config.max_files:
        raise failure(
            "invalid-request", "serve.detail.too_many_files", limit=own.config.max_files - 2
        )
    rules = own.live.current()
    with own.turn(), jobs.job(own.config.max_body_bytes) as work, _refusals(work):
        inputs = [work.save(f.file, f.filename, "input", jobs.TABLE_KINDS) for f in files]
        agreement_file = (
            work.save(agreements.file, agreements.filename, "agreements", jobs.TABLE_KINDS)
            if agreements is not None
            else None
        )
        index_file = (
            work.save(fiscal_strength.file, fiscal_strength.filename, "indices", jobs.TABLE_KINDS)
            if fiscal_strength is not None
            else None
        )
        as_csv = output != "xlsx"
        out = work.output("results.csv" if as_csv else "results.xlsx")
        summary = work.output("summary.csv") if as_csv else None
        errors = work.output("errors.csv") if as_csv else None
        text_encoding = "cp932" if encoding == "cp932" and output == "zip" else "utf-8"
        report = run_batch(
            [s.path for s in inputs],
            out=out,
            summary=summary,
            errors=errors,
            agreements=agreement_file.path if agreement_file else None,
            fiscal_strength=index_file.path if index_file else None,
            rules=rules,
            unit=unit_factor(unit),
            sheet=sheet,
            output_format="csv" if as_csv else "xlsx",
            encoding=text_encoding,
            lang=lang,
            ignore_columns=ignore_column or (),
            names={s.path: s.name for s in (*inputs, agreement_file, index_file) if s},
        )
        stem = _stem(inputs[0].name) if len(inputs) == 1 else "batch"
        if output == "xlsx":
            return download(out.read_bytes(), XLSX, f"{stem}-results.xlsx")
        assert summary is not None
        assert errors is not None
        if output == "zip":
            data = jobs.zipped(
                [("results.csv", out), ("summary.csv", summary), ("errors.csv", errors)]
            )
            return download(data, ZIP, f"{stem}-results.zip")
        shown, total = _errors(errors)
        answer = BatchSummary(
            report=BatchReport(
                rows=report.rows,
                error_rows=report.error_rows,
                warning_rows=report.warning_rows,
                warnings=report.warnings,
                file_problems=report.file_problems,
                entities=report.entities,
                files=[s.name for s in inputs],
                ok=report.ok,
            ),
            summary=_summary(summary),
            errors=shown,
            errors_total=total,
        )
        return json_response(answer.model_dump_json())


# ── the template ───────────────────────────────────────────────────────────────────────────


@router.get(
    "/api/v1/template",
    operation_id="getTemplate",
    tags=["calculate"],
    summary="Download the workbook to fill in",
    responses={
        200: {
            "description": "The template workbook",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problems_doc(422),
    },
    description="The declaration workbook an officer fills in (`tokko template`): its "
    "drop-down lists come from the rule version in force in the fiscal "
    "year (default: the latest version).",
)
def template_endpoint(
    request: Request,
    lang: LangDep,
    fiscal_year: Annotated[
        int | None, Query(ge=1989, le=2200, description="fiscal year (Western year of April)")
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
            raise Failure(
                "invalid-request",
                Msg(problem.message("ja"), problem.message("en")),
                errors=problem_errors([problem]),
            ) from None
        return download(path.read_bytes(), XLSX, DEFAULT_NAME)
