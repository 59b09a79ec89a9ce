"""The few exceptions tokko raises, each carrying what a user needs to fix the input.

Row-level problems (one bad cell) are :class:`FieldError`; the engine turns them into error rows
and keeps going. :class:`RuleFileError` and :class:`InputFileError` stop a run: the rules or the
input could not be read at all (exit code 3 on the command line).
"""

from __future__ import annotations

from typing import NamedTuple


class TokkoError(Exception):
    """Base class of every error tokko raises on purpose."""


class FieldError(TokkoError, ValueError):
    """One value cannot be used; ``code`` is an error code of SPEC §4.

    ``detail_ja`` / ``detail_en`` say what was expected, in each language. The caller adds the
    file, row and column it knows about.
    """

    def __init__(self, code: str, detail_ja: str, detail_en: str) -> None:
        super().__init__(f"{code}: {detail_en}")
        self.code = code
        self.detail_ja = detail_ja
        self.detail_en = detail_en


class RuleProblem(NamedTuple):
    """One reason a rule file is refused: the file, the dotted key path and why.

    ``reason`` is English, ``reason_ja`` the same in Japanese (empty when there is none).
    """

    file: str
    key: str
    reason: str
    reason_ja: str = ""

    def text(self, lang: str = "en") -> str:
        """The reason in ``lang`` (``"ja"`` or ``"en"``)."""
        return self.reason_ja if lang == "ja" and self.reason_ja else self.reason

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.reason}"


class RuleFileError(TokkoError):
    """One or more rule files are refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class InputFileError(TokkoError):
    """An input file cannot be read at all (missing, unreadable, unknown encoding, no header)."""

    def __init__(self, file: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{file}: {message_en}")
        self.file = file
        self.message_ja = message_ja
        self.message_en = message_en

    def message(self, lang: str = "ja") -> str:
        text = self.message_ja if lang == "ja" else self.message_en
        return f"{self.file}: {text}"
