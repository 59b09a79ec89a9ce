"""``tokko schema``: the JSON Schema of the declaration and of the result (SPEC §3, §6)."""

from __future__ import annotations

import json
from typing import Any

import typer

from tokko import Declaration, Result
from tokko.cli.settings import SchemaName


def _schema(name: SchemaName) -> dict[str, Any]:
    # The declaration is what tokko reads; the result is what it writes (amounts as strings).
    if name is SchemaName.declaration:
        return Declaration.model_json_schema()
    return Result.model_json_schema(mode="serialization")


def run(name: SchemaName | None) -> None:
    """Print one schema, or both under their names."""
    if name is None:
        document: dict[str, Any] = {n.value: _schema(n) for n in SchemaName}
    else:
        document = _schema(name)
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
