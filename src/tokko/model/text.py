"""Folding what people type, in one place: every value that is matched or compared is folded here.

:func:`fold` removes what cannot be seen (format characters such as a zero-width space, a soft
hyphen or a word joiner, variation selectors, control characters other than blanks), applies
NFKC (full-width ``ＡＩ`` → ``AI``, half-width katakana → full-width), writes every dash as
``-`` and strips the ends. So
``住\\u200b民記録`` is ``住民記録`` and ``C\\u200b-001`` is ``C-001``: an invisible character never
changes what a value matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KANA_OFFSET = ord("ァ") - ord("ぁ")
#: ASCII control characters other than the blanks (tab, line feed, vertical tab, form feed, CR).
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BLANKS = "\t\n\r\x0b\x0c"


def _invisible(ch: str) -> bool:
    """A character nobody can see: a format character (Unicode category Cf), a control
    character other than a blank, or a variation selector."""
    category = unicodedata.category(ch)
    if category == "Cf":
        return True
    if category == "Cc":
        return ch not in _BLANKS
    return (
        "\ufe00" <= ch <= "\ufe0f"
        or "\U000e0100" <= ch <= "\U000e01ef"
        or ("\u180b" <= ch <= "\u180f")
    )


def fold(value: str) -> str:
    """The value as compared: invisible characters removed, NFKC, ends stripped."""
    if value.isascii():  # no format character or variation selector is ASCII; NFKC keeps ASCII
        if _ASCII_CONTROL.search(value) is None:
            return value.strip()
        return _ASCII_CONTROL.sub("", value).strip()
    return _fold(value)


#: Dashes NFKC leaves alone (the minus sign U+2212 that Japanese input methods type, the
#: hyphen U+2010, en and em dashes…): ``AI−OCR`` is ``AI-OCR``, ``C−001`` is ``C-001``.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58", "-")
)


@lru_cache(maxsize=65536)
def _fold(value: str) -> str:
    visible = "".join(ch for ch in value if not _invisible(ch))
    return unicodedata.normalize("NFKC", visible).translate(_DASHES).strip()


def loose(value: str) -> str:
    """The form in which two contract ids name the same contract however they were typed:
    folded, without blanks, case-insensitive (``c - 1`` is ``C-1``). Used only to find an
    expense counted twice, which is a warning: a false match is shown, never hidden."""
    if value.isascii() and value.isprintable() and " " not in value:  # "C-2021-001": the usual
        return value.lower()  # ASCII: lower() is casefold()
    return "".join(fold(value).split()).casefold()


def printable(value: str) -> str:
    """Text safe to show on a terminal: control and format characters removed (an ``ESC[2J`` in
    a description must not clear the screen); line breaks and tabs become spaces."""
    if value.isprintable():
        return value
    return "".join(
        " " if ch in _BLANKS else ch for ch in value if ch in _BLANKS or not _invisible(ch)
    )


def to_katakana(value: str) -> str:
    """Hiragana to katakana, so that かな and カナ searches match the same readings."""
    return "".join(chr(ord(ch) + _KANA_OFFSET) if "ぁ" <= ch <= "ゖ" else ch for ch in value)
