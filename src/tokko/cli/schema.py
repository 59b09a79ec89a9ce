"""``tokko schema``: the JSON Schema of the declaration and of the result (SPEC §3, §6)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from tokko.cli.app import Command, app
from tokko.cli.options import (
    LangOption,
    MeasureOption,
    RulesOption,
    SchemaName,
    UnitOption,
    both,
)
from tokko.messages import t
from tokko.model.declaration import Declaration
from tokko.model.result import Result


def _schema(name: SchemaName) -> dict[str, Any]:
    # The declaration is what tokko reads; the result is what it writes (amounts as strings).
    if name is SchemaName.declaration:
        return Declaration.model_json_schema()
    return Result.model_json_schema(mode="serialization")


@app.command("schema", cls=Command, help=t("cmd.schema", "ja") + "\n\n" + t("cmd.schema", "en"))
def schema_command(
    name: Annotated[
        SchemaName | None, typer.Argument(show_default=False, help=both("help.schema_name"))
    ] = None,
    *,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    # The schemas are the same in every language, under every rule file and unit: the common
    # options are accepted after the command as before it (SPEC §5), and change nothing here.
    del lang, rules, unit, measure
    if name is None:
        document: dict[str, Any] = {n.value: _schema(n) for n in SchemaName}
    else:
        document = _schema(name)
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
