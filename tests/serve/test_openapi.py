"""The OpenAPI document is valid and complete enough to generate a client (Java, .NET…): every
operation named, every answer described with a schema, every reference resolved, uploads typed
as binary, the request bodies' schemas taken from the library's models."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.serve.support import NEEDS_SERVE

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

from starlette.testclient import TestClient

from tokko.model.declaration import ROW_FIELDS, Declaration


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    """openapi-spec-validator accepts the document (OpenAPI 3.1)."""
    validator = pytest.importorskip(
        "openapi_spec_validator", reason="openapi-spec-validator is not installed"
    )
    assert document["openapi"].startswith("3.")
    validator.validate(document)


def test_every_operation_is_named_and_described(document: dict[str, Any]) -> None:
    """Each operation has a unique operationId (a method name in a generated client), a
    summary, a tag and a 200 answer with a schema."""
    ids = []
    for path, method, operation in _operations(document):
        where = f"{method.upper()} {path}"
        assert operation.get("operationId"), where
        assert operation.get("summary"), where
        assert operation.get("tags"), where
        ok = operation["responses"]["200"]
        assert any("schema" in body for body in ok["content"].values()), where
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert set(ids) == {
        "calculate",
        "calculateFile",
        "check",
        "batch",
        "listRules",
        "getRule",
        "searchCodes",
        "getTemplate",
        "health",
    }


def test_every_refusal_is_described_as_problem_json(document: dict[str, Any]) -> None:
    """Each operation documents its 4xx/5xx answers as application/problem+json of the Problem
    schema, which has the RFC 9457 members and tokko's code and messages."""
    for path, method, operation in _operations(document):
        failures = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        assert "500" in failures, (method, path)
        for status, answer in failures.items():
            schema = answer["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, status)
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "code", "messages", "errors"} <= set(
        problem["properties"]
    )


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    """No $ref points at a schema the document does not define."""
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref


def test_request_bodies_are_the_library_models(document: dict[str, Any]) -> None:
    """calculate takes the Declaration schema of the library; check a CheckRequest whose fields
    are the row's fields and the agreement's parties and date."""
    paths = document["paths"]
    body = paths["/api/v1/calculate"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Declaration"}
    schemas = document["components"]["schemas"]
    expected = Declaration.model_json_schema()
    assert set(schemas["Declaration"]["properties"]) == set(expected["properties"])
    assert "ExpenseItem" in schemas
    check = schemas["CheckRequest"]
    assert set(check["properties"]) == {f.name for f in ROW_FIELDS} | {
        "agreement_parties",
        "agreement_concluded_on",
    }
    assert check["additionalProperties"] is False
    result = paths["/api/v1/calculate"]["post"]["responses"]["200"]["content"]
    assert result["application/json"]["schema"] == {"$ref": "#/components/schemas/Result"}


def test_uploads_are_binary_strings(document: dict[str, Any]) -> None:
    """The multipart bodies type their files as string/binary (what generators read)."""
    for path in ("/api/v1/calculate/file", "/api/v1/batch"):
        content = document["paths"][path]["post"]["requestBody"]["content"]
        ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
        properties = document["components"]["schemas"][ref]["properties"]
        text = str(properties)
        assert "'format': 'binary'" in text, (path, properties)
        assert "contentMediaType" not in text


def test_downloads_are_documented(document: dict[str, Any]) -> None:
    """The file answers (XLSX, CSV, ZIP) are described beside the JSON ones."""
    paths = document["paths"]
    calculated = paths["/api/v1/calculate/file"]["post"]["responses"]["200"]["content"]
    batch = paths["/api/v1/batch"]["post"]["responses"]["200"]["content"]
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert {"application/json", xlsx, "text/csv"} <= set(calculated)
    assert {"application/json", xlsx, "application/zip"} <= set(batch)


def test_the_token_is_a_bearer_scheme_on_the_api(make_client: Callable[..., TestClient]) -> None:
    """With --token every /api/ operation requires the bearer scheme; /healthz does not."""
    document = make_client(token="s3cret").get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, _, operation in _operations(document):
        assert ("security" in operation) == path.startswith("/api/"), path


def test_without_a_token_nothing_requires_one(document: dict[str, Any]) -> None:
    """Without --token no operation asks for credentials."""
    assert all("security" not in op for _, _, op in _operations(document))
    assert "securitySchemes" not in document["components"]
