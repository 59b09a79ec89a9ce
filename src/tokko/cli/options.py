"""What the commands share on the command line: the choices, the settings of a run, and the
options declared once as ``Annotated`` aliases.

``--lang``, ``--rules``, ``--unit`` and ``--measure`` are accepted before the command (the app's
options) and after it (each command's own); a value after the command wins. An output file is
``--out`` on every command that writes one (``--output`` stays as an alias).
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Annotated, NamedTuple

import typer

from tokko.messages import Lang, t

#: Exit codes of SPEC §5.
EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
ENV_LANG = "TOKKO_LANG"


def both(id: str) -> str:
    """A help text in both languages, Japanese first (the catalog's ``help`` entries)."""
    return f"{t(id, 'ja')}\n\n{t(id, 'en')}"


class LangChoice(enum.StrEnum):
    """Languages of the messages."""

    ja = "ja"
    en = "en"


class Unit(enum.StrEnum):
    """How amounts in the input are given: yen, or thousands of yen (千円)."""

    yen = "yen"
    thousand = "thousand"

    @property
    def factor(self) -> int:
        return 1000 if self is Unit.thousand else 1


class CheckFormat(enum.StrEnum):
    table = "table"
    json = "json"


class CalcFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class ExplainFormat(enum.StrEnum):
    tree = "tree"
    json = "json"


class BatchFormat(enum.StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ShowFormat(enum.StrEnum):
    table = "table"
    json = "json"


class Encoding(enum.StrEnum):
    """Encodings of CSV output: UTF-8 with BOM (Excel opens it), or CP932 (Shift_JIS)."""

    utf8 = "utf-8"
    cp932 = "cp932"


class SchemaName(enum.StrEnum):
    declaration = "declaration"
    result = "result"


def resolve_lang(option: str | None) -> Lang:
    """``--lang`` if given, else ``TOKKO_LANG`` (``en``, ``en_US``… mean English), else ja."""
    value = option or os.environ.get(ENV_LANG, "")
    return "en" if value.strip().lower().startswith("en") else "ja"


class Settings(NamedTuple):
    """The options every command may take, as given before the command."""

    lang: str | None = None
    rules_dir: Path | None = None
    unit: Unit | None = None
    measure: str | None = None


class Run(NamedTuple):
    """The settings of one command: the command's own options over the app's."""

    lang: Lang
    rules_dir: Path | None
    unit: Unit
    measure: str | None


def settings(
    ctx: typer.Context,
    *,
    lang: LangChoice | None = None,
    rules: Path | None = None,
    unit: Unit | None = None,
    measure: str | None = None,
) -> Run:
    """This command's settings: its own options, else the app's, else the defaults."""
    given = ctx.find_object(Settings) or Settings()
    return Run(
        resolve_lang(lang or given.lang),
        rules or given.rules_dir,
        unit or given.unit or Unit.yen,
        measure or given.measure,
    )


# ── options declared once ───────────────────────────────────────────────────────────────────

LangOption = Annotated[
    LangChoice | None, typer.Option("--lang", show_default=False, help=both("help.lang"))
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", show_default=False, file_okay=True, help=both("help.rules")),
]
UnitOption = Annotated[
    Unit | None, typer.Option("--unit", show_default=False, help=both("help.unit"))
]
MeasureOption = Annotated[
    str | None, typer.Option("--measure", show_default=False, help=both("help.measure"))
]
FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE", show_default=False, help=both("help.file"))
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", show_default=False, help=both("help.sheet"))
]
AgreementsOption = Annotated[
    Path | None, typer.Option("--agreements", show_default=False, help=both("help.agreements"))
]
IndicesOption = Annotated[
    Path | None,
    typer.Option("--fiscal-strength", show_default=False, help=both("help.fiscal_strength_file")),
]
EncodingOption = Annotated[Encoding, typer.Option("--encoding", help=both("help.encoding"))]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option("--ignore-column", show_default=False, help=both("help.ignore_column")),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out", "--output", "-o", dir_okay=False, show_default=False, help=both("help.out")
    ),
]
