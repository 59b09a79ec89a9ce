"""The exceptions tokko raises on purpose; each one says what a user needs to fix the input.

- :class:`~tokko.model.problem.InvalidValue` — one value cannot be used (a bad cell); the engine
  turns it into an error row and keeps going.
- :class:`InputFileError` — an input file cannot be read at all (exit code 3).
- :class:`OutputFileError` — an output cannot be written (exit code 3).
- :class:`RuleFileError` — the rule files are refused; every problem is listed (exit code 3).
- :class:`UsageError` — the call itself is wrong: an output that would overwrite an input, two
  outputs on one path, options that contradict each other (exit code 2).

A library caller who gives :func:`tokko.calculate` something that is not a declaration at all
(``None``, a list, ``"items": "notalist"``) gets pydantic's ``ValidationError`` with the path.
Messages are rendered into a language only when shown: ``error.message("ja")``.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from tokko.messages import Lang, Ref, t

_OS_REASONS = {
    errno.EACCES: "os.denied",
    errno.EPERM: "os.denied",
    errno.ENOENT: "os.missing",
    errno.EISDIR: "os.is_folder",
    errno.ENOTDIR: "os.not_folder",
    errno.ENOSPC: "os.disk_full",
    errno.EROFS: "os.read_only",
    errno.ENAMETOOLONG: "os.name_too_long",
}


def os_reason(error: OSError) -> Ref | str:
    """Why the system refused a file, in the catalog's words where it has them (the system's
    own text, in English, otherwise)."""
    found = _OS_REASONS.get(error.errno or 0)
    return Ref(found) if found else error.strerror or type(error).__name__


class Described(Protocol):
    """What :class:`RuleFileError` lists: a problem that can be put into words
    (:class:`tokko.model.problem.Problem`)."""

    def message(self, lang: Lang) -> str: ...


class TokkoError(Exception):
    """Base class of every error tokko raises on purpose."""


class InputFileError(TokkoError):
    """An input file cannot be read at all: missing, not a table, unknown encoding, no header."""

    def __init__(self, file: str, detail: str, **params: object) -> None:
        super().__init__(f"{file}: {t(detail, 'en', **params)}")
        self.file = file
        self.detail = detail
        self.params: Mapping[str, object] = params

    def message(self, lang: Lang = "ja") -> str:
        """``file: what is wrong and what was expected``, in ``lang``."""
        return f"{self.file}: {t(self.detail, lang, **self.params)}"


class UsageError(TokkoError):
    """The call is wrong before anything is read (SPEC §5: exit code 2)."""

    def __init__(self, detail: str, **params: object) -> None:
        super().__init__(t(detail, "en", **params))
        self.detail = detail
        self.params: Mapping[str, object] = params

    def message(self, lang: Lang = "ja") -> str:
        return t(self.detail, lang, **self.params)


class OutputFileError(TokkoError):
    """An output cannot be written: its folder is missing or read-only, the disk is full. The
    message names the file the user asked for, never a temporary name (exit code 3)."""

    def __init__(self, file: str, detail: str, **params: object) -> None:
        super().__init__(f"{file}: {t(detail, 'en', **params)}")
        self.file = file
        self.detail = detail
        self.params: Mapping[str, object] = params

    def message(self, lang: Lang = "ja") -> str:
        return f"{self.file}: {t(self.detail, lang, **self.params)}"


class RuleFileError(TokkoError):
    """One or more rule files are refused; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Described]) -> None:
        super().__init__("\n".join(p.message("en") for p in problems))
        self.problems: list[Any] = list(problems)
