"""One problem type: where it is, which code, the value found and what was expected.

A :class:`Problem` carries a location (file, row, column — or the key of a rule file), an
:class:`~tokko.model.codes.ErrorCode`, the offending value and the id of a message of
:mod:`tokko.messages` with its parameters. It is put into words only when it is shown
(:meth:`Problem.message`), in the language asked for; nothing is stored pre-rendered.

Parsers raise :class:`InvalidValue` carrying a problem without a location; whoever knows the
file, row and column adds them (:meth:`Problem.at`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from tokko.errors import TokkoError
from tokko.messages import Lang, has, t
from tokko.model.codes import ErrorCode

_NOTHING: Mapping[str, object] = MappingProxyType({})
_SHOWN = 40


def shown(value: object) -> str:
    """A value as quoted in a message: at most 40 characters, control characters escaped."""
    text = str(value)
    if not text.isprintable():
        text = "".join(
            ch
            if ch.isprintable()
            else f"\\x{ord(ch):02x}"
            if ord(ch) < 256
            else f"\\u{ord(ch):04x}"
            for ch in text
        )
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def column_label(column: str | None, lang: Lang) -> str:
    """A column's header in ``lang``: ``amount`` → 事業費; ``agreements.parties`` →
    協定.構成団体; a name that is no field stays as it is."""
    if not column:
        return ""
    prefix, dot, rest = column.partition(".")
    if dot and has(f"column.{prefix}"):
        return f"{t(f'column.{prefix}', lang)}.{column_label(rest, lang)}"
    return t(f"column.{column}", lang) if has(f"column.{column}") else column


class Problem(NamedTuple):
    """One thing wrong with the input or a rule file."""

    code: ErrorCode
    #: The id of the message (in :mod:`tokko.messages`) saying what was found and expected.
    detail: str
    params: Mapping[str, object] = _NOTHING
    value: object = None
    file: str | None = None
    #: The row as a spreadsheet shows it (the header is row 1), or an item's position.
    row: int | None = None
    #: A field name (``amount``), ``agreements.<field>``, or the header of an unknown column.
    column: str | None = None
    #: The key path of a rule file (``rates.joint.value``), for a rule-file problem.
    key: str | None = None

    def at(
        self, *, file: str | None = None, row: int | None = None, column: str | None = None
    ) -> Problem:
        """The same problem with the location filled in where it is not yet known."""
        return self._replace(
            file=self.file or file,
            row=self.row if self.row is not None else row,
            column=self.column or column,
        )

    def detail_text(self, lang: Lang) -> str:
        """What was found and what was expected, in ``lang``."""
        return t(self.detail, lang, **self.params)

    def message(self, lang: Lang) -> str:
        """The whole message in ``lang``: where, the code's meaning, and the detail. A detail
        may word the code's meaning for its own case (``code.CODE@detail`` in the catalog: a
        repeated agreement number is no repeated item number)."""
        own = f"code.{self.code}@{self.detail}"
        code = t(own if has(own) else f"code.{self.code}", lang)
        detail = self.detail_text(lang)
        if self.key is not None:
            return f"{self.key}: {detail}"
        if not self.column:
            return f"{code}。{detail}" if lang == "ja" else f"{code}: {detail}"
        if lang == "ja":
            label = column_label(self.column, "ja")
            where = label if label == self.column else f"{label}（{self.column}）"
            return f"{where}: {code}。{detail}"
        return f"{self.column}: {code}: {detail}"


class InvalidValue(TokkoError, ValueError):  # noqa: N818 — named for what it carries
    """One value cannot be used; :attr:`problem` says why (its location is the caller's)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.code}: {problem.detail_text('en')}")
        self.problem = problem


def invalid(
    code: ErrorCode, detail: str, value: object = None, /, **params: object
) -> InvalidValue:
    """The exception for one bad value: ``raise invalid(ErrorCode.INVALID_AMOUNT, "amount.negative",
    value, shown=...)``."""
    return InvalidValue(Problem(code, detail, MappingProxyType(params), value))
