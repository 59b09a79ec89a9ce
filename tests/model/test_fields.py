"""The input's fields (SPEC §3): declared once, matched by header, each value read and folded.

Headers are matched in English and Japanese, with aliases and a unit in brackets; a column that
is no field is never ignored silently, but a person's own columns (備考, メモ, note, comment)
are; values that are matched or compared are folded, so that full-width or invisible characters
never make another value (issue 12 items 2 and 3). The SPEC's table of fields is read from
../shared/SPEC.md at test time.
"""

from __future__ import annotations

import pickle
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.spec import SPEC

from tokko.messages import has, t
from tokko.model.codes import ErrorCode
from tokko.model.declaration import (
    AGREEMENT_FIELDS,
    DECLARATION_FIELDS,
    ITEM_FIELDS,
    ROW_FIELDS,
)
from tokko.model.fields import (
    PERSONAL_COLUMNS,
    Twice,
    Unsaved,
    is_blank,
    is_personal,
    label_of,
    match_header,
    probable_field,
    read_fields,
    read_id,
    read_parties,
    read_procurement,
    read_text,
    read_yen,
)
from tokko.model.fiscal_year import parse_fiscal_year
from tokko.model.localgov import read_code
from tokko.model.money import parse_yen
from tokko.model.problem import InvalidValue

SOME = settings(max_examples=100, deadline=None)


def _spec_fields() -> dict[str, str]:
    """SPEC §3's table of an expense item: field → its accepted Japanese header."""
    assert SPEC.is_file(), f"the SPEC is read from {SPEC}"
    section = SPEC.read_text(encoding="utf-8").split("\n## 3.", 1)[1].split("\n## 4.", 1)[0]
    rows = re.findall(r"^\| ([a-z_]+) \| (\S+) \|", section, flags=re.MULTILINE)
    return dict(rows)


SPEC_FIELDS = _spec_fields()


def _field(header: str) -> str | None:
    return match_header(header, ROW_FIELDS).field


# ── The declaration of the fields ───────────────────────────────────────────────────────────


def test_row_fields_are_the_spec_table_in_its_order() -> None:
    """A row's fields are SPEC §3's table, in its order, each labelled by its Japanese header."""
    assert len(SPEC_FIELDS) == 15
    assert [f.name for f in ROW_FIELDS] == list(SPEC_FIELDS)
    for field in ROW_FIELDS:
        assert field.label("ja") == SPEC_FIELDS[field.name]
        assert t(f"column.{field.name}", "ja") == SPEC_FIELDS[field.name]


def test_required_fields_and_defaults() -> None:
    """Required: government, year, item number, description, technology, kind, amount;
    specific revenue defaults to 0 and procurement to single (SPEC §3)."""
    required = {f.name for f in ROW_FIELDS if f.required}
    assert required == {
        "entity_code",
        "fiscal_year",
        "item_id",
        "description",
        "technology",
        "expense_kind",
        "amount",
    }
    defaults = {f.name: f.default for f in ROW_FIELDS if not f.required}
    assert defaults["specific_revenue"] == Decimal(0)
    assert defaults["procurement"] == "single"
    assert defaults["business_area"] == ""
    assert defaults["introduced_in"] is None
    assert defaults["fiscal_strength_index"] is None


def test_every_field_has_labels_and_help_in_both_languages() -> None:
    """Each field of an item, an agreement and a declaration has column.<name> and help.<name>."""
    for field in (*ITEM_FIELDS, *AGREEMENT_FIELDS, *DECLARATION_FIELDS):
        for family in ("column", "help"):
            assert has(f"{family}.{field.name}"), f"{family}.{field.name}"
            assert t(f"{family}.{field.name}", "ja")
            assert t(f"{family}.{field.name}", "en")
        assert field.label("en") != field.label("ja")


def test_agreement_fields() -> None:
    """An agreement: 協定番号, 協定名, 締結日, 構成団体 (SPEC §3, Agreement)."""
    assert [(f.name, f.label("ja")) for f in AGREEMENT_FIELDS] == [
        ("agreement_id", "協定番号"),
        ("title", "協定名"),
        ("concluded_on", "締結日"),
        ("parties", "構成団体"),
    ]


# ── Headers ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("field", list(SPEC_FIELDS))
def test_header_by_name_english_label_and_japanese_label(field: str) -> None:
    """Every field is found by its name, its English label and its Japanese header, whatever
    the case, blanks, underscores, hyphens or width."""
    english = t(f"column.{field}", "en")
    for header in (
        field,
        field.upper(),
        field.replace("_", " "),
        field.replace("_", "-"),
        english,
        english.title(),
        SPEC_FIELDS[field],
        f" {SPEC_FIELDS[field]} ",
        f"{SPEC_FIELDS[field]}\u200b",
    ):
        assert _field(header) == field, header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("団体番号", "entity_code"),
        ("地方公共団体コード", "entity_code"),
        ("会計年度", "fiscal_year"),
        ("番号", "item_id"),
        ("項番", "item_id"),
        ("事業の名称", "description"),
        ("技術区分", "technology"),
        ("対象事務", "business_area"),
        ("経費種別", "expense_kind"),
        ("金額", "amount"),
        ("対象経費", "amount"),
        ("特定財源額", "specific_revenue"),
        ("調達区分", "procurement"),
        ("契約金額", "contract_total"),
        ("導入した年度", "introduced_in"),
        ("財政力", "fiscal_strength_index"),
        ("ＡＭＯＵＮＴ", "amount"),
        ("Fiscal_Year", "fiscal_year"),
    ],
)
def test_header_aliases(header: str, field: str) -> None:
    """The aliases each field declares are headers too."""
    assert _field(header) == field


@pytest.mark.parametrize(
    ("header", "field", "unit"),
    [
        ("事業費（千円）", "amount", 1000),
        ("事業費(千円)", "amount", 1000),
        ("事業費 [千円]", "amount", 1000),
        ("事業費（円）", "amount", 1),
        ("amount (yen)", "amount", 1),
        ("amount (thousand yen)", "amount", 1000),
        ("特定財源（千円）", "specific_revenue", 1000),
        ("契約総額(千円)", "contract_total", 1000),
        ("事業費", "amount", None),
    ],
)
def test_header_with_a_unit(header: str, field: str, unit: int | None) -> None:
    """A unit in brackets after a header (事業費（千円）) is read as the column's unit."""
    found = match_header(header, ROW_FIELDS)
    assert (found.text, found.field, found.unit) == (header, field, unit)


@pytest.mark.parametrize("header", ["国庫補助金", "事業費（千円", "備考", "合計", "", "amount2"])
def test_header_that_is_no_field(header: str) -> None:
    """A header that is none of the fields matches nothing (it is reported, never guessed)."""
    assert _field(header) is None


@pytest.mark.parametrize(
    ("header", "probable"),
    [
        ("国庫補助金", "specific_revenue"),
        ("県補助金", "specific_revenue"),
        ("国庫支出金", "specific_revenue"),
        ("交付金", "specific_revenue"),
        ("事業費用", "amount"),
        ("発注方法", "procurement"),
        ("財政力", "fiscal_strength_index"),
        ("amout", "amount"),
        ("fiscal_yaer", "fiscal_year"),
    ],
)
def test_probable_field(header: str, probable: str) -> None:
    """An unknown header names the field it probably meant: 国庫補助金 → 特定財源 (the Board of
    Audit's most frequent finding), and near misspellings."""
    assert probable_field(header, ROW_FIELDS) == probable


def test_no_probable_field_for_unrelated_text() -> None:
    """Nothing is suggested for a header unlike any field."""
    assert probable_field("xyz", ROW_FIELDS) is None
    assert probable_field("担当者", ROW_FIELDS) is None


@pytest.mark.parametrize(
    "header",
    [
        "備考",
        "メモ",
        "note",
        "comment",
        "Note",
        "ＮＯＴＥ",
        "Comments",
        "notes",
        "memo",
        "remarks",
        "摘要",
        " 備考 ",
        "備\u200b考",
    ],
)
def test_personal_columns(header: str) -> None:
    """Columns a person adds for themselves are accepted silently (SPEC §3)."""
    assert is_personal(header)
    assert _field(header) is None


def test_personal_column_list_holds_the_spec_ones() -> None:
    """備考, メモ, note and comment are in the list, as SPEC §3 names them."""
    assert {"備考", "メモ", "note", "comment"} <= set(PERSONAL_COLUMNS)


def test_ignored_columns_by_name() -> None:
    """--ignore-column NAME accepts another column by name (folded like the rest)."""
    assert not is_personal("担当者")
    assert is_personal("担当者", ["担当者"])
    assert is_personal("ＣＨＥＣＫ", ["check"])
    assert not is_personal("事業費", ["担当者"])


# ── Reading values ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("single", "single"),
        ("単独", "single"),
        ("単独調達", "single"),
        ("単独発注", "single"),
        ("joint", "joint"),
        ("共同", "joint"),
        ("共同調達", "joint"),
        ("共同発注", "joint"),
        ("JOINT", "joint"),
        ("Single", "single"),
        ("ｊｏｉｎｔ", "joint"),
        (" 共 同 ", "joint"),
        ("共\u200b同", "joint"),
        ("単独\u00ad発注", "single"),
    ],
)
def test_procurement_words(value: str, expected: str) -> None:
    """単独/単独調達/単独発注 are single, 共同/共同調達/共同発注 joint; case, width, blanks and
    invisible characters folded."""
    assert read_procurement(value) == expected


@pytest.mark.parametrize(
    "value", ["单独発注", "单独", "both", "共同?", "1", 1, "協同", "single joint"]
)
def test_unknown_procurement_refused(value: object) -> None:
    """Anything else — the simplified 单 (U+5355) for 単 included — is UNKNOWN_VALUE, never a
    guess: SPEC §3 reads single/単独 and joint/共同."""
    with pytest.raises(InvalidValue) as caught:
        read_procurement(value)
    problem = caught.value.problem
    assert problem.code is ErrorCode.UNKNOWN_VALUE
    assert "共同" in problem.message("ja")
    assert "joint" in problem.message("en")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("C-001", "C-001"),
        ("Ｃ－００１", "C-001"),
        ("C\u200b-001", "C-001"),
        ("  C-001 ", "C-001"),
        ("C-001\u00ad", "C-001"),
        ("\ufeffC-001", "C-001"),
        ("北海道-AI-2021-01", "北海道-AI-2021-01"),
        ("北海道－ＡＩ－２０２１－０１", "北海道-AI-2021-01"),
        (12, "12"),
        (12.0, "12"),
        (Decimal("12"), "12"),
    ],
)
def test_read_id_folds(value: object, expected: str) -> None:
    """An id as compared is folded: a full-width Ｃ－００１ or an invisible character never
    makes another id (a DUPLICATE_CONTRACT escapes no more)."""
    assert read_id(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("\u200b", ErrorCode.MISSING_FIELD),
        ("\u3000", ErrorCode.MISSING_FIELD),
        (True, ErrorCode.UNKNOWN_VALUE),
        (1.5, ErrorCode.UNKNOWN_VALUE),
        ([1], ErrorCode.UNKNOWN_VALUE),
        ("x" * 257, ErrorCode.UNKNOWN_VALUE),
    ],
)
def test_read_id_refuses(value: object, code: ErrorCode) -> None:
    """An id of nothing but invisible characters is missing; a bool, a fraction, a list or
    257 characters is no id."""
    with pytest.raises(InvalidValue) as caught:
        read_id(value)
    assert caught.value.problem.code is code


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("\u3000", True),
        ("\u200b", True),
        ("\ufeff\t", True),
        ("0", False),
        (0, False),
        ("a", False),
        (Decimal(0), False),
    ],
)
def test_is_blank(value: object, blank: bool) -> None:
    """None and text that folds to nothing are blank; 0 is a value."""
    assert is_blank(value) is blank


def test_read_parties() -> None:
    """Parties: a list, or codes separated by ;, 、, commas or blanks; repeats dropped; 5-digit
    codes read as codes are."""
    assert read_parties("011002;010006") == ("011002", "010006")
    assert read_parties("011002、01000 012025") == ("011002", "010006", "012025")
    assert read_parties(["011002", "011002", 10006]) == ("011002", "010006")
    with pytest.raises(InvalidValue) as caught:
        read_parties(";、")
    assert caught.value.problem.code is ErrorCode.MISSING_FIELD
    with pytest.raises(InvalidValue) as caught:
        read_parties("011002;011003")
    assert caught.value.problem.code is ErrorCode.INVALID_CODE


def test_read_fields_reports_every_problem_with_its_column() -> None:
    """read_fields reads every field; each bad or missing value is a problem at its column,
    none stops the others, and defaults fill what is optional."""
    values, problems = read_fields(
        {"entity_code": "011002", "amount": "x", "technology": " \u200b "}, ROW_FIELDS
    )
    assert values["entity_code"] == "011002"
    assert values["specific_revenue"] == 0
    assert values["procurement"] == "single"
    assert [(p.code, p.column) for p in problems] == [
        (ErrorCode.MISSING_FIELD, "fiscal_year"),
        (ErrorCode.MISSING_FIELD, "item_id"),
        (ErrorCode.MISSING_FIELD, "description"),
        (ErrorCode.MISSING_FIELD, "technology"),
        (ErrorCode.MISSING_FIELD, "expense_kind"),
        (ErrorCode.INVALID_AMOUNT, "amount"),
    ]
    assert problems[0].message("ja").startswith("年度（fiscal_year）: ")
    assert "「年度」は必須です" in problems[0].message("ja")
    assert "'fiscal year' is required" in problems[0].message("en")


def test_read_fields_in_thousands() -> None:
    """unit=1000 reads every amount field in 千円."""
    values, problems = read_fields(
        {"amount": "1,200", "specific_revenue": "200", "contract_total": "3,000"}, ITEM_FIELDS, 1000
    )
    assert (values["amount"], values["specific_revenue"], values["contract_total"]) == (
        1_200_000,
        200_000,
        3_000_000,
    )
    assert {p.column for p in problems} == {"item_id", "description", "technology", "expense_kind"}


# ── Invisible characters never change a matched value (issue 12 item 2) ───────────────────

INVISIBLE = st.sampled_from(
    ["\u200b", "\u00ad", "\u200d", "\u2060", "\ufeff", "\ufe0f", "\u200c", "\u180e", "\x00", "\x7f"]
)
READERS = {
    "code": (read_code, ["011002", "01100", "13951", "０１１００２"]),
    "amount": (parse_yen, ["1,234,567", "1234567円", "¥1,234", "０"]),
    "year": (parse_fiscal_year, ["令和3年度", "R3", "2021", "H31"]),
    "procurement": (read_procurement, ["共同", "single", "単独発注"]),
    "id": (read_id, ["C-001", "Ｃ－００１", "北海道-AI-1"]),
    "header": (
        lambda text: match_header(text, ROW_FIELDS).field,
        ["事業費", "特定財源", "fiscal_year", "団体コード"],
    ),
}


@st.composite
def sprinkled(draw: st.DrawFn) -> tuple[str, str, str]:
    """A reader, one of its valid values, and the value with invisible characters inserted."""
    name = draw(st.sampled_from(sorted(READERS)))
    value = draw(st.sampled_from(READERS[name][1]))
    out = list(value)
    for _ in range(draw(st.integers(1, 4))):
        out.insert(draw(st.integers(0, len(out))), draw(INVISIBLE))
    return name, value, "".join(out)


@SOME
@given(sprinkled())
def test_invisible_characters_never_change_what_a_value_reads_as(
    case: tuple[str, str, str],
) -> None:
    """Inserting zero-width spaces, soft hyphens, joiners, BOMs, variation selectors or NULs
    anywhere in a code, an amount, a year, a procurement word, an id or a header never changes
    what it reads as."""
    name, value, with_invisible = case
    reader = READERS[name][0]
    assert reader(with_invisible) == reader(value)


# ── Limits of free text and ids; the readers' default unit (issue 15 item 9) ────────────────


def test_free_text_up_to_a_spreadsheet_cell_is_read() -> None:
    """A description of 32,767 characters (a spreadsheet cell's limit) is read as typed; one
    more character is UNKNOWN_VALUE saying the limit."""
    longest = "業" * 32_767
    assert read_text(longest) == longest
    with pytest.raises(InvalidValue) as caught:
        read_text(longest + "務")
    problem = caught.value.problem
    assert problem.code is ErrorCode.UNKNOWN_VALUE
    assert "at most 32767 characters" in problem.message("en")
    assert "32767文字まで" in problem.message("ja")


def test_an_id_up_to_256_characters_is_read() -> None:
    """An id of 256 characters is read; 257 is UNKNOWN_VALUE saying the limit of 256."""
    assert read_id("C" * 256) == "C" * 256
    with pytest.raises(InvalidValue) as caught:
        read_id("C" * 257)
    assert "at most 256 characters" in caught.value.problem.message("en")
    assert "256文字まで" in caught.value.problem.message("ja")


@pytest.mark.parametrize(("value", "yen"), [("1,000", 1000), (1000, 1000), ("1000円", 1000)])
def test_an_amount_field_reads_yen_unless_told_the_unit(value: object, yen: int) -> None:
    """An amount read without a unit is in yen; unit=1000 reads 千円."""
    assert read_yen(value) == yen
    assert read_yen(1, 1000) == 1000


@pytest.mark.parametrize(
    ("name", "ja", "en"),
    [
        ("amount", "事業費", "amount"),
        ("entity_code", "団体コード", "local government code"),
        ("備考", "備考", "備考"),
        ("my_column", "my_column", "my_column"),
    ],
)
def test_a_label_is_the_fields_or_the_name_itself(name: str, ja: str, en: str) -> None:
    """A field's label in each language; a column that is no field keeps its own name."""
    assert label_of(name, "ja") == ja
    assert label_of(name, "en") == en


# ── Values that cannot be known: an unsaved formula, a field given twice ─────────────────────


def test_an_unsaved_formula_shows_as_nothing_and_survives_a_spool() -> None:
    """An Unsaved cell prints as nothing (a formula is never written into a result), is equal
    to another of the same formula, and pickles (a workbook's rows are spooled for the
    batch's second reading)."""
    cell = Unsaved("=I2/2")
    assert str(cell) == ""
    assert repr(cell) == "Unsaved('=I2/2')"
    assert cell == Unsaved("=I2/2")
    assert cell != Unsaved("=I3/2")
    assert cell != "=I2/2"
    assert len({cell, Unsaved("=I2/2")}) == 1
    assert pickle.loads(pickle.dumps(cell)) == cell


def test_a_field_given_twice_shows_as_nothing() -> None:
    twice = Twice(("amount", "事業費"))
    assert str(twice) == ""
    assert repr(twice) == "Twice(('amount', '事業費'))"


@pytest.mark.parametrize(
    ("value", "detail"),
    [(Unsaved("=I2/2"), "cell.formula_unsaved"), (Twice(("amount", "事業費")), "field.twice")],
)
def test_what_cannot_be_known_is_unknown_value_never_blank(value: object, detail: str) -> None:
    """An unsaved formula or a field given twice is never blank and never read: each field
    that holds one is UNKNOWN_VALUE with the reason (an optional field does not fall back to
    its default)."""
    assert not is_blank(value)
    for name in ("amount", "specific_revenue", "business_area", "procurement"):
        _, problems = read_fields({name: value}, tuple(f for f in ROW_FIELDS if f.name == name))
        assert [(p.code, p.detail, p.column) for p in problems] == [
            (ErrorCode.UNKNOWN_VALUE, detail, name)
        ]
