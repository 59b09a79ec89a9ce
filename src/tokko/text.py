"""Folding of user-typed text: full-width to half-width, surrounding blanks removed."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_KANA_OFFSET = ord("ァ") - ord("ぁ")


def fold(value: str) -> str:
    """NFKC-normalise and strip: ``"　ＡＩ "`` → ``"AI"``, half-width katakana → full-width."""
    if value.isascii():  # NFKC leaves ASCII as it is
        return value.strip()
    return _fold(value)


@lru_cache(maxsize=65536)
def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def to_katakana(value: str) -> str:
    """Hiragana to katakana, so that かな and カナ searches match the same readings."""
    return "".join(
        chr(ord(ch) + _KANA_OFFSET) if "ぁ" <= ch <= "ゖ" else ch for ch in value
    )
