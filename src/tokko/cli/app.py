"""The ``tokko`` application: the Typer app, its options before the command, and how a usage
error is told — in the language asked for, never a traceback.

Each command module (:mod:`tokko.cli.check`, …) declares its command on :data:`app` (or
:data:`rules_app`); :mod:`tokko.cli` imports them all.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # Typer vendors click since 0.2x: its parser raises these, its formatter writes help
    from typer._click import exceptions as errors
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter
except ImportError:  # pragma: no cover - an older Typer on the click package
    from click import Context, HelpFormatter  # type: ignore[assignment]
    from click import exceptions as errors  # type: ignore[no-redef]

from tokko.cli.options import (
    EXIT_USAGE,
    LangChoice,
    MeasureOption,
    RulesOption,
    Settings,
    UnitOption,
    both,
    resolve_lang,
)
from tokko.messages import Lang, has, t

_CHOICE = re.compile(r"(?:Value error, )?'(?P<value>[^']*)' is not one of (?P<choices>.*)\.$")
#: pydantic's words when Typer coerces an option to an int (``--port abc``).
_NOT_INTEGER = re.compile(r"Input should be a valid integer")


def _lang_of(args: Sequence[str]) -> Lang:
    """The language a run asked for, read (not changed) from its arguments, for the messages
    of a usage error found before the options are parsed."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return resolve_lang(args[i + 1])
        if arg.startswith("--lang="):
            return resolve_lang(arg.partition("=")[2])
    return resolve_lang(None)


def _param(error: errors.ClickException) -> str:
    param = getattr(error, "param", None)
    if param is None:
        return getattr(error, "option_name", "") or ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(getattr(param, "metavar", None) or getattr(param, "name", "")).upper()
    names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
    return " / ".join(names) or str(getattr(param, "name", "") or "")


def usage_message(error: errors.ClickException, lang: Lang) -> str:
    """A usage error of click in words of the catalog."""
    if isinstance(error, errors.NoSuchOption):
        near = ", ".join(error.possibilities or ())
        return t(
            "usage.no_such_option",
            lang,
            option=error.option_name,
            near=t("usage.near", lang, options=near) if near else "",
        )
    if isinstance(error, errors.MissingParameter):
        if getattr(error.param, "param_type_name", "") == "argument":
            return t("usage.missing_argument", lang, argument=_param(error))
        return t("usage.missing", lang, option=_param(error))
    if isinstance(error, errors.BadOptionUsage):
        if "requires an argument" in error.message:
            return t("usage.needs_value", lang, option=error.option_name)
        if "does not take a value" in error.message:
            return t("usage.takes_no_value", lang, option=error.option_name)
        return t("usage.bad_option", lang, option=error.option_name, detail=error.message)
    if isinstance(error, errors.BadParameter):
        found = _CHOICE.match(error.message)
        if found:
            return t(
                "usage.not_a_choice",
                lang,
                option=_param(error),
                value=found.group("value"),
                choices=found.group("choices"),
            )
        if _NOT_INTEGER.search(error.message):
            return t("usage.not_integer", lang, option=_param(error))
        return t("usage.bad_value", lang, option=_param(error), detail=error.message)
    if error.message.startswith("No such command"):
        name = error.message.partition("'")[2].rpartition("'")[0]
        return t("usage.no_such_command", lang, command=name)
    if error.message.startswith("Got unexpected extra argument"):
        return t("usage.extra_argument", lang, detail=error.message.rpartition("(")[2].rstrip(")"))
    return t("usage.other", lang, detail=error.message)


class _Formatter(HelpFormatter):
    """Help headings in both languages, as the help texts are."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(
            prog, args, prefix or f"{t('help.usage', 'ja')} / {t('help.usage', 'en')}: "
        )

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        key = f"help.section.{name.lower()}"
        with super().section(f"{t(key, 'ja')} / {t(key, 'en')}" if has(key) else name):
            yield


class _Context(Context):
    formatter_class = _Formatter


def _bilingual_help(option: Any) -> Any:
    if option is not None:
        option.help = f"{t('help.help', 'ja')} / {t('help.help', 'en')}"
    return option


class Command(TyperCommand):
    """A command whose help reads in both languages (headings and the help option too)."""

    context_class = _Context

    def get_help_option(self, ctx: Any) -> Any:
        return _bilingual_help(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the Japanese help, whole: click cuts at a space, and
        Japanese has none."""
        first = (self.help or "").strip().split("\n", 1)[0].split("。", 1)[0].rstrip(":：")
        return re.sub(r"（[^（）]*）$", "", first) if len(first) > 40 else first


class App(TyperGroup):
    """The command group: a usage error is told in the catalog's words (Japanese by default),
    with the command's usage line and how to get help, and exits with code 2."""

    context_class = _Context

    def get_help_option(self, ctx: Any) -> Any:
        return _bilingual_help(super().get_help_option(ctx))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        except errors.NoArgsIsHelpError as shown:
            typer.echo(shown.ctx.get_help() if shown.ctx else "", err=False)
            code = EXIT_USAGE
        except errors.ClickException as error:
            lang = _lang_of(argv)
            context = getattr(error, "ctx", None)
            command = context.command_path if context is not None else "tokko"
            typer.echo(f"{t('error_prefix', lang)}: {usage_message(error, lang).strip()}", err=True)
            typer.echo(t("usage.help_hint", lang, command=command), err=True)
            code = error.exit_code
        except typer.Abort:
            code = 130
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=App,
    name="tokko",
    help=t("cmd.tokko", "ja") + "\n\n" + t("cmd.tokko", "en"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(
    cls=App,
    help=t("cmd.rules", "ja") + "\n\n" + t("cmd.rules", "en"),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")


def _version(ctx: typer.Context, value: bool) -> None:
    """``--version``: tokko's version and each shipped rule version with its coverage."""
    if not value or ctx.resilient_parsing:
        return
    from tokko.cli.rules import print_version

    print_version(resolve_lang(ctx.params.get("lang")))
    raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    *,
    lang: Annotated[
        LangChoice | None,
        typer.Option("--lang", show_default=False, is_eager=True, help=both("help.lang")),
    ] = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="tokko と同梱の規則の版を表示\n\nshow tokko's version and its rule versions",
    ),
) -> None:
    """The options given before the command, kept for it in ``ctx.obj``."""
    ctx.obj = Settings(lang, Path(rules) if rules else None, unit, measure)
