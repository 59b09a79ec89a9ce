"""``tokko schema``: the JSON Schema of the declaration and of the result."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tokko import Declaration, Result
from tokko.cli import app

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None}


def schema(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["schema", *args], env=ENV)
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_declaration_schema() -> None:
    """``schema declaration`` is the Declaration model's JSON Schema."""
    assert schema("declaration") == Declaration.model_json_schema()


def test_result_schema_has_amounts_as_strings() -> None:
    """``schema result`` describes the document tokko writes: amounts are strings."""
    document = schema("result")
    assert document == Result.model_json_schema(mode="serialization")
    amount = document["$defs"]["Totals"]["properties"]["measure"]  # type: ignore[index]
    assert amount["type"] == "string"


def test_both_schemas_by_default() -> None:
    """Without a name both schemas are printed under their names."""
    assert set(schema()) == {"declaration", "result"}


def test_unknown_schema_is_a_usage_error() -> None:
    """A name other than declaration or result: exit 2."""
    assert CliRunner().invoke(app, ["schema", "rules"], env=ENV).exit_code == 2
