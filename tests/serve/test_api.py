"""The JSON API: every endpoint with valid and invalid input, in both languages.

The API makes the library's calls, so its answers are compared with the library's own (the same
JSON as ``Result.model_dump_json()``); what is refused is answered with problem JSON carrying
tokko's code and both languages' messages.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.serve.support import (
    DECLARATION,
    EXAMPLES,
    NEEDS_SERVE,
    WITH_WARNING,
    calc_json,
    written,
)

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

from starlette.testclient import TestClient

from tokko.engine.calculate import calculate
from tokko.io.results import ERROR_COLUMNS, RESULT_COLUMNS, SUMMARY_COLUMNS
from tokko.rules.ruleset import load_rules

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].startswith("urn:tokko:problem:")
    assert body["messages"]["ja"]
    assert body["messages"]["en"]
    return body


def _upload(path: Path, name: str | None = None) -> tuple[str, bytes]:
    return (name or path.name, path.read_bytes())


# ── calculate ──────────────────────────────────────────────────────────────────────────────


def test_calculate_answers_what_the_library_computes(client: TestClient) -> None:
    """POST /api/v1/calculate answers the library's Result for the declaration, as JSON."""
    response = client.post("/api/v1/calculate", json=DECLARATION)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    expected = json.loads(calculate(DECLARATION, load_rules(), explain=False).model_dump_json())
    assert response.json() == expected
    items = response.json()["declarations"][0]["items"]
    assert [i["status"] for i in items] == ["eligible", "excluded", "eligible", "error"]
    assert items[2]["reasons"] == ["JOINT_RATE"]
    assert items[0]["explanation"] == []


def test_calculate_reads_thousands_of_yen_when_told(client: TestClient) -> None:
    """?unit=thousand means what --unit thousand means (×1,000 exactly), as on /check, /batch
    and /calculate/file; a unit that is neither is refused (422), never ignored."""
    response = client.post("/api/v1/calculate?unit=thousand", json=DECLARATION)
    assert response.status_code == 200
    expected = calculate(DECLARATION, load_rules(), explain=False, unit="thousand")
    assert response.json() == json.loads(expected.model_dump_json())
    in_yen = calculate(DECLARATION, load_rules(), explain=False)
    first, first_in_yen = expected.declarations[0].items[0], in_yen.declarations[0].items[0]
    assert first.net is not None
    assert first_in_yen.net is not None
    assert first.net == 1000 * first_in_yen.net
    assert client.post("/api/v1/calculate?unit=man", json=DECLARATION).status_code == 422


def test_calculate_puts_row_errors_in_the_result_in_the_language_asked(client: TestClient) -> None:
    """An item that cannot be computed is an error of the result (200), its message in the
    language of Accept-Language or ?lang= (the query wins)."""
    japanese = client.post("/api/v1/calculate", json=DECLARATION).json()["errors"]
    english = client.post(
        "/api/v1/calculate", json=DECLARATION, headers={"Accept-Language": "en-US,en;q=0.9"}
    ).json()["errors"]
    query = client.post(
        "/api/v1/calculate?lang=ja", json=DECLARATION, headers={"Accept-Language": "en"}
    ).json()["errors"]
    assert [e["code"] for e in japanese] == ["INVALID_AMOUNT"]
    assert japanese[0]["column"] == "amount"
    assert japanese[0]["row"] == 4
    assert "金額" in japanese[0]["message"]
    assert "Invalid amount" in english[0]["message"]
    assert query == japanese


def test_calculate_explains_on_request(client: TestClient) -> None:
    """?explain=true adds each item's steps, each naming its rule key."""
    body = client.post("/api/v1/calculate?explain=true", json=DECLARATION).json()
    steps = body["declarations"][0]["items"][0]["explanation"]
    assert {"rates.standard", "technologies.eligible"} <= {s["key"] for s in steps}
    assert body["declarations"][0]["explanation"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ([1, 2, 3], "—"),
        ({"entity_code": "011002", "fiscal_year": "R3", "items": "notalist"}, "items"),
        ({"entity_code": "011002", "fiscal_year": "R3", "items": [1]}, "items.0"),
    ],
)
def test_calculate_refuses_what_is_not_a_declaration(
    client: TestClient, body: object, where: str
) -> None:
    """A body that is not a declaration at all is a 422 problem naming where it goes wrong."""
    problem = _problem(
        client.post("/api/v1/calculate?lang=en", json=body), 422, "NOT_A_DECLARATION"
    )
    assert problem["title"] == "Not a declaration"
    assert f"not a declaration ({where} has the wrong shape)" in problem["detail"]
    assert "申告として読めません" in problem["messages"]["ja"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"entity_code": "011002", "items": [', "file.json_invalid"),
        (b'{"entity_code": "011002", "entity_code": "011002"}', "file.json_key_twice"),
        (b"[" * 200 + b"]" * 200, "file.json_too_deep"),
        ('{"entity_code": "札幌"}'.encode("cp932"), "serve.detail.json_encoding"),
    ],
)
def test_calculate_refuses_bodies_the_library_would_refuse_in_a_file(
    client: TestClient, content: bytes, reason: str
) -> None:
    """Broken JSON, a key given twice, nesting past the library's limit and bytes that are not
    UTF-8 are 400 problems with the catalog's reason, never a traceback."""
    response = client.post(
        "/api/v1/calculate", content=content, headers={"content-type": "application/json"}
    )
    problem = _problem(response, 400, "BAD_REQUEST")
    assert problem["reason"] == reason
    assert "Traceback" not in response.text


def test_calculate_reads_a_huge_integer_as_a_row_error(client: TestClient) -> None:
    """An amount of 5,000 digits is the item's INVALID_AMOUNT, not a crash."""
    item = dict(DECLARATION["items"][0], amount="HUGE")
    text = json.dumps({**DECLARATION, "items": [item]}).replace('"HUGE"', "9" * 5000)
    body = client.post(
        "/api/v1/calculate", content=text.encode(), headers={"content-type": "application/json"}
    ).json()
    assert [e["code"] for e in body["errors"]] == ["INVALID_AMOUNT"]


def test_calculate_wants_json(client: TestClient) -> None:
    """A body sent as anything but JSON is a 415 problem."""
    response = client.post(
        "/api/v1/calculate",
        content=b"entity_code=011002",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    problem = _problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert "application/json" in problem["detail"]


# ── check ──────────────────────────────────────────────────────────────────────────────────

EXPENSE = {
    "technology": "AI",
    "expense_kind": "導入・構築",
    "amount": "1,200,000",
    "fiscal_year": "令和3年度",
    "business_area": "会計事務",
}


def test_check_answers_eligibility_rate_amount_and_why(client: TestClient) -> None:
    """POST /api/v1/check: eligible at 0.3, 360,000 yen, the reason, and steps whose sources
    are sources of the rule version named."""
    body = client.post("/api/v1/check", json=EXPENSE).json()
    item = body["item"]
    assert (item["status"], item["rate"], item["measure"]) == ("eligible", "0.3", "360000")
    assert item["reasons"] == ["STANDARD_RATE"]
    assert body["rules"]["version"] == "2021.2"
    sources = {s["source"] for s in item["explanation"] if s["source"]}
    assert sources
    assert sources <= set(body["rules"]["sources"])
    assert body["fiscal_strength"]["missing"] == "table_and_index"
    assert body["errors"] == []


def test_check_joint_procurement_with_an_agreement_gets_the_joint_rate(client: TestClient) -> None:
    """Joint procurement with the agreement's parties (the declarer among them) → 0.5."""
    body = client.post(
        "/api/v1/check",
        json={
            **EXPENSE,
            "procurement": "joint",
            "entity_code": "011002",
            "agreement_parties": ["010006", "011002"],
        },
    ).json()
    assert body["item"]["reasons"] == ["JOINT_RATE"]
    assert body["item"]["rate"] == "0.5"


def test_check_an_excluded_business_says_so(client: TestClient) -> None:
    """A standardization-target business is excluded with its reason."""
    body = client.post("/api/v1/check?lang=en", json={**EXPENSE, "business_area": "住民記録"})
    item = body.json()["item"]
    assert item["status"] == "excluded"
    assert item["reasons"] == ["EXCLUDED_STANDARDIZATION_TARGET"]


@pytest.mark.parametrize(("lang", "words"), [("ja", "必須"), ("en", "required")])
def test_check_a_missing_amount_is_an_item_error_in_the_language_asked(
    client: TestClient, lang: str, words: str
) -> None:
    """Without an amount the item is an error (200, MISSING_FIELD), as ``tokko check`` says."""
    expense = {k: v for k, v in EXPENSE.items() if k != "amount"}
    body = client.post("/api/v1/check", json=expense, headers={"Accept-Language": lang}).json()
    assert body["item"]["status"] == "error"
    assert body["item"]["errors"] == ["MISSING_FIELD"]
    assert words in body["errors"][0]["message"]


def test_check_refuses_a_key_that_names_no_field(client: TestClient) -> None:
    """A key that is no field is a 422 problem with UNKNOWN_COLUMN and the field it probably
    meant, in both languages."""
    problem = _problem(
        client.post("/api/v1/check", json={**EXPENSE, "国庫補助金": 100}), 422, "INVALID_REQUEST"
    )
    (error,) = problem["errors"]
    assert error["code"] == "UNKNOWN_COLUMN"
    assert "特定財源" in error["messages"]["ja"]
    assert "specific revenue" in error["messages"]["en"]


def test_check_takes_japanese_keys(client: TestClient) -> None:
    """The Japanese headers name the fields as in a CSV (事業費 is the amount)."""
    body = client.post(
        "/api/v1/check", json={"区分": "RPA", "経費区分": "研修", "事業費": 100000, "年度": 2022}
    ).json()
    assert body["item"]["measure"] == "30000"


def test_check_wants_an_object(client: TestClient) -> None:
    """A body that is not a JSON object is a 422 problem."""
    _problem(client.post("/api/v1/check", json=["AI"]), 422, "INVALID_REQUEST")


# ── calculate a file ───────────────────────────────────────────────────────────────────────


def test_calculate_file_json_answers_the_result_and_the_rows_words(
    client: TestClient, tmp_path: Path
) -> None:
    """An uploaded JSON declaration → the declarations ``tokko calc --format json`` computes,
    and each row's description to show."""
    path = written(tmp_path, "申告.json", WITH_WARNING)
    body = client.post("/api/v1/calculate/file", files={"file": _upload(path)}).json()
    assert body["file"] == "申告.json"
    assert body["result"]["declarations"] == calc_json(path)["declarations"]
    assert [row["description"] for row in body["inputs"]] == [
        item["description"] for item in WITH_WARNING["items"]
    ]
    assert {e["file"] for e in body["result"]["errors"]} == {"申告.json"}
    explained = client.post(
        "/api/v1/calculate/file?explain=true", files={"file": _upload(path)}
    ).json()
    assert explained["result"]["declarations"][0]["items"][0]["explanation"]


def test_calculate_file_with_nothing_to_compute_is_a_problem(client: TestClient) -> None:
    """A header-only upload is answered as tokko calc answers it (nothing to compute, exit 1):
    a 422 problem saying so, not a 200 with an empty result."""
    header = "entity_code,fiscal_year,item_id,description,technology,expense_kind,amount\n"
    response = client.post(
        "/api/v1/calculate/file", files={"file": ("空.csv", header.encode())}, params={"lang": "en"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "nothing to compute" in response.json()["detail"]


def test_calculate_file_reads_shift_jis_csv_and_names_it_as_uploaded(client: TestClient) -> None:
    """A Shift_JIS CSV uploaded as ../../申告.csv is read, and named 申告.csv (no folders)."""
    response = client.post(
        "/api/v1/calculate/file",
        files={"file": _upload(EXAMPLES / "town-single-sjis.csv", "../../申告.csv")},
    )
    body = response.json()
    assert body["file"] == "申告.csv"
    expected = calc_json(EXAMPLES / "town-single-sjis.csv")["declarations"]
    assert body["result"]["declarations"] == expected
    assert {row["file"] for row in body["inputs"]} == {"申告.csv"}


def test_calculate_file_xlsx_download_is_a_workbook(client: TestClient) -> None:
    """format=xlsx answers the results workbook (results, summary and errors sheets)."""
    response = client.post(
        "/api/v1/calculate/file?format=xlsx",
        files={"file": _upload(EXAMPLES / "town-single.xlsx", "申告.xlsx")},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        "filename*=UTF-8''%E7%94%B3%E5%91%8A-results.xlsx"
        in response.headers["content-disposition"]
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.sheetnames) >= 3


def test_calculate_file_csv_download_has_the_result_columns(client: TestClient) -> None:
    """format=csv answers the results CSV: the input columns, then SPEC §6's result columns."""
    response = client.post(
        "/api/v1/calculate/file?format=csv",
        files={"file": _upload(EXAMPLES / "town-single-sjis.csv")},
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-len(RESULT_COLUMNS) :] == list(RESULT_COLUMNS)
    assert len(rows) == 6


def test_calculate_file_refuses_a_kind_it_cannot_read(client: TestClient) -> None:
    """An upload whose name is no declaration kind is a 415 problem naming it."""
    problem = _problem(
        client.post("/api/v1/calculate/file?lang=en", files={"file": ("申告.exe", b"MZ")}),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    assert "'申告.exe'" in problem["detail"]


@pytest.mark.parametrize(("lang", "words"), [("ja", "NUL"), ("en", "NUL character")])
def test_calculate_file_refuses_a_file_the_library_refuses(
    client: TestClient, lang: str, words: str
) -> None:
    """A CSV with a NUL byte is refused (422) with the library's message, naming the upload."""
    content = "団体コード,年度\n011002,\x00R3\n".encode()
    response = client.post(
        f"/api/v1/calculate/file?lang={lang}", files={"file": ("申告.csv", content)}
    )
    problem = _problem(response, 422, "UNREADABLE_FILE")
    assert problem["detail"].startswith("申告.csv: ")
    assert words in problem["detail"]
    assert "tokko-serve-" not in response.text


def test_calculate_file_names_the_agreements_upload_in_its_problems(client: TestClient) -> None:
    """A problem of the agreements file names that upload, never the server's copy of it."""
    agreements = "協定番号,締結日,構成団体\nK1,いつか,011002;010006\n".encode()
    response = client.post(
        "/api/v1/calculate/file",
        files={
            "file": _upload(EXAMPLES / "town-single.json"),
            "agreements": ("協定.csv", agreements),
        },
    )
    errors = response.json()["result"]["errors"]
    assert errors
    assert {e["file"] for e in errors} == {"協定.csv"}
    assert "tokko-serve-" not in response.text


def test_calculate_file_needs_a_file(client: TestClient) -> None:
    """Without the file the request is a 422 problem naming the missing part."""
    problem = _problem(
        client.post("/api/v1/calculate/file", data={"x": "1"}), 422, "INVALID_REQUEST"
    )
    assert problem["errors"][0]["location"] == ["body", "file"]


# ── batch ──────────────────────────────────────────────────────────────────────────────────


def _batch_files() -> list[tuple[str, tuple[str, bytes]]]:
    return [
        ("files", _upload(EXAMPLES / "review-mistakes" / "batch-sjis.csv", "県内.csv")),
        ("files", _upload(EXAMPLES / "prefecture-joint" / "declarations.csv")),
    ]


def test_batch_json_answers_the_report_summary_and_errors(client: TestClient) -> None:
    """format=json: the closing report, one summary line per government and year, the errors
    naming the uploads."""
    response = client.post("/api/v1/batch?format=json", files=_batch_files())
    body = response.json()
    report = body["report"]
    assert report["files"] == ["県内.csv", "declarations.csv"]
    assert report["rows"] > 0
    assert report["entities"] == len(body["summary"])
    assert report["ok"] is False
    assert body["errors_total"] == len(body["errors"]) >= report["error_rows"] > 0
    assert {e["file"] for e in body["errors"]} == {"県内.csv"}
    first = body["summary"][0]
    assert set(first) == set(SUMMARY_COLUMNS)
    assert isinstance(first["items"], int)


def test_batch_xlsx_is_one_workbook_naming_the_uploads(client: TestClient) -> None:
    """format=xlsx (the default): one workbook; its errors name the uploads as sent."""
    response = client.post("/api/v1/batch", files=_batch_files())
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    text = " ".join(
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    )
    assert "県内.csv" in text
    assert "tokko-serve-" not in text


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_batch_zip_holds_the_three_csvs(client: TestClient, encoding: str) -> None:
    """format=zip: results.csv, summary.csv and errors.csv, in the encoding asked for; the
    errors name the uploads."""
    response = client.post(f"/api/v1/batch?format=zip&encoding={encoding}", files=_batch_files())
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["errors.csv", "results.csv", "summary.csv"]
    python_encoding = "utf-8-sig" if encoding == "utf-8" else "cp932"
    errors = list(csv.reader(io.StringIO(archive.read("errors.csv").decode(python_encoding))))
    assert errors[0] == list(ERROR_COLUMNS)
    assert {row[0] for row in errors[1:]} == {"県内.csv"}
    summary = archive.read("summary.csv").decode(python_encoding)
    assert summary.splitlines()[0] == ",".join(SUMMARY_COLUMNS)


def test_batch_needs_a_table(client: TestClient) -> None:
    """No file: a 422 problem."""
    _problem(client.post("/api/v1/batch", data={"x": "1"}), 422, "INVALID_REQUEST")


def test_batch_refuses_a_json_declaration(client: TestClient) -> None:
    """A batch reads tables: a .json upload is refused (415) naming it."""
    problem = _problem(
        client.post(
            "/api/v1/batch?lang=en", files=[("files", _upload(EXAMPLES / "town-single.json"))]
        ),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    assert "town-single.json" in problem["detail"]


# ── the template ───────────────────────────────────────────────────────────────────────────


def test_template_is_the_workbook_to_fill_in(client: TestClient) -> None:
    """GET /api/v1/template: the fill-in workbook, its first sheet the declaration's."""
    response = client.get("/api/v1/template", params={"fiscal_year": 2023})
    assert response.status_code == 200
    assert 'filename="tokko-template.xlsx"' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert any(str(h).startswith("団体コード") for h in header if h)


def test_template_for_a_year_without_rules_is_a_problem(client: TestClient) -> None:
    """A fiscal year no rule version covers: 422 with NO_RULES_FOR_YEAR."""
    problem = _problem(
        client.get("/api/v1/template", params={"fiscal_year": 1999}), 422, "INVALID_REQUEST"
    )
    assert problem["errors"][0]["code"] == "NO_RULES_FOR_YEAR"


# ── rules, codes, health ───────────────────────────────────────────────────────────────────


def test_rules_lists_the_versions_in_force(client: TestClient) -> None:
    """GET /api/v1/rules: every version with its SHA-256 and coverage."""
    body = client.get("/api/v1/rules").json()
    assert [(r["version"], r["sha256"]) for r in body] == [
        (v.version, v.sha256) for v in load_rules()
    ]
    assert body[0]["effective_until"] == 2020
    assert body[-1]["sources"]


@pytest.mark.parametrize("version", ["2021.2", "2021"])
def test_rule_shows_one_version_in_full(client: TestClient, version: str) -> None:
    """GET /api/v1/rules/{version} by version or by the file's stem."""
    body = client.get(f"/api/v1/rules/{version}").json()
    assert body["measure"]["version"] == "2021.2"
    assert body["rates"]["standard"]["value"] == "0.3"


def test_rule_unknown_version_is_a_404_problem_naming_the_known_ones(client: TestClient) -> None:
    """An unknown version: 404 with the versions there are, in both languages."""
    problem = _problem(client.get("/api/v1/rules/1999?lang=en"), 404, "NOT_FOUND")
    assert "2021.2" in problem["detail"]
    assert "規則の版「1999」がありません" in problem["messages"]["ja"]


def test_codes_finds_governments_by_kana_and_by_code(client: TestClient) -> None:
    """GET /api/v1/codes?q=: a kana reading and a code both find 札幌市."""
    by_kana = client.get("/api/v1/codes", params={"q": "さっぽろ"}).json()
    by_code = client.get("/api/v1/codes", params={"q": "011002"}).json()
    assert by_kana["governments"][0]["code"] == "011002"
    assert by_code["governments"][0]["name"] == "札幌市"
    assert by_code["governments"][0]["kind"] == "designated_city"


@pytest.mark.parametrize(("lang", "words"), [("ja", "検査数字"), ("en", "check digit")])
def test_codes_says_why_a_code_names_nobody(client: TestClient, lang: str, words: str) -> None:
    """A code with a wrong check digit finds nobody, and the answer says why."""
    body = client.get("/api/v1/codes", params={"q": "011001", "lang": lang}).json()
    assert body["governments"] == []
    assert words in body["message"]


def test_codes_limits_and_counts_the_rest(client: TestClient) -> None:
    """limit bounds the list; more says how many were left out; a bad limit is a 422."""
    body = client.get("/api/v1/codes", params={"q": "市", "limit": 5}).json()
    assert len(body["governments"]) == 5
    assert body["more"] > 0
    _problem(client.get("/api/v1/codes", params={"q": "市", "limit": 0}), 422, "INVALID_REQUEST")
    _problem(client.get("/api/v1/codes"), 422, "INVALID_REQUEST")


def test_healthz_names_the_rules_in_force(client: TestClient) -> None:
    """GET /healthz: ok, tokko's version and each rule version with its SHA-256."""
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["rules"] == [f"{v.measure} {v.version} {v.sha256}" for v in load_rules()]
    assert body["rules_refused"] is None


def test_an_unknown_path_and_method_are_problems(client: TestClient) -> None:
    """404 and 405 answer with problem JSON too."""
    _problem(client.get("/api/v1/nothing"), 404, "NOT_FOUND")
    problem = _problem(client.get("/api/v1/calculate?lang=en"), 405, "METHOD_NOT_ALLOWED")
    assert "GET" in problem["detail"]


def test_a_bad_query_value_is_a_problem_in_both_languages(client: TestClient) -> None:
    """?lang=fr is not a language of tokko: a 422 problem that says where and why."""
    problem = _problem(
        client.get("/api/v1/codes", params={"q": "札幌", "lang": "fr"}), 422, "INVALID_REQUEST"
    )
    assert problem["errors"][0]["location"] == ["query", "lang"]
    assert "query.lang" in problem["messages"]["ja"]


@pytest.mark.parametrize(
    ("request_", "ja", "en"),
    [
        (
            ("get", "/api/v1/codes?q=札幌&lang=fr"),
            "次のいずれかで指定してください: 'ja', 'en'",
            "expected one of: 'ja' or 'en'",
        ),
        (
            ("get", "/api/v1/codes?q=札幌&limit=abc"),
            "整数で指定してください",
            "expected a whole number",
        ),
        (("get", "/api/v1/codes?q=札幌&limit=0"), "1 以上で指定してください", "expected 1 or more"),
        (
            ("get", "/api/v1/codes?q=札幌&limit=201"),
            "200 以下で指定してください",
            "expected 200 or less",
        ),
        (
            ("get", "/api/v1/codes?q=" + "x" * 101),
            "100 文字以内で指定してください",
            "at most 100 character",
        ),
        (("get", "/api/v1/codes?q="), "1 文字以上で指定してください", "at least 1 character"),
        (("get", "/api/v1/codes"), "指定がありません", "it is required"),
        (
            ("post", "/api/v1/calculate?explain=maybe"),
            "true か false で指定してください",
            "true or false",
        ),
        (("post", "/api/v1/calculate/file"), "指定がありません", "it is required"),
    ],
)
def test_a_refused_query_value_says_why_in_japanese_too(
    client: TestClient, request_: tuple[str, str], ja: str, en: str
) -> None:
    """FastAPI's reasons (pydantic's English) are put into the catalog's words in both
    languages: the Japanese message carries no English sentence."""
    method, url = request_
    response = client.get(url) if method == "get" else client.post(url, json={})
    problem = _problem(response, 422, "INVALID_REQUEST")
    assert len(problem["errors"]) == 1
    messages = problem["errors"][0]["messages"]
    assert ja in messages["ja"]
    assert en in messages["en"]
    assert "Input should" not in messages["ja"]
    assert "required" not in messages["ja"]
    assert problem["messages"] == messages


def test_a_text_where_a_file_is_expected_says_send_a_file(client: TestClient) -> None:
    """A form field sent as text where the upload expects a file."""
    problem = _problem(
        client.post("/api/v1/calculate/file", data={"file": "text"}), 422, "INVALID_REQUEST"
    )
    messages = problem["errors"][0]["messages"]
    assert "multipart/form-data のファイルとして送ってください" in messages["ja"]
    assert "UploadFile" not in messages["ja"] + messages["en"]


def test_an_unknown_refusal_keeps_pydantics_words() -> None:
    """An error type the catalog has no words for is said as pydantic says it, in both."""
    from tokko.serve.problems import from_request

    failure = from_request([{"type": "uuid_parsing", "loc": ("query", "id"), "msg": "Bad UUID"}])
    assert "Bad UUID" in failure.detail.ja
    assert "Bad UUID" in failure.detail.en
