"""The global options and the choices of the command line; light enough to import at start-up.

Nothing here imports the library, rich or openpyxl: ``tokko --help`` pays only for Typer.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import NamedTuple

import typer

#: Exit codes of SPEC §5.
EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
ENV_LANG = "TOKKO_LANG"


class Lang(enum.StrEnum):
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
    """How ``check`` prints its answer."""

    table = "table"
    json = "json"


class CalcFormat(enum.StrEnum):
    """What ``calc`` writes."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class ExplainFormat(enum.StrEnum):
    """How ``explain`` prints: a tree to read, or the result JSON with every step."""

    tree = "tree"
    json = "json"


class BatchFormat(enum.StrEnum):
    """What ``batch`` writes: three CSV files, or one workbook with three sheets."""

    csv = "csv"
    xlsx = "xlsx"


class ShowFormat(enum.StrEnum):
    """How ``rules show`` prints a version."""

    table = "table"
    json = "json"


class Encoding(enum.StrEnum):
    """Encodings of CSV output: UTF-8 with BOM (Excel opens it), or CP932 (Shift_JIS)."""

    utf8 = "utf-8"
    cp932 = "cp932"


class SchemaName(enum.StrEnum):
    """Which document's JSON Schema to print."""

    declaration = "declaration"
    result = "result"


def resolve_lang(option: str | None) -> str:
    """``--lang`` if given, else ``TOKKO_LANG`` (``en``, ``en_US``… mean English), else ja."""
    value = option or os.environ.get(ENV_LANG, "")
    return "en" if value.strip().lower().startswith("en") else "ja"


class Settings(NamedTuple):
    """The global options: the language of messages and the rules folder (None: default)."""

    lang: str = "ja"
    rules_dir: Path | None = None


def settings_of(ctx: typer.Context) -> Settings:
    """The global options of this run (set by the app callback)."""
    found = ctx.find_object(Settings)
    return found if found is not None else Settings(resolve_lang(None))
