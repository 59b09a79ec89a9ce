"""What the commands share: the one place errors become messages, rules and their sources.

:func:`user_errors` turns the library's exceptions into what a finance officer reads — the file,
the row, the column, what was found and what was expected — on stderr, with the exit code of
SPEC §5, and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import IO

import typer

from tokko.cli import render
from tokko.cli.options import EXIT_ROW_ERRORS, EXIT_UNREADABLE, EXIT_USAGE, Run
from tokko.errors import (
    InputFileError,
    OutputFileError,
    RuleFileError,
    UsageError,
    os_reason,
)
from tokko.messages import Lang, t
from tokko.model.money import format_yen, plain
from tokko.model.problem import InvalidValue, Problem, column_label
from tokko.model.result import RowError, Step
from tokko.model.text import printable
from tokko.rules.ruleset import RuleSet, RuleVersion, load_rules


def rules_of(run: Run) -> RuleSet:
    """The rules of ``--rules``, ``TOKKO_RULES`` or the shipped rules (one measure)."""
    return load_rules(run.rules_dir, measure=run.measure)


def fail(message: str, lang: Lang, code: int = EXIT_USAGE) -> typer.Exit:
    """Print ``message`` as an error on stderr; return the Exit to raise."""
    render.errors([message], heading=t("error_prefix", lang))
    return typer.Exit(code)


def print_rule_problems(problems: Sequence[Problem], lang: Lang, *, stderr: bool) -> None:
    """Every rule-file problem in one table: file, key path, code, reason."""
    render.table(
        [
            render.Col(t("file", lang), no_wrap=True),
            render.Col(t("key", lang)),
            render.Col(t("code", lang), no_wrap=True),
            render.Col(t("problem_reason", lang)),
        ],
        [
            [p.file or "", (p.key or "", "key"), (str(p.code), "code"), p.detail_text(lang)]
            for p in problems
        ],
        stderr=stderr,
    )


@contextmanager
def user_errors(lang: Lang) -> Iterator[None]:
    """Turn a library error into a message on stderr and the exit code of SPEC §5.

    - :class:`~tokko.errors.UsageError`: the call itself is wrong → 2.
    - :class:`~tokko.errors.InputFileError`, :class:`~tokko.errors.OutputFileError`: a file
      cannot be read or written → 3.
    - :class:`~tokko.errors.RuleFileError`: every problem of the rule files → 3.
    - :class:`~tokko.model.problem.InvalidValue`: one bad value given on the command line → 1.
    - :class:`OSError`: a file that cannot be opened → 3.
    """
    try:
        yield
    except UsageError as error:
        raise fail(error.message(lang), lang, EXIT_USAGE) from None
    except (InputFileError, OutputFileError) as error:
        raise fail(error.message(lang), lang, EXIT_UNREADABLE) from None
    except RuleFileError as error:
        render.errors(
            [t("rules_refused", lang, n=len(error.problems))], heading=t("error_prefix", lang)
        )
        print_rule_problems(error.problems, lang, stderr=True)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except InvalidValue as error:
        raise fail(error.problem.message(lang), lang, EXIT_ROW_ERRORS) from None
    except BrokenPipeError:
        raise  # the reader of a pipe went away (``| head``): click exits quietly
    except OSError as error:
        reason = os_reason(error)
        raise fail(
            t("cannot_access", lang, path=error.filename or "", reason=reason),
            lang,
            EXIT_UNREADABLE,
        ) from None


# ── row errors ──────────────────────────────────────────────────────────────────────────────


def print_errors(
    errors: Sequence[RowError], lang: Lang, *, file: IO[str] | None = None, stderr: bool = True
) -> None:
    """The error list of a result (on stderr by default): where, which code, what was expected."""
    if not errors:
        return
    render.table(
        [
            render.Col(t("file", lang)),
            render.Col(t("row", lang), "right", no_wrap=True),
            render.Col(t("column", lang)),
            render.Col(t("code", lang), no_wrap=True),
            render.Col(t("message", lang)),
        ],
        [
            [
                e.file or "",
                str(e.row) if e.row is not None else "",
                column_label(e.column, lang),
                (e.code, "code"),
                printable(e.message),
            ]
            for e in errors
        ],
        title=(t("error_list", lang, n=len(errors)), "bad"),
        file=file,
        stderr=stderr,
    )


# ── rules and their sources ─────────────────────────────────────────────────────────────────


def cite(version: RuleVersion, source_id: str | None, lang: Lang) -> str:
    """A source id of a rule file as a finance officer cites it: title（issuer、date）."""
    if not source_id:
        return ""
    try:
        source = version.source(source_id)
    except KeyError:
        return source_id
    parts = [source.issuer, source.date.isoformat() if source.date else ""]
    if lang == "ja":
        return f"{source.title}（{'、'.join(p for p in parts if p)}）"
    return f"{source.title} ({', '.join(p for p in parts if p)})"


def version_of(rules: RuleSet, steps: Sequence[Step]) -> RuleVersion | None:
    """The rule version an item's explanation names in its ``rules`` step."""
    for step in steps:
        if step.step == "rules" and step.value:
            for version in rules:
                if version.version == step.value and (step.outcome or "").startswith(
                    f"{version.measure} "
                ):
                    return version
    return None


def code_text(code: str, lang: Lang) -> str:
    """The words of a SPEC §4 code; an unknown code is shown as it is."""
    from tokko.messages import has

    return t(f"code.{code}", lang) if has(f"code.{code}") else code


def heading(name: str, lang: Lang) -> str:
    """A column's label as a heading: ``amount`` → 事業費 / Amount."""
    text = column_label(name, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


def yen(amount: Decimal | None) -> str:
    """An amount with thousands separators and no trailing zeros: ``300000.0`` → ``300,000``."""
    if amount is None:
        return "—"
    return format_yen(Decimal(plain(amount)))
