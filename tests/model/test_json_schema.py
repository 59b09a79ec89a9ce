"""The JSON Schemas of `tokko schema` describe what users actually write and what tokko returns."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import tokko

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["town-single.json", "prefecture-joint/ishinomaki.json"])
def test_example_declarations_are_valid_under_the_declaration_schema(name: str) -> None:
    """Declarations written as SPEC §3 allows (R3, "1,234,567", 共同) pass the published schema."""
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    jsonschema.validate(data, tokko.Declaration.model_json_schema())


def test_declaration_schema_refuses_a_fractional_amount() -> None:
    """A fractional JSON number as an amount is refused by the schema, as by tokko itself."""
    data = json.loads((EXAMPLES / "town-single.json").read_text(encoding="utf-8"))
    data["items"][0]["amount"] = 1500000.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, tokko.Declaration.model_json_schema())


def test_result_json_is_valid_under_the_result_schema() -> None:
    """Result.model_dump_json() validates against the serialization schema of Result."""
    data = json.loads((EXAMPLES / "town-single.json").read_text(encoding="utf-8"))
    result = json.loads(tokko.calculate(data).model_dump_json())
    jsonschema.validate(result, tokko.Result.model_json_schema(mode="serialization"))
    assert result["declarations"][0]["totals"]["measure"] == "913000"
