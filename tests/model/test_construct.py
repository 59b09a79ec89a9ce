"""tokko.model.construct: the engine's models built without a second validation are exactly the
models pydantic would build (``model_construct``), hold every field, and validate as they are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import tokko
from tokko.model.construct import construct
from tokko.model.declaration import Agreement, ExpenseItem
from tokko.model.result import Counts, DeclarationResult, ItemResult, Result, RowError, Totals

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MODELS = (ExpenseItem, Agreement, ItemResult, RowError, Totals, Counts, DeclarationResult, Result)


def _nodes(value: Any) -> Iterator[BaseModel]:
    """Every model inside a result, the result included."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _nodes(getattr(value, name))
    elif isinstance(value, list | tuple):
        for element in value:
            yield from _nodes(element)
    elif isinstance(value, dict):
        for element in value.values():
            yield from _nodes(element)


def _results() -> Iterator[tuple[str, Result]]:
    rules = tokko.load_rules()
    for name in ("town-single.json", "town-mistakes.json", "prefecture-joint/ishinomaki.json"):
        data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
        for explain in (False, True):
            yield f"{name} explain={explain}", tokko.calculate(data, rules, explain=explain)
    rows = [
        {
            "団体コード": "13951",
            "年度": "2023",
            "項目番号": "1",
            "事業名": "AI-OCR",
            "区分": "AI",
            "経費区分": "導入",
            "事業費": "1,000,000",
            "特定財源": "2,000,000",
        },
        {"entity_code": "013951", "fiscal_year": 2023, "item_id": "1"},
    ]
    yield "rows with problems", tokko.calculate_rows(rows, rules)


@pytest.mark.parametrize(("name", "result"), list(_results()), ids=lambda v: str(v)[:40])
def test_every_model_of_a_result_is_what_model_construct_builds(name: str, result: Result) -> None:
    """Each model of a computed result (the result, its declarations, items, totals, counts,
    errors) holds every field of its class, equals what ``model_construct`` builds from the same
    values, and validates unchanged — so no reader meets a missing attribute or a value of
    another type."""
    seen = set()
    for node in _nodes(result):
        model = type(node)
        seen.add(model)
        assert set(node.__dict__) == set(model.model_fields), (name, model)
        assert node == model.model_construct(**node.__dict__), (name, model)
        assert model.model_validate(node.model_dump()) == node, (name, model)
        assert node.model_fields_set == set(model.model_fields), (name, model)
    assert {Result, DeclarationResult, ItemResult, Totals, Counts} <= seen
    if name.startswith(("town-mistakes", "rows")):
        assert RowError in seen


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_missing_or_unknown_field_is_refused(model: type[BaseModel]) -> None:
    """construct() given one field too few (or a misspelt one) refuses instead of building a
    model without that attribute."""
    fields = list(model.model_fields)
    values = dict.fromkeys(fields[1:])
    with pytest.raises(TypeError, match=fields[0]):
        construct(model, **values)
    with pytest.raises(TypeError, match="typo"):
        construct(model, **values, typo=None)


def test_construct_sets_what_model_construct_sets() -> None:
    """The instance's own state (fields, fields set, extra, private) is model_construct's."""
    values = {"items": 3, "eligible": 1, "excluded": 1, "error": 1, "warning": 2}
    built = construct(Counts, **values)
    reference = Counts.model_construct(**values)
    assert built == reference
    assert built.__dict__ == reference.__dict__
    assert built.model_fields_set == reference.model_fields_set
    assert built.__pydantic_extra__ == reference.__pydantic_extra__
    assert built.__pydantic_private__ == reference.__pydantic_private__
    assert built.model_dump_json() == reference.model_dump_json()
