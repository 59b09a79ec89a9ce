"""Local-government codes: check digits, code forms (5 digits read both ways), kinds, look-up
and search (SPEC §3)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from importlib.resources import files

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tokko.model.codes import ErrorCode
from tokko.model.localgov import (
    CodeReading,
    Kind,
    LocalGovernment,
    all_governments,
    check_digit,
    get,
    lookup,
    read_code,
    search,
)
from tokko.model.problem import InvalidValue, Problem

DIGITS = "0123456789"


def _file_rows() -> list[dict[str, str]]:
    text = files("tokko.data").joinpath("local_government_codes.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _formula(five: str) -> str:
    """The check digit as SPEC / data README state it, written out independently."""
    d = [int(c) for c in five]
    return str((11 - (6 * d[0] + 5 * d[1] + 4 * d[2] + 3 * d[3] + 2 * d[4]) % 11) % 10)


@cache
def _listed() -> dict[str, str]:
    """code → full name, read from the shipped file itself (not through the module)."""
    return {r["code"]: r["prefecture"] + r["city"] for r in _file_rows()}


def _code(value: object) -> str:
    """The 6-digit code ``value`` is read as (the government it names)."""
    return read_code(value).government.code


class Raised:
    """A refused code as the tests look at it: the problem, and its message in each language."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.code = problem.code
        self.ja = problem.message("ja")
        self.en = problem.message("en")


def _raises(value: object, code: str) -> Raised:
    with pytest.raises(InvalidValue) as info:
        lookup(value)
    problem = info.value.problem
    assert problem.code == code
    raised = Raised(problem)
    assert raised.ja
    assert raised.en
    assert raised.ja != raised.en
    return raised


# --- the data ----------------------------------------------------------------------------------


def test_file_has_1788_rows_in_code_order() -> None:
    """The shipped list holds 1,788 governments, all_governments keeps file order."""
    rows = _file_rows()
    govs = all_governments()
    assert len(rows) == len(govs) == 1788
    assert [g.code for g in govs] == [r["code"] for r in rows]
    assert [g.code for g in govs] == sorted(g.code for g in govs)
    assert len({g.code for g in govs}) == 1788
    assert all_governments() is govs


def test_check_digit_formula_holds_for_every_row() -> None:
    """check_digit reproduces the 6th digit of every code in the file."""
    for row in _file_rows():
        code = row["code"]
        assert check_digit(code[:5]) == _formula(code[:5]) == code[5], code


@pytest.mark.parametrize("bad", ["", "0110", "011002", "01a00", "０１１００"])
def test_check_digit_refuses_anything_but_five_ascii_digits(bad: str) -> None:
    """check_digit is a low-level helper: it takes exactly 5 ASCII digits."""
    with pytest.raises(ValueError, match="5 ASCII digits"):
        check_digit(bad)


def test_kind_counts() -> None:
    """47 prefectures, 20 designated cities, 772 other cities, 23 wards, 743 towns, 183 villages."""
    counts = Counter(g.kind for g in all_governments())
    assert counts == {
        Kind.PREFECTURE: 47,
        Kind.DESIGNATED_CITY: 20,
        Kind.CITY: 772,
        Kind.SPECIAL_WARD: 23,
        Kind.TOWN: 743,
        Kind.VILLAGE: 183,
    }
    # The data README's "792 cities" counts the designated cities among them.
    assert counts[Kind.CITY] + counts[Kind.DESIGNATED_CITY] == 792
    assert sum(counts.values()) - counts[Kind.PREFECTURE] == 1741


def test_kinds_agree_with_names() -> None:
    """Every derived kind fits the name: 市/区/町/村 endings, prefectures without a city."""
    ending = {
        Kind.DESIGNATED_CITY: "市",
        Kind.CITY: "市",
        Kind.SPECIAL_WARD: "区",
        Kind.TOWN: "町",
        Kind.VILLAGE: "村",
    }
    for g in all_governments():
        if g.kind is Kind.PREFECTURE:
            assert g.city == g.city_kana == ""
            assert g.code[2:5] == "000"
            assert g.prefecture[-1] in "都道府県"
        else:
            assert g.city.endswith(ending[g.kind]), g
    wards = [g for g in all_governments() if g.kind is Kind.SPECIAL_WARD]
    assert {g.prefecture for g in wards} == {"東京都"}


def test_designated_cities_are_the_twenty_known_ones() -> None:
    """The code-derived designated cities are exactly the 20 政令指定都市 (checked by name)."""
    known = {
        "札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市", "新潟市",
        "静岡市", "浜松市", "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市",
        "広島市", "北九州市", "福岡市", "熊本市",
    }  # fmt: skip
    found = {g.name for g in all_governments() if g.kind is Kind.DESIGNATED_CITY}
    assert found == known


def test_name_and_full_name() -> None:
    """name is the city (or the prefecture); full_name is prefecture + city."""
    sapporo = lookup("011002")
    assert (sapporo.name, sapporo.full_name) == ("札幌市", "北海道札幌市")
    assert sapporo.prefecture_kana == "ﾎｯｶｲﾄﾞｳ"
    assert sapporo.city_kana == "ｻｯﾎﾟﾛｼ"
    hokkaido = lookup("010006")
    assert (hokkaido.name, hokkaido.full_name, hokkaido.city) == ("北海道", "北海道", "")
    assert hokkaido.kind is Kind.PREFECTURE
    assert lookup("131016").kind is Kind.SPECIAL_WARD
    assert str(Kind.DESIGNATED_CITY) == "designated_city"


def test_government_is_immutable() -> None:
    """LocalGovernment is a frozen value."""
    with pytest.raises(AttributeError):
        lookup("011002").city = "x"  # type: ignore[misc]


def test_data_is_loaded_lazily() -> None:
    """Importing tokko.model.localgov does not read the code list."""
    script = (
        "import tokko.model.localgov as m\n"
        "assert m._table.cache_info().currsize == 0\n"
        "m.get('011002')\n"
        "assert m._table.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


# --- codes -------------------------------------------------------------------------------------


def test_every_code_round_trips_as_six_digits_and_as_int() -> None:
    """Each listed code reads as itself from its 6 digits and as an int (its lost zero padded)."""
    for g in all_governments():
        assert read_code(g.code) == CodeReading(g, restored=False)
        assert read_code(int(g.code)) == CodeReading(g, restored=False)
        assert lookup(g.code) is g
        assert get(g.code) is g


def _readings(five: str) -> list[tuple[str, bool]]:
    """SPEC §3, written out independently: a 5-digit text read as a 5-digit JIS code (check
    digit appended) and as a 6-digit code missing its leading zero; the readings that name a
    listed government, each with whether the zero was restored."""
    listed = _listed()
    found = []
    if five + _formula(five) in listed:
        found.append((five + _formula(five), False))
    padded = "0" + five
    if padded[5] == _formula(padded[:5]) and padded in listed:
        found.append((padded, True))
    return found


def _check_five(five: str) -> None:
    readings = _readings(five)
    if len(readings) == 1:
        code, restored = readings[0]
        reading = read_code(five)
        assert (reading.government.code, reading.restored) == (code, restored)
        return
    with pytest.raises(InvalidValue) as info:
        read_code(five)
    problem = info.value.problem
    if readings:
        assert problem.code is ErrorCode.AMBIGUOUS_CODE
        for code, _ in readings:
            assert code in problem.message("ja")
            assert code in problem.message("en")
            assert _listed()[code] in problem.message("en")
    else:
        assert problem.code in (ErrorCode.UNKNOWN_ENTITY, ErrorCode.INVALID_CODE)


def test_every_five_digit_prefix_is_read_both_ways() -> None:
    """Each listed code's first five digits are read both ways (SPEC §3): itself, unless a
    zero-restored reading names another government too (AMBIGUOUS_CODE naming both)."""
    ambiguous = 0
    for g in all_governments():
        _check_five(g.code[:5])
        if len(_readings(g.code[:5])) == 2:
            ambiguous += 1
        else:
            assert read_code(g.code[:5]) == CodeReading(g, restored=False)
    assert ambiguous > 0, "the list has 5-digit prefixes that read two ways (e.g. 12203)"


def test_every_code_with_a_lost_zero_is_restored() -> None:
    """A code 0xxxxx typed as its last five digits reads as itself, restored (or ambiguous)."""
    for g in all_governments():
        if g.code.startswith("0"):
            _check_five(g.code[1:])
            if len(_readings(g.code[1:])) == 1:
                assert read_code(g.code[1:]) == CodeReading(g, restored=True)


def test_lost_leading_zero_is_restored() -> None:
    """13951 (ニセコ町 013951 after Excel) names no government as a 5-digit code, so it is read
    as 013951 with restored=True (the engine warns CODE_LEADING_ZERO_RESTORED)."""
    assert read_code("13951") == CodeReading(lookup("013951"), restored=True)
    assert lookup("13951").name == "ニセコ町"
    assert read_code("11002") == CodeReading(lookup("011002"), restored=True)
    assert read_code("０１１００") == CodeReading(lookup("011002"), restored=False)
    assert read_code("013951").restored is False


def test_both_readings_valid_is_ambiguous_naming_both() -> None:
    """12203 is 122033 千葉県市川市 as a 5-digit code and 012203 北海道士別市 with its zero
    restored: AMBIGUOUS_CODE naming both; either 6-digit code reads fine."""
    error = _raises("12203", "AMBIGUOUS_CODE")
    for message in (error.ja, error.en):
        assert "122033" in message
        assert "012203" in message
        assert "市川市" in message
        assert "士別市" in message
    assert lookup("122033").name == "市川市"
    assert lookup("012203").name == "士別市"
    assert lookup(12203).name == "士別市"  # a number lost its zero: never read as 5 digits


def test_neither_reading_is_unknown_entity_naming_both_readings() -> None:
    """A 5-digit value naming no government either way: UNKNOWN_ENTITY naming both codes tried."""
    error = _raises("12345", "UNKNOWN_ENTITY")
    for message in (error.ja, error.en):
        assert "123455" in message  # 12345 + its check digit
        assert "012345" in message  # with a leading zero


def test_unknown_entity_suggests_near_codes() -> None:
    """UNKNOWN_ENTITY suggests listed codes one digit away, with their names (12345 → 12342
    神崎町)."""
    for value in ("12345", "123455"):
        error = _raises(value, "UNKNOWN_ENTITY")
        assert "123421 千葉県神崎町" in error.ja
        assert "123421 千葉県神崎町" in error.en
        assert "near codes" in error.en
        assert "近いコード" in error.ja


def test_unknown_five_digits_suggest_codes_near_the_zero_restored_reading() -> None:
    """13952 (ニセコ町 013951 with a lost zero and a typo) is read both ways, so the near codes
    suggested include those near its zero-restored reading 013952: 013951 ニセコ町."""
    error = _raises("13952", "UNKNOWN_ENTITY")
    assert "013951 北海道ニセコ町" in error.en
    assert "013951 北海道ニセコ町" in error.ja


def test_int_is_zero_padded_never_read_as_five_digits() -> None:
    """An int lost its leading zero: 11002 → 011002 (Sapporo), 10006 → 010006 (Hokkaido)."""
    assert _code(11002) == "011002"
    assert read_code(11002).restored is False
    assert lookup(11002).name == "札幌市"
    assert lookup(10006).name == "北海道"
    assert lookup(131016).name == "千代田区"
    # The same five characters as text are read both ways: 11002 + check digit names no
    # government, so the zero-restored reading stands, and says so.
    assert (_code("11002"), read_code("11002").restored) == ("011002", True)


def test_full_width_digits_and_blanks_are_folded() -> None:
    """Full-width digits and surrounding blanks (also ideographic spaces) are accepted."""
    assert _code("０１１００２") == "011002"
    assert _code("　０１１００ ") == "011002"
    assert _code(" 011002\t") == "011002"
    assert lookup("０１１００２").name == "札幌市"


def test_invisible_characters_are_folded() -> None:
    """A zero-width space or a BOM inside a code never makes another code (SPEC: folded)."""
    assert _code("011\u200b002") == "011002"
    assert _code("\ufeff011002") == "011002"
    assert _code("13\u00ad951") == "013951"


INVALID_FORMS: list[object] = [
    "",
    "   ",
    "abcde",
    "札幌市",
    "0110",
    "0110021",
    "01100a",
    "011 002",
    "01100-2",
    "-11002",
    "١١٠٠٢",  # Arabic-Indic digits: NFKC keeps them, they are not 0-9
    True,
    False,
    -11002,
    1_000_000,
    1234567,
    11002.5,
    None,
    b"011002",
]


@pytest.mark.parametrize("value", INVALID_FORMS)
def test_invalid_forms_are_invalid_code(value: object) -> None:
    """Letters, 4/7 digits, inner blanks, signs, bools, fractions, big ints: INVALID_CODE."""
    _raises(value, "INVALID_CODE")
    with pytest.raises(InvalidValue):
        read_code(value)


def test_invalid_code_messages_say_what_is_expected() -> None:
    """Every INVALID_CODE message for a malformed value says what a code is (6 digits), whatever
    the value's type (a bool, a number out of range, None, bytes…)."""
    lacking = [
        value
        for value in INVALID_FORMS
        if not ("6桁" in (error := _raises(value, "INVALID_CODE")).ja and "6 digits" in error.en)
    ]
    assert lacking == []


def test_found_form_is_described() -> None:
    """The detail says what was found: the digit count or the characters that are not digits."""
    assert "4桁" in _raises("0110", "INVALID_CODE").ja
    assert "7 digits" in _raises("0110021", "INVALID_CODE").en
    error = _raises("01100a", "INVALID_CODE")
    assert "「a」" in error.ja
    assert "'a'" in error.en
    assert "空" in _raises("", "INVALID_CODE").ja


@pytest.mark.parametrize("value", ["011003", "０１１００９", 11003, 11000])
def test_wrong_check_digit_names_the_expected_digit(value: str | int) -> None:
    """A wrong check digit is INVALID_CODE and the detail names the right digit and code."""
    error = _raises(value, "INVALID_CODE")
    for detail in (error.ja, error.en):
        assert "011002" in detail
    assert "検査数字は2" in error.ja
    assert "check digit of 01100 is 2" in error.en


def _unlisted_valid_code(prefecture: str) -> str:
    listed = {g.code for g in all_governments()}
    for municipality in range(1000):
        five = f"{prefecture}{municipality:03d}"
        code = five + check_digit(five)
        if code not in listed:
            return code
    raise AssertionError("no free code")  # pragma: no cover


@pytest.mark.parametrize("prefecture", ["48", "99", "00", "01", "47"])
def test_well_formed_unlisted_code_is_unknown_entity(prefecture: str) -> None:
    """A code with a valid check digit that names no listed government: UNKNOWN_ENTITY."""
    code = _unlisted_valid_code(prefecture)
    error = _raises(code, "UNKNOWN_ENTITY")
    assert code in error.ja
    assert code in error.en
    assert _readings(code[:5]) == []  # neither reading of its first five digits is listed
    _raises(code[:5], "UNKNOWN_ENTITY")
    _raises(int(code), "UNKNOWN_ENTITY")
    assert get(code) is None
    assert search(code) == []


def test_designated_city_ward_code_points_to_the_city() -> None:
    """A ward (行政区) code is UNKNOWN_ENTITY whose detail names the designated city's code."""
    chuo_sapporo = "01101" + check_digit("01101")  # 札幌市中央区
    error = _raises(chuo_sapporo, "UNKNOWN_ENTITY")
    assert "011002" in error.ja
    assert "札幌市" in error.en
    kawasaki_ward = "14131" + check_digit("14131")  # 川崎市川崎区 (川崎市 is 141305)
    assert "141305" in _raises(kawasaki_ward, "UNKNOWN_ENTITY").en


def test_get_takes_exact_six_digit_codes_only() -> None:
    """get never normalises and never raises."""
    assert get("011002") is lookup("011002")
    for value in ["11002", "０１１００２", " 011002", "011003", "", "999999"]:
        assert get(value) is None


def test_lookup_is_cached_per_value_and_type() -> None:
    """Repeated look-ups give the same object; bool stays INVALID_CODE next to int 1 and 0."""
    assert lookup(11002) is lookup(11002) is lookup("011002") is lookup("01100")
    for _ in range(3):
        _raises(1, "UNKNOWN_ENTITY")  # 000001: valid check digit, prefecture part 00
        _raises(True, "INVALID_CODE")
        _raises(0, "INVALID_CODE")
        _raises(False, "INVALID_CODE")
        _raises("011003", "INVALID_CODE")  # errors are raised on every call, not cached away


def test_unhashable_value_is_invalid_code() -> None:
    """A value that cannot key the cache still gives INVALID_CODE, not TypeError."""
    _raises(["011002"], "INVALID_CODE")


def test_problem_has_no_location_and_keeps_the_value() -> None:
    """A parser's problem carries the value found; the file, row and column are the caller's."""
    with pytest.raises(InvalidValue) as info:
        read_code("0110")
    problem = info.value.problem
    assert problem.value == "0110"
    assert (problem.file, problem.row, problem.column, problem.key) == (None, None, None, None)
    located = problem.at(file="a.csv", row=3, column="entity_code")
    assert located.message("ja").startswith("団体コード（entity_code）: ")
    assert located.message("en").startswith("entity_code: ")


@given(st.text(alphabet=DIGITS, min_size=5, max_size=5))
def test_any_five_digits_get_a_verifying_check_digit(five: str) -> None:
    """For any 5 digits, check_digit is the formula's digit, and read_code reads them both ways
    exactly as SPEC §3 says (one reading: it; two: AMBIGUOUS_CODE; none: refused)."""
    assert check_digit(five) == _formula(five)
    _check_five(five)


@given(st.text(alphabet=DIGITS, min_size=6, max_size=6))
def test_six_digits_accepted_exactly_when_check_digit_is_right(six: str) -> None:
    """6 digits with a wrong check digit are INVALID_CODE naming the right one; with the right
    one they name a listed government or are UNKNOWN_ENTITY."""
    if six[5] == _formula(six[:5]):
        if six in _listed():
            assert _code(six) == six
        else:
            with pytest.raises(InvalidValue) as info:
                read_code(six)
            assert info.value.problem.code is ErrorCode.UNKNOWN_ENTITY
    else:
        with pytest.raises(InvalidValue) as info:
            read_code(six)
        assert info.value.problem.code is ErrorCode.INVALID_CODE
        assert f"is {_formula(six[:5])}" in info.value.problem.message("en")


@given(st.one_of(st.text(max_size=12), st.integers()))
def test_lookup_raises_only_invalid_value(value: str | int) -> None:
    """lookup either finds a government or raises INVALID_CODE / UNKNOWN_ENTITY /
    AMBIGUOUS_CODE."""
    code = "found"
    try:
        lookup(value)
    except InvalidValue as error:
        code = error.problem.code
    assert code in {"found", "INVALID_CODE", "UNKNOWN_ENTITY", "AMBIGUOUS_CODE"}


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "札幌",
        "札幌市",
        "さっぽろ",
        "サッポロ",
        "ｻｯﾎﾟﾛ",
        "ｻｯﾎﾟﾛｼ",
        "北海道札幌市",
        "ほっかいどうさっぽろし",
        "011002",
        "01100",
        "０１１００２",
        " 札幌 ",
    ],
)
def test_search_finds_sapporo(query: str) -> None:
    """Kanji, hiragana, katakana (full/half width), full name, code: Sapporo comes first."""
    found = search(query)
    assert found
    assert found[0].code == "011002"


def test_search_by_code_gives_at_most_one() -> None:
    """A 5/6-digit query is a code: exactly that government, or nothing if malformed/unknown."""
    assert search("131016") == [lookup("131016")]
    assert search("011003") == []
    assert search(_unlisted_valid_code("48")) == []
    assert search("011002", limit=0) == []


def test_search_orders_exact_then_prefix_then_substring() -> None:
    """Exact name first, then names starting with the query, then the rest, each in code order."""
    names = [g.full_name for g in search("大和")]
    assert names == [
        "宮城県大和町",
        "神奈川県大和市",
        "奈良県大和高田市",
        "奈良県大和郡山市",
        "鹿児島県大和村",
        "東京都東大和市",
    ]
    found = search("森町")
    assert [g.full_name for g in found[:2]] == ["北海道森町", "静岡県森町"]
    assert all(g.name != "森町" and "森町" in g.name for g in found[2:])
    hokkaido = search("北海道")
    assert hokkaido[0].kind is Kind.PREFECTURE
    assert {g.prefecture for g in hokkaido} == {"北海道"}
    assert len(hokkaido) == sum(1 for g in all_governments() if g.prefecture == "北海道")


def test_search_returns_every_government_sharing_a_name() -> None:
    """A name used in two prefectures gives both (伊達市: 北海道 and 福島県)."""
    assert [g.full_name for g in search("伊達市")] == ["北海道伊達市", "福島県伊達市"]


def test_search_treats_small_and_large_ke_alike() -> None:
    """茅ヶ崎 / 茅ケ崎 and 龍ケ崎 / 龍ヶ崎 find the same city whichever the list uses."""
    assert search("茅ケ崎")[0].name == "茅ヶ崎市"
    assert search("茅ヶ崎")[0].name == "茅ヶ崎市"
    assert search("龍ヶ崎")[0].name == "龍ケ崎市"


def test_search_hiragana_names() -> None:
    """Names written in hiragana match in hiragana and katakana."""
    assert search("さいたま市")[0].code == "111007"
    assert search("サイタマ市")[0].code == "111007"


def test_search_limit_and_empty() -> None:
    """limit caps the list; an empty or blank query finds nothing; a negative limit is refused."""
    assert len(search("北海道", limit=3)) == 3
    assert search("北海道", limit=3)[0].name == "北海道"
    assert search("") == []
    assert search("　 ") == []
    assert search("存在しない町") == []
    with pytest.raises(ValueError, match="limit"):
        search("札幌", limit=-1)


@given(st.text(max_size=8))
def test_search_never_raises(query: str) -> None:
    """Any text is a valid query; results are listed governments without repeats."""
    found = search(query)
    assert len(found) == len({g.code for g in found})
    assert all(isinstance(g, LocalGovernment) for g in found)


# --- what a refused code suggests (issue 15, item 9: cases the mutation run found untested) --


def _one_slip(typed: str, listed: str) -> bool:
    """Two 5-digit cores one slip apart: one digit mistyped, or two neighbours swapped."""
    wrong = [i for i in range(5) if typed[i] != listed[i]]
    if len(wrong) == 1:
        return True
    return (
        len(wrong) == 2
        and wrong[1] == wrong[0] + 1
        and typed[wrong[0]] == listed[wrong[1]]
        and typed[wrong[1]] == listed[wrong[0]]
    )


def _expected_near(code: str) -> list[str]:
    """The codes an unknown 6-digit ``code`` should suggest, from the file itself: the listed
    codes one slip away in code order, at most five; none → the five of its prefecture whose
    numbers are nearest."""
    core = code[:5]
    listed = list(_listed())  # code order, as the file has them
    near = [c for c in listed if _one_slip(core, c[:5])]
    if near:
        return near[:5]
    same = [c for c in listed if c[:2] == core[:2]]
    return sorted(same, key=lambda c: abs(int(c[:5]) - int(core)))[:5]


def _suggested(message: str) -> list[str]:
    """The codes a message suggests (after "near codes:")."""
    return re.findall(r"\d{6}", message.partition("near codes:")[2])


@cache
def _designated() -> dict[str, list[LocalGovernment]]:
    """Prefecture part → its designated cities, in code order."""
    found: dict[str, list[LocalGovernment]] = {}
    for g in all_governments():
        if g.kind is Kind.DESIGNATED_CITY:
            found.setdefault(g.code[:2], []).append(g)
    return found


def _ward_like(five: str) -> bool:
    return five[:2] in _designated() and 100 <= int(five[2:5]) <= 199


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 47), st.integers(0, 999))
@example(1, 740)  # 017400: only 01470 (two neighbours swapped) is one slip away
@example(1, 12)  # 010120: 01210 swaps two digits that are not neighbours: no slip
@example(1, 200)  # 012009: more than five codes one digit away: five are named
@example(1, 766)  # 017663: nothing one slip away: the nearest 北海道 numbers
@example(1, 51)  # 010511: nothing one slip away; 01100 (49 away) before 01000 (51)
def test_unknown_code_suggests_the_codes_one_slip_away(prefecture: int, municipality: int) -> None:
    """An unlisted code of a real prefecture suggests, with their names, the listed codes one
    typing slip away (a digit mistyped, two neighbouring digits swapped), at most five, in
    code order; with none, the five of the prefecture whose numbers are nearest."""
    five = f"{prefecture:02d}{municipality:03d}"
    code = five + check_digit(five)
    assume(code not in _listed() and not _ward_like(five))
    error = _raises(code, "UNKNOWN_ENTITY")
    expected = _expected_near(code)
    assert _suggested(error.en) == expected
    for suggested in expected:
        assert f"{suggested} {_listed()[suggested]}" in error.ja


def test_a_swap_of_neighbouring_digits_is_suggested_and_a_distant_one_is_not() -> None:
    """017400 is 014702 (音威子府村) with two neighbouring digits swapped: it is named; 010120
    is 012106 (岩見沢市) with two distant digits swapped: no typing slip, not named."""
    swapped = "01470" + check_digit("01470")
    assert _suggested(_raises("017400", "UNKNOWN_ENTITY").en) == [swapped]
    distant = "01210" + check_digit("01210")
    assert distant not in _suggested(_raises("010120", "UNKNOWN_ENTITY").en)


def test_at_most_five_codes_are_suggested() -> None:
    """012009 is one digit away from many 北海道 codes: five are named, not more."""
    assert len(_suggested(_raises("012009", "UNKNOWN_ENTITY").en)) == 5


def test_every_ward_code_names_its_own_designated_city() -> None:
    """Every unlisted code in the ward range (x100–x199) of a prefecture with designated cities
    is UNKNOWN_ENTITY saying it may be a ward (行政区) of the designated city whose number is
    the greatest not above it — 横浜, 川崎 and 相模原 in 神奈川 each get their own wards."""
    checked = 0
    for prefecture, cities in _designated().items():
        for municipality in range(100, 200):
            five = f"{prefecture}{municipality:03d}"
            code = five + check_digit(five)
            if code in _listed():
                continue
            city = [g for g in cities if g.code[2:5] <= five[2:5]][-1]
            error = _raises(code, "UNKNOWN_ENTITY")
            assert f"ward (行政区) of {city.name}" in error.en, code
            assert f"use {city.name}'s code {city.code}" in error.en, code
            assert f"{city.name}の区（行政区）" in error.ja, code
            checked += 1
    assert checked > 1000
    for five, city in (("14101", "横浜市"), ("14131", "川崎市"), ("14151", "相模原市")):
        assert f"of {city}" in _raises(five + check_digit(five), "UNKNOWN_ENTITY").en


@pytest.mark.parametrize("five", ["01200", "14200", "27200", "13100", "13150", "02100"])
def test_codes_outside_the_ward_range_are_not_called_wards(five: str) -> None:
    """x200 is past the ward range; 東京都's 13100–13199 are special wards, which are local
    governments of their own; a prefecture without a designated city has no wards: each is
    plainly unknown, with near codes."""
    code = five + check_digit(five)
    assert code not in _listed()
    error = _raises(code, "UNKNOWN_ENTITY")
    assert "ward" not in error.en
    assert "行政区" not in error.ja
    assert "near codes" in error.en


@pytest.mark.parametrize("prefecture", ["48", "99", "00"])
def test_an_unknown_prefecture_part_is_said(prefecture: str) -> None:
    """A code whose first two digits are no prefecture says that the prefecture part runs
    01–47 (48 is the first number past the last prefecture, 沖縄県)."""
    error = _raises(_unlisted_valid_code(prefecture), "UNKNOWN_ENTITY")
    assert "runs 01–47" in error.en
    assert "01〜47" in error.ja


def test_the_number_zero_is_read_as_000000_with_a_wrong_check_digit() -> None:
    """A numeric cell holding 0 (or 999999) is in range: it is zero-padded and its check digit
    named (000000 → 000001), not called out of range; 1,000,000 and -1 are out of range."""
    for number, padded, right in ((0, "000000", "000001"), (999999, "999999", "999997")):
        error = _raises(number, "INVALID_CODE")
        assert f"zero-padded to {padded}" in error.en
        assert f"({right})" in error.en
        assert "outside" not in error.en
        assert "範囲外" not in error.ja
    for number in (1_000_000, -1):
        assert "outside 0–999999" in _raises(number, "INVALID_CODE").en


def test_a_code_padded_with_blanks_is_read_up_to_64_characters() -> None:
    """A code with blanks around it is read while the cell has at most 64 characters; a longer
    cell is refused as malformed without being read."""
    assert _code(" " * 58 + "011002") == "011002"
    assert _code("011002" + "\u3000" * 58) == "011002"
    _raises(" " * 59 + "011002", "INVALID_CODE")
    _raises("011002" + " " * 59, "INVALID_CODE")


def test_a_long_cell_is_quoted_in_its_first_64_characters_only() -> None:
    """A refused cell of any length is carried into the message by its first 64 characters, so
    a hostile cell never makes a huge message."""
    with pytest.raises(InvalidValue) as caught:
        read_code("1" * 10_000)
    assert caught.value.problem.value == "1" * 64


def test_a_reading_typed_in_full_finds_that_place_first() -> None:
    """A full kana reading matches its place exactly, so it comes before places whose
    readings merely contain it: しべつし → 士別市 before 芦別市 (あしべつし); だてし → both
    伊達市 first."""
    assert search("しべつし")[0].full_name == "北海道士別市"
    assert search("シベツシ")[0].full_name == "北海道士別市"
    assert [g.full_name for g in search("だてし")[:2]] == ["北海道伊達市", "福島県伊達市"]
    assert [g.full_name for g in search("ﾓﾘﾏﾁ")[:1]] == ["北海道森町"]
