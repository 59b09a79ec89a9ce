"""The one message catalog (issue 15 item 5): every entry in both languages, every code in it.

The codes are read from SPEC §4 (``../shared/SPEC.md``, the paragraphs after "Closed
vocabularies") at test time, not from the code under test, so a code the SPEC adds and tokko
lacks is noticed.
"""

from __future__ import annotations

import re
import string

import pytest
from tests.spec import SPEC

from tokko.messages import CATALOG, LANGS, Msg, Ref, Sentences, has, pair, t
from tokko.model.codes import (
    ALL_CODES,
    RULE_KEYS,
    ErrorCode,
    ReasonCode,
    WarningCode,
    code_of,
    kind_of,
)

_CODE = re.compile(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
#: A lowercase English word (not part of a name such as Shift_JIS).
_WORD = re.compile(r"(?<![A-Za-z_])[a-z]{2,}(?![A-Za-z_])")


def _spec_vocabulary() -> dict[str, str]:
    """SPEC §4's codes with their kind (reason, warning, error), from the paragraphs after
    "Closed vocabularies" (reasons, then warnings, then error codes)."""
    assert SPEC.is_file(), f"the SPEC is read from {SPEC}"
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("\n## 4.", 1)[1].split("\n## 5.", 1)[0]
    vocabulary = section.split("Closed vocabularies", 1)[1].split("Batch-level checks", 1)[0]
    reasons, rest = vocabulary.split("\nWarnings", 1)
    warnings, errors = rest.split("\nError codes", 1)
    kinds: dict[str, str] = {}
    for kind, part in (("reason", reasons), ("warning", warnings), ("error", errors)):
        for code in _CODE.findall(part):
            kinds.setdefault(code, kind)
    return kinds


SPEC_CODES = _spec_vocabulary()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _code_like(text: str) -> bool:
    """Text that reads the same in both languages: no Japanese and no lowercase English word
    once the placeholders are taken out (``SHA-256``, ``URL``, ``ID``, ``{text}``)."""
    bare = re.sub(r"\{[^}]*\}", "", text)
    return not _JAPANESE.search(bare) and not _WORD.search(bare)


# ── The SPEC's vocabulary ───────────────────────────────────────────────────────────────────


def test_spec_vocabulary_is_read() -> None:
    """The SPEC's §4 lists are found: six reasons, thirteen warnings, the error codes."""
    kinds = list(SPEC_CODES.values())
    assert kinds.count("reason") == 6
    assert kinds.count("warning") == 13
    assert kinds.count("error") >= 13
    assert SPEC_CODES["STANDARD_RATE"] == "reason"
    assert SPEC_CODES["FISCAL_STRENGTH_NOT_APPLIED"] == "warning"
    assert SPEC_CODES["CODE_LEADING_ZERO_RESTORED"] == "warning"
    assert SPEC_CODES["UNKNOWN_COLUMN"] == "error"
    assert SPEC_CODES["RULE_VERSION_CONFLICT"] == "error"


@pytest.mark.parametrize(("code", "kind"), sorted(SPEC_CODES.items()))
def test_every_spec_code_has_an_entry_and_a_member(code: str, kind: str) -> None:
    """Every code of SPEC §4 has a ``code.<CODE>`` entry in both languages, is in ALL_CODES as
    the SPEC's kind, and names the rule key it comes from (or none, for the input's form)."""
    assert has(f"code.{code}")
    assert t(f"code.{code}", "ja")
    assert t(f"code.{code}", "en")
    assert code in {str(c) for c in ALL_CODES}
    member = code_of(code)
    assert kind_of(member) == kind
    assert kind_of(code) == kind  # the code as a plain string, as a JSON result carries it
    assert member in RULE_KEYS


def test_kind_of_a_string_that_is_no_code_is_a_key_error() -> None:
    """A misspelt code is refused, never taken for an error code."""
    with pytest.raises(KeyError):
        kind_of("REVENUE_EXCEEDS_AMMOUNT")


def test_tokko_codes_are_the_spec_ones() -> None:
    """tokko has no code the SPEC lacks, but INVALID_RULE_FILE (a refused rule file that is
    not a version conflict, never on a row)."""
    assert {str(c) for c in ALL_CODES} - set(SPEC_CODES) == {"INVALID_RULE_FILE"}
    assert len(ALL_CODES) == len(set(ALL_CODES))


def test_every_code_has_an_entry() -> None:
    """Every member of the three enums has its ``code.<CODE>`` entry."""
    for enum in (ReasonCode, WarningCode, ErrorCode):
        for code in enum:
            assert has(f"code.{code}"), code


def test_rule_keys_name_keys_of_the_rule_file() -> None:
    """A code's rule key is a key path of the rule files (its first part a top-level table)."""
    tables = {
        "measure",
        "rates",
        "joint_procurement",
        "technologies",
        "expense_kinds",
        "excluded_businesses",
        "specific_revenue",
        "fiscal_strength",
        "rounding",
        "exclusion_order",
        "audit_checks",
    }
    for code, key in RULE_KEYS.items():
        if key is not None:
            assert key.split(".")[0] in tables, (code, key)


# ── The catalog's entries ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("entry", sorted(CATALOG))
def test_every_entry_has_both_languages(entry: str) -> None:
    """Every entry has a non-empty Japanese and English text; they differ unless the text is
    a code or a placeholder alone (SHA-256, URL, {text})."""
    message = CATALOG[entry]
    assert isinstance(message, Msg)
    assert message.ja.strip(), entry
    assert message.en.strip(), entry
    if message.ja.strip() == message.en.strip():
        assert _code_like(message.ja), f"{entry}: the same text in ja and en: {message.ja!r}"


@pytest.mark.parametrize("entry", sorted(CATALOG))
def test_japanese_text_reads_in_japanese(entry: str) -> None:
    """The Japanese text has Japanese in it, unless it is a code, a name or a placeholder."""
    message = CATALOG[entry]
    bare = re.sub(r"\{[^}]*\}", "", message.ja)
    assert _JAPANESE.search(bare) or _code_like(message.ja), entry


#: Placeholders written in one language only, on purpose, with why.
ONE_LANGUAGE = {
    # The caller passes the kinds' list in each language (names_ja, names_en).
    ("expense_kind.unknown", "names_ja"),
    ("expense_kind.unknown", "names_en"),
    # The era label (令和6年度) is shown in Japanese only.
    ("rules.no_year", "label"),
    # The Japanese column label is shown in Japanese only.
    ("file.column_name", "label"),
}


@pytest.mark.parametrize("entry", sorted(CATALOG))
def test_placeholders_are_the_same_in_both_languages(entry: str) -> None:
    """Every {placeholder} of the Japanese text is in the English text and vice versa, except
    the few listed on purpose (a parameter meant for one language)."""
    message = CATALOG[entry]
    ja, en = _placeholders(message.ja), _placeholders(message.en)
    only = {(entry, name) for name in ja ^ en}
    assert only <= ONE_LANGUAGE, sorted(only - ONE_LANGUAGE)


def test_one_language_placeholders_are_still_needed() -> None:
    """Each exception of ONE_LANGUAGE is still a placeholder of one language only."""
    for entry, name in ONE_LANGUAGE:
        message = CATALOG[entry]
        assert (name in _placeholders(message.ja)) != (name in _placeholders(message.en)), (
            entry,
            name,
        )


def test_catalog_families() -> None:
    """Labels of columns, statuses and codes are in the one catalog."""
    for entry in (
        "status.eligible",
        "status.excluded",
        "status.error",
        "column.amount",
        "help.amount",
        "code.STANDARD_RATE",
    ):
        assert has(entry)
    assert not has("no.such.entry")
    assert t("status.eligible", "ja") == "対象"
    assert t("status.eligible", "en") == "eligible"


# ── t, Ref, pair ────────────────────────────────────────────────────────────────────────────


def test_t_fills_placeholders_in_the_language_asked() -> None:
    """t fills {placeholders}; a Ref parameter is put into the same language; a list of Refs
    is an enumeration (「、」, ", "), Sentences are sentences (「。」, "; ")."""
    assert (
        t("field.missing", "ja", label=Ref("column.amount"))
        == "「事業費」は必須です。値を入れてください"
    )
    assert (
        t("field.missing", "en", label=Ref("column.amount")) == "'amount' is required; fill it in"
    )
    both = [Ref("fs.interval.zero"), Ref("fs.interval.from_zero")]
    listed = t("fs.coverage", "en", problems=both)
    assert listed.endswith(": the index 0, indices from 0")
    assert t("fs.coverage", "ja", problems=both).endswith("指数0、0以上の指数")
    sentences = t("fs.coverage", "en", problems=Sentences(both))
    assert sentences.endswith(": the index 0; indices from 0")
    assert t("fs.coverage", "ja", problems=Sentences(both)).endswith("指数0。0以上の指数")
    assert pair("status.error") == Msg("エラー", "error")


def test_t_refuses_an_unknown_entry() -> None:
    """An id the catalog lacks is a KeyError (a typing mistake in the code, never a message)."""
    with pytest.raises(KeyError):
        t("no.such.entry", "ja")


def test_languages() -> None:
    """Two languages, Japanese first (the default everywhere)."""
    assert LANGS == ("ja", "en")
