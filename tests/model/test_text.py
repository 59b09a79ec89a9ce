"""Folding what people type (issue 12 item 2): invisible characters never change a value.

``fold`` removes every Unicode format character (category Cf: zero-width space, soft hyphen,
ZWJ, word joiner, BOM…), the variation selectors and the control characters other than blanks,
applies NFKC and strips the ends. The invisible characters are found by scanning
:mod:`unicodedata` here, once, not taken from the module under test.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokko.model.text import fold, loose, printable, to_katakana

SOME = settings(max_examples=200, deadline=None)

#: The blanks: control characters that are not invisible (tab, LF, VT, FF, CR).
BLANKS = "\t\n\x0b\x0c\r"
_CATEGORIES = {
    ch: category
    for ch in map(chr, range(sys.maxunicode + 1))
    if (category := unicodedata.category(ch)) in ("Cf", "Cc")
}  # one scan
#: Every format character (category Cf) of this Python's Unicode database.
FORMAT_CHARACTERS = tuple(ch for ch, category in _CATEGORIES.items() if category == "Cf")
#: The variation selectors: VS1–VS16, VS17–VS256 and the Mongolian free variation selectors.
VARIATION_SELECTORS = tuple(
    chr(c)
    for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), *range(0x180B, 0x1810))
    if unicodedata.category(chr(c)) != "Cf"  # U+180E is Cf, already above
)
#: Control characters (category Cc) other than the blanks.
CONTROLS = tuple(
    ch for ch, category in _CATEGORIES.items() if category == "Cc" and ch not in BLANKS
)
INVISIBLE = FORMAT_CHARACTERS + VARIATION_SELECTORS + CONTROLS


def test_the_scan_found_the_usual_suspects() -> None:
    """The scan finds the characters issue 12 names, and many more."""
    for ch in (
        "\u200b",
        "\u00ad",
        "\u200d",
        "\u200c",
        "\u2060",
        "\ufeff",
        "\u200e",
        "\u202e",
        "\U000e0001",
    ):
        assert ch in FORMAT_CHARACTERS, f"U+{ord(ch):04X}"
    assert "\ufe0f" in VARIATION_SELECTORS
    assert "\x00" in CONTROLS
    assert "\x1b" in CONTROLS
    assert "\x7f" in CONTROLS
    assert "\x85" in CONTROLS
    assert len(FORMAT_CHARACTERS) > 150
    assert len(VARIATION_SELECTORS) == 16 + 240 + 4


@pytest.mark.parametrize("ch", INVISIBLE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_fold_removes_each_invisible_character(ch: str) -> None:
    """Each format character, variation selector and non-blank control character is removed,
    between letters, kanji or digits, in ASCII and non-ASCII text alike."""
    assert fold(f"a{ch}b") == "ab"
    assert fold(f"住{ch}民記録") == "住民記録"
    assert fold(f"{ch}C-001{ch}") == "C-001"


def test_fold_keeps_blanks_inside() -> None:
    """Tabs and line breaks inside a value are not invisible characters: they stay."""
    assert fold("a\tb") == "a\tb"
    assert fold("a\nb") == "a\nb"
    assert fold("a b") == "a b"


def test_fold_strips_the_ends() -> None:
    """Blanks at either end go, ideographic spaces included."""
    assert fold("  AI \t") == "AI"
    assert fold("\u3000住民記録\u3000") == "住民記録"
    assert fold("\r\n011002\n") == "011002"
    assert fold("\u200b \u200b") == ""


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ＡＩ", "AI"),
        ("ｒｐａ", "rpa"),
        ("０１１００２", "011002"),
        ("ｻｯﾎﾟﾛ", "サッポロ"),
        ("１，２３４円", "1,234円"),
        ("①", "1"),
        ("㈱", "(株)"),
        ("Ｃ－００１", "C-001"),
        ("ﾃﾞｰﾀ", "データ"),
        ("e\u0301", "é"),
        ("ﬁ", "fi"),
        ("\u3000", ""),
    ],
)
def test_fold_applies_nfkc(typed: str, folded: str) -> None:
    """NFKC: full-width to ASCII, half-width katakana to full-width, compatibility forms
    decomposed, combining marks composed."""
    assert fold(typed) == folded
    assert fold(typed) == unicodedata.normalize("NFKC", typed).strip()


@pytest.mark.parametrize(
    "dash",
    [
        "\u2010",
        "\u2011",
        "\u2012",
        "\u2013",
        "\u2014",
        "\u2015",
        "\u2043",
        "\u2212",
        "\ufe58",
        "\ufe63",
        "\uff0d",
    ],
)
def test_fold_writes_every_dash_as_a_hyphen(dash: str) -> None:
    """The minus sign an input method types (AI−OCR), the hyphen, en and em dashes: all "-",
    so a technology or an id never differs by its dash; the long-vowel mark ー stays."""
    assert fold(f"AI{dash}OCR") == "AI-OCR"
    assert fold("データ") == "データ"


@pytest.mark.parametrize(
    "typed", ["C-1", "c-1", "C - 1", " c-1 ", "Ｃ－１", "C\u22121", "C\u200b-1"]
)
def test_loose_makes_contract_ids_typed_apart_the_same(typed: str) -> None:
    """Contract ids compare without case, blanks or how the dash was typed."""
    assert loose(typed) == loose("C-1") == "c-1"
    assert loose("C-2") != loose("C-1")


def test_fold_is_idempotent_on_examples() -> None:
    """Folding twice is folding once."""
    for text in ("ＡＩ", "住\u200b民記録", " C-001 ", "ｻｯﾎﾟﾛ", "a\x00b"):
        assert fold(fold(text)) == fold(text)


invisible = st.sampled_from(INVISIBLE)
# Any text, and text made of what people type (ASCII, kana, kanji, full width) so that both
# of fold's paths (ASCII and not) are exercised.
texts = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=20),
    st.text(alphabet="住民記録介護保険AIRPA-0123456789 ＡＩｻｯﾎﾟﾛ　、・", max_size=20),
)


@st.composite
def with_invisible(draw: st.DrawFn) -> tuple[str, str]:
    """A text, and the same text with invisible characters inserted anywhere."""
    text = draw(texts)
    out = list(text)
    for _ in range(draw(st.integers(1, 6))):
        out.insert(draw(st.integers(0, len(out))), draw(invisible))
    return text, "".join(out)


@SOME
@given(with_invisible())
def test_inserting_invisible_characters_never_changes_fold(case: tuple[str, str]) -> None:
    """Inserting any invisible characters anywhere in any text never changes fold(text)."""
    text, sprinkled = case
    assert fold(sprinkled) == fold(text)


@SOME
@given(texts)
def test_fold_result_has_no_invisible_character_the_input_lacked(text: str) -> None:
    """What fold returns holds no invisible character and no blank at either end, unless NFKC
    itself made one."""
    folded = fold(text)
    assert folded == folded.strip()
    made = set(unicodedata.normalize("NFKC", "".join(ch for ch in text if ch not in INVISIBLE)))
    assert all(ch in made for ch in folded if ch in INVISIBLE)


def test_printable_strips_what_a_terminal_would_obey() -> None:
    """printable removes control and format characters (an ESC[2J must not clear the screen)
    and turns tabs and line breaks into spaces."""
    assert printable("ok") == "ok"
    assert printable("a\x1b[2Jb") == "a[2Jb"
    assert printable("a\u202eb") == "ab"
    assert printable("a\tb\nc") == "a b c"
    assert printable("住民記録") == "住民記録"


def test_to_katakana() -> None:
    """Hiragana become katakana; everything else stays."""
    assert to_katakana("さっぽろ") == "サッポロ"
    assert to_katakana("さいたま市") == "サイタマ市"
    assert to_katakana("ABC・ゔ") == "ABC・ヴ"


HIRAGANA = [
    chr(c)
    for c in range(0x3040, 0x30A0)
    if unicodedata.name(chr(c), "").startswith("HIRAGANA LETTER ")
]


def test_every_hiragana_letter_becomes_its_katakana() -> None:
    """Every hiragana letter, from the small ぁ to the small ゖ, becomes the katakana letter of
    the same name (ぁ → ァ, ゔ → ヴ, ゖ → ヶ), so a search in hiragana finds any reading; the
    iteration marks (ゝ, ゞ), the prolonged sound mark (ー) and katakana stay as they are."""
    assert HIRAGANA[0] == "ぁ"
    assert HIRAGANA[-1] == "ゖ"
    for ch in HIRAGANA:
        same = unicodedata.lookup(unicodedata.name(ch).replace("HIRAGANA", "KATAKANA"))
        assert to_katakana(ch) == same, ch
    assert to_katakana("".join(HIRAGANA)) == "".join(
        unicodedata.lookup(unicodedata.name(ch).replace("HIRAGANA", "KATAKANA")) for ch in HIRAGANA
    )
    assert to_katakana("ゝゞーァヶ") == "ゝゞーァヶ"
