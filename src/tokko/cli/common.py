"""What the commands share: the one place errors become messages, rules and their sources.

:func:`user_errors` turns the library's exceptions into what a finance officer reads — the file,
the row, the column, what was found and what was expected — on stderr, with the exit code of
SPEC §5, and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from tokko import RuleSet, RuleVersion, load_rules
from tokko.cli import render
from tokko.cli.i18n import code_text, column_label, split_message, t
from tokko.cli.settings import EXIT_ROW_ERRORS, EXIT_UNREADABLE, EXIT_USAGE, Settings
from tokko.codes import CODES
from tokko.errors import FieldError, InputFileError, RuleFileError, RuleProblem
from tokko.explanation import Step
from tokko.money import format_yen, plain

if TYPE_CHECKING:
    from tokko.result import RowError


def rules_of(settings: Settings, override: Path | None = None) -> RuleSet:
    """The rule set of ``override``, ``--rules``, ``TOKKO_RULES`` or the shipped rules."""
    return load_rules(override or settings.rules_dir)


def fail(message: str, lang: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print ``message`` as an error on stderr; return the Exit to raise."""
    render.errors([message], heading=t("error_prefix", lang))
    return typer.Exit(code)


def print_problems(problems: Sequence[RuleProblem], lang: str, *, stderr: bool) -> None:
    """Every rule-file problem in one table: file, key path, reason."""
    render.table(
        [render.Col(t("file", lang), no_wrap=True), render.Col(t("key", lang)),
         render.Col(t("problem_reason", lang))],
        [[p.file, (p.key, "key"), p.text(lang)] for p in problems],
        stderr=stderr,
    )


@contextmanager
def user_errors(lang: str) -> Iterator[None]:
    """Turn a library error into a message on stderr and the exit code of SPEC §5.

    - :class:`~tokko.errors.InputFileError`: the input cannot be read at all → 3.
    - :class:`~tokko.errors.RuleFileError`: every problem of the rule files → 3.
    - :class:`~tokko.errors.FieldError`: one bad value given on the command line → 1.
    - :class:`OSError`: a file that cannot be opened or written → 3.
    """
    try:
        yield
    except InputFileError as error:
        raise fail(error.message(lang), lang, EXIT_UNREADABLE) from None
    except RuleFileError as error:
        render.errors([t("rules_refused", lang, n=len(error.problems))],
                      heading=t("error_prefix", lang))
        print_problems(error.problems, lang, stderr=True)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except FieldError as error:
        detail = error.detail_ja if lang == "ja" else error.detail_en
        raise fail(f"{code_text(error.code, lang)}: {detail}", lang, EXIT_ROW_ERRORS) from None
    except BrokenPipeError:
        raise  # the reader of a pipe went away (``| head``): click exits quietly
    except OSError as error:
        reason = error.strerror or str(error)
        raise fail(t("cannot_access", lang, path=error.filename or "", reason=reason), lang,
                   EXIT_UNREADABLE) from None


# ── row errors ──────────────────────────────────────────────────────────────────────────────


def error_message(error: RowError, lang: str) -> str:
    """A row error's message in one language."""
    return split_message(error.message, error.column, error.code, lang)


def print_errors(
    errors: Sequence[RowError], lang: str, *, file: IO[str] | None = None, stderr: bool = True
) -> None:
    """The error list of a result (on stderr by default): where, which code, what was expected."""
    if not errors:
        return
    render.table(
        [render.Col(t("file", lang)), render.Col(t("row", lang), "right", no_wrap=True),
         render.Col(t("column", lang)), render.Col(t("code", lang), no_wrap=True),
         render.Col(t("message", lang))],
        [[e.file or "", str(e.row) if e.row is not None else "", column_label(e.column, lang),
          (e.code, "code"), error_message(e, lang)] for e in errors],
        title=(t("error_list", lang, n=len(errors)), "bad"),
        file=file,
        stderr=stderr,
    )


# ── rules and their sources ─────────────────────────────────────────────────────────────────


def cite(version: RuleVersion, source_id: str | None, lang: str) -> str:
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


def deciding_step(reasons: Sequence[str], steps: Sequence[Step]) -> Step | None:
    """The step whose rule key decided the item's reason (the rate, or the exclusion)."""
    if not reasons or reasons[0] not in CODES:
        return None
    rule_key = CODES[reasons[0]].rule_key or ""
    return next((s for s in steps if rule_key and (s.key or "").startswith(rule_key)), None)


def yen(amount: Decimal | None) -> str:
    """An amount with thousands separators and no trailing zeros: ``300000.0`` → ``300,000``."""
    if amount is None:
        return "—"
    return format_yen(Decimal(plain(amount)))
