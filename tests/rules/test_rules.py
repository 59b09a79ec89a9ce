"""Rule files (SPEC §2): loading, refusing bad files, choosing the version by year, provenance.

Bad files are built from the text of the shipped rules/ai-rpa/2021.toml with one edit each,
written under tmp_path. An edited copy carries a version of its own (``2021.2-test``): a copy
that keeps a shipped version number with other bytes is refused (``RULE_VERSION_CONFLICT``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tokko
from tokko.model.codes import ErrorCode
from tokko.model.problem import InvalidValue, Problem
from tokko.rules.ruleset import check_rules, parse_rule_file

SHIPPED_ROOT = Path(__file__).resolve().parents[2] / "rules"
SHIPPED_FILE = SHIPPED_ROOT / "ai-rpa" / "2021.toml"
SHIPPED_2020 = SHIPPED_ROOT / "ai-rpa" / "2020.toml"
SHIPPED_TEXT = SHIPPED_FILE.read_text(encoding="utf-8")
NAME = "ai-rpa/2021.toml"
SHIPPED_VERSION = 'version = "2021.2"'
LOCAL_VERSION = "2021.2-test"

#: The 20 standardization-target businesses, as SPEC §1 lists them.
SPEC_TARGETS = {
    "住民基本台帳",
    "選挙人名簿管理",
    "固定資産税",
    "個人住民税",
    "法人住民税",
    "軽自動車税",
    "国民健康保険",
    "国民年金",
    "障害者福祉",
    "後期高齢者医療",
    "介護保険",
    "児童手当",
    "生活保護",
    "健康管理",
    "就学",
    "児童扶養手当",
    "子ども・子育て支援",
    "印鑑登録",
    "戸籍",
    "戸籍の附票",
}


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the edit must hit exactly one place: {old!r}"
    return text.replace(old, new)


def _local(text: str = SHIPPED_TEXT) -> str:
    """The text as a local version of its own (an edited copy must not keep 2021.2)."""
    return _edit(text, SHIPPED_VERSION, f'version = "{LOCAL_VERSION}"')


def _version(text: str, version: str, start: int) -> str:
    """The shipped text as another version starting in ``start``."""
    text = _edit(text, SHIPPED_VERSION, f'version = "{version}"')
    return _edit(text, "effective_from = 2021", f"effective_from = {start}")


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(tokko.RuleFileError) as caught:
        tokko.load_rules(root)
    problems = caught.value.problems
    assert problems, "a refused rule set lists its problems"
    assert all(isinstance(p, Problem) for p in problems)
    return problems


def _declaration(year: object, *items: dict[str, Any]) -> dict[str, Any]:
    return {"entity_code": "011002", "fiscal_year": year, "items": list(items)}


def _item(item_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "description": "AIの導入",
        "technology": "AI",
        "expense_kind": "introduction",
        "amount": 1000000,
        **fields,
    }


def _document(result: tokko.Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.model_dump_json())
    return document


def _only_rules(document: dict[str, Any]) -> dict[str, Any]:
    """The one rule version a result used (``rules`` is always a list, SPEC §6)."""
    assert isinstance(document["rules"], list)
    (rules,) = document["rules"]
    assert isinstance(rules, dict)
    return rules


# ── The shipped rules ────────────────────────────────────────────────────────────────────────


def test_shipped_rules_load() -> None:
    """The shipped rules load: ai-rpa 2020.1 (fiscal 2020 only, 0.3, no joint rate) and 2021.2
    (rates 0.3 and 0.5, from fiscal 2021, confirmed through 2025)."""
    rules = tokko.load_rules()
    assert [(v.measure, v.version, v.path) for v in rules] == [
        ("ai-rpa", "2020.1", "ai-rpa/2020.toml"),
        ("ai-rpa", "2021.2", NAME),
    ]
    old, version = list(rules)
    assert version.rate_standard == Decimal("0.3")
    assert version.rate_joint == Decimal("0.5")
    assert version.file.measure.effective_from == 2021
    assert version.file.measure.effective_until is None
    assert version.file.measure.confirmed_through == 2025
    assert rules.for_year(2021) is version
    assert rules.for_year(2020) is old
    assert old.rate_standard == Decimal("0.3")
    assert old.rate_joint is None
    assert old.file.joint_procurement is None
    assert (old.file.measure.effective_from, old.file.measure.effective_until) == (2020, 2020)


def test_shipped_rules_exclude_the_twenty_spec_targets() -> None:
    """The excluded businesses of 2021.2 are exactly the 20 standardization targets of SPEC §1;
    2020.1 excludes none (the standardization law is of 2021)."""
    rules = tokko.load_rules()
    excluded = rules.for_year(2021).file.excluded_businesses
    assert excluded is not None
    names = [b.name for b in excluded.businesses]
    assert len(names) == 20
    assert set(names) == SPEC_TARGETS
    assert rules.for_year(2020).file.excluded_businesses is None
    assert rules.for_year(2020).standardization_target("住民記録システム") is None
    assert rules.for_year(2021).standardization_target("住民記録システム") is not None


def test_shipped_rules_expense_kinds_match_spec() -> None:
    """Both files make introduction, license, training, consulting eligible and the rest not;
    license (利用料・ライセンス料) counts in the first year only."""
    for year in (2020, 2021):
        version = tokko.load_rules().for_year(year)
        eligible = {k.id: k.eligible for k in version.file.expense_kinds}
        assert eligible == {
            "introduction": True,
            "license": True,
            "training": True,
            "consulting": True,
            "hardware": False,
            "personnel": False,
            "other": False,
        }
        first_year = {k.id for k in version.file.expense_kinds if k.first_year}
        assert first_year == {"license"}


def test_shipped_rules_declare_the_fiscal_strength_adjustment_without_a_table() -> None:
    """[fiscal_strength]: the adjustment applies, and no multiplier table is transcribed."""
    for version in tokko.load_rules():
        fiscal_strength = version.file.fiscal_strength
        assert fiscal_strength.applies.value is True
        assert fiscal_strength.applies.source in version.file.sources
        assert not fiscal_strength.has_table
        assert fiscal_strength.multipliers == ()


def test_shipped_exclusion_order_names_the_first_year_step() -> None:
    """exclusion_order names every step once, first_year last; 2020 has no standardization step."""
    rules = tokko.load_rules()
    assert rules.for_year(2021).file.exclusion_order.value == (
        "technology",
        "expense_kind",
        "standardization_target",
        "first_year",
    )
    assert rules.for_year(2020).file.exclusion_order.value == (
        "technology",
        "expense_kind",
        "first_year",
    )


def test_shipped_notes_in_both_languages() -> None:
    """Notes are note_ja / note_en: an interpretation reads in each language, never one string
    split at " / "."""
    version = tokko.load_rules().for_year(2021)
    min_parties = version.file.joint_procurement
    assert min_parties is not None
    note = min_parties.min_parties
    assert note.note("ja") == note.note_ja
    assert note.note("en") == note.note_en
    assert note.note_ja != note.note_en
    assert " / " not in (note.note_ja or "")
    assert version.file.measure.confirmed_through_note("en") != (
        version.file.measure.confirmed_through_note("ja")
    )
    assert "note =" not in SHIPPED_TEXT
    assert "note =" not in SHIPPED_2020.read_text(encoding="utf-8")


def test_result_records_the_shipped_file_and_its_sha256() -> None:
    """A result names measure, version and path, and the SHA-256 of the exact bytes of the file."""
    rules = _only_rules(_document(tokko.calculate(_declaration("R3", _item("1")))))
    assert rules["measure"] == "ai-rpa"
    assert rules["version"] == "2021.2"
    assert rules["path"] == NAME
    assert rules["sha256"] == hashlib.sha256(SHIPPED_FILE.read_bytes()).hexdigest()


def test_result_of_fiscal_2020_records_the_2020_file() -> None:
    """A fiscal-2020 declaration is computed under 2020.1 and records that file's SHA-256."""
    rules = _only_rules(_document(tokko.calculate(_declaration("R2", _item("1")))))
    assert (rules["version"], rules["path"]) == ("2020.1", "ai-rpa/2020.toml")
    assert rules["sha256"] == hashlib.sha256(SHIPPED_2020.read_bytes()).hexdigest()


# ── Another folder: load_rules(path) and TOKKO_RULES ─────────────────────────────────────────


def _local_text() -> str:
    text = _edit(SHIPPED_TEXT, SHIPPED_VERSION, 'version = "2021.9-local"')
    return _edit(text, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 0.25\n")


def test_load_rules_from_a_path(tmp_path: Path) -> None:
    """load_rules(path) reads that folder, and calculate with it uses its rates."""
    rules = tokko.load_rules(_folder(tmp_path, {NAME: _local_text()}))
    assert [v.version for v in rules] == ["2021.9-local"]
    document = _document(tokko.calculate(_declaration("R3", _item("1")), rules))
    item = document["declarations"][0]["items"][0]
    assert Decimal(item["rate"]) == Decimal("0.25")
    assert Decimal(item["measure"]) == Decimal(250000)
    assert _only_rules(document)["version"] == "2021.9-local"


def test_load_rules_from_a_single_file(tmp_path: Path) -> None:
    """load_rules(path) also takes one rule file; its path is then the file's name."""
    root = _folder(tmp_path, {NAME: _local_text()})
    rules = tokko.load_rules(root / NAME)
    assert [(v.version, v.path) for v in rules] == [("2021.9-local", "2021.toml")]


def test_tokko_rules_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TOKKO_RULES points load_rules() and calculate() without rules at another folder."""
    root = _folder(tmp_path, {NAME: _local_text()})
    monkeypatch.setenv("TOKKO_RULES", str(root))
    assert [v.version for v in tokko.load_rules()] == ["2021.9-local"]
    document = _document(tokko.calculate(_declaration("R3", _item("1"))))
    assert _only_rules(document)["version"] == "2021.9-local"
    assert Decimal(document["declarations"][0]["items"][0]["rate"]) == Decimal("0.25")


def test_sha256_is_of_the_exact_bytes(tmp_path: Path) -> None:
    """A file differing only by a comment (under a version of its own) has another SHA-256,
    and the result records it."""
    text = _local() + "\n# a local comment\n"
    root = _folder(tmp_path, {NAME: text})
    rules = _only_rules(
        _document(tokko.calculate(_declaration("R3", _item("1")), tokko.load_rules(root)))
    )
    expected = hashlib.sha256((root / NAME).read_bytes()).hexdigest()
    assert rules["sha256"] == expected
    assert expected != hashlib.sha256(SHIPPED_FILE.read_bytes()).hexdigest()
    assert rules["path"] == NAME


def test_a_copy_of_the_shipped_bytes_elsewhere_loads(tmp_path: Path) -> None:
    """The shipped files copied byte for byte into another folder are the same versions: they
    load, with the same SHA-256."""
    root = _folder(
        tmp_path, {NAME: SHIPPED_TEXT, "ai-rpa/2020.toml": SHIPPED_2020.read_text(encoding="utf-8")}
    )
    rules = tokko.load_rules(root)
    assert [v.version for v in rules] == ["2020.1", "2021.2"]
    assert rules.for_year(2021).sha256 == hashlib.sha256(SHIPPED_FILE.read_bytes()).hexdigest()


# ── RULE_VERSION_CONFLICT: a shipped version number with other bytes ──────────────────────────


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda text: text + "\n# a local comment\n", id="comment-only"),
        pytest.param(
            lambda text: _edit(
                text, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 0.25\n"
            ),
            id="another-rate",
        ),
    ],
)
def test_shipped_version_with_other_bytes_is_refused(
    tmp_path: Path, edit: Callable[[str], str]
) -> None:
    """A rule file outside the shipped rules that reuses ai-rpa 2021.2 with other bytes is
    refused with RULE_VERSION_CONFLICT at measure.version, in both languages."""
    problems = _problems(_folder(tmp_path, {NAME: edit(SHIPPED_TEXT)}))
    (problem,) = problems
    assert problem.code is ErrorCode.RULE_VERSION_CONFLICT
    assert (problem.file, problem.key) == (NAME, "measure.version")
    assert "2021.2" in problem.message("en")
    assert "another version" in problem.message("en")
    assert "2021.2" in problem.message("ja")
    assert "別の版番号" in problem.message("ja")


def test_version_conflict_with_the_2020_file(tmp_path: Path) -> None:
    """The 2020.1 version is shipped too: an edited copy keeping 2020.1 is refused."""
    text = SHIPPED_2020.read_text(encoding="utf-8")
    text = _edit(text, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 0.35\n")
    problems = _problems(_folder(tmp_path, {"ai-rpa/2020.toml": text}))
    assert [(p.code, p.file) for p in problems] == [
        (ErrorCode.RULE_VERSION_CONFLICT, "ai-rpa/2020.toml")
    ]


def test_version_conflict_is_found_by_check_rules(tmp_path: Path) -> None:
    """check_rules (tokko rules validate) reports the conflict as load_rules does."""
    root = _folder(tmp_path, {NAME: SHIPPED_TEXT + "\n# edited\n"})
    assert [p.code for p in check_rules(root)] == [ErrorCode.RULE_VERSION_CONFLICT]
    assert check_rules(_folder(tmp_path / "ok", {NAME: _local()})) == []


def test_version_conflict_is_listed_with_the_files_other_problems(tmp_path: Path) -> None:
    """A file that keeps 2021.2 and has another mistake gets both problems at once (issue 13:
    validate lists them all), not the conflict only after the other one is fixed."""
    text = _edit(SHIPPED_TEXT, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 3\n")
    problems = check_rules(_folder(tmp_path, {NAME: text}))
    assert ErrorCode.RULE_VERSION_CONFLICT in [p.code for p in problems]
    assert any(p.key is not None and p.key.startswith("rates.standard") for p in problems)


@pytest.mark.parametrize(
    "look_alike", ["2021.2\u200b", "2021.2 ", " 2021.2", "2021.2\u00a0", "２０２１.2"]
)
def test_a_version_that_only_looks_shipped_is_refused(tmp_path: Path, look_alike: str) -> None:
    """An edited copy whose version is "2021.2" with an invisible or blank character (or
    full-width digits) would not conflict with the shipped 2021.2 yet print as it: refused,
    naming the key, so no result shows an official version for unofficial rules."""
    text = _edit(SHIPPED_TEXT, 'version = "2021.2"', f'version = "{look_alike}"')
    text = _edit(text, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 0.45\n")
    problems = check_rules(_folder(tmp_path, {NAME: text}))
    assert [(p.key, p.detail) for p in problems] == [("measure.version", "rule.version_form")]
    assert "2021.2" in problems[0].message("ja")


# ── Bad rule files are refused with the file, the key path and the reason ───────────────────

Check = Callable[[Problem], bool]


def _en(p: Problem) -> str:
    return p.message("en")


BAD_FILES: list[tuple[str, str, str, Check]] = [
    (
        "misspelt-key",
        "[rates.standard]",
        "[rates.standrad]",
        lambda p: p.key == "rates.standrad" and p.detail == "pydantic.extra_forbidden",
    ),
    (
        "sourced-value-without-source",
        '[rates.standard]\nvalue = 0.3\nsource = "soumu-ai-rpa"\n',
        "[rates.standard]\nvalue = 0.3\n",
        lambda p: p.key == "rates.standard.source" and p.detail == "pydantic.missing",
    ),
    (
        "source-names-no-defined-id",
        'value = 0.5\nsource = "soumu-ai-rpa"',
        'value = 0.5\nsource = "no-such-source"',
        lambda p: p.key == "rates.joint" and "no-such-source" in _en(p),
    ),
    (
        "rate-above-one",
        "[rates.joint]\nvalue = 0.5\n",
        "[rates.joint]\nvalue = 1.5\n",
        lambda p: p.key == "rates.joint.value" and "1 or less" in _en(p),
    ),
    (
        "rate-below-zero",
        "[rates.standard]\nvalue = 0.3\n",
        "[rates.standard]\nvalue = -0.1\n",
        lambda p: p.key == "rates.standard.value" and "0 or more" in _en(p),
    ),
    (
        "joint-below-standard",
        "[rates.joint]\nvalue = 0.5\n",
        "[rates.joint]\nvalue = 0.2\n",
        lambda p: (
            p.key is not None
            and p.key.startswith("rates")
            and "rates.joint" in _en(p)
            and "rates.standard" in _en(p)
        ),
    ),
    (
        "unparseable-date",
        "date = 2020-12-25",
        'date = "2020-13-45"',
        lambda p: p.key == "sources.dx-plan.date",
    ),
    (
        "invalid-toml",
        "[rates.standard]\nvalue = 0.3\n",
        "[rates.standard]\nvalue = = 0.3\n",
        lambda p: "TOML" in _en(p) and "line" in _en(p),
    ),
    (
        "unknown-rounding-mode",
        'value = "half_up"',
        'value = "bankers"',
        lambda p: p.key == "rounding.mode.value" and "half_even" in _en(p),
    ),
    (
        "unknown-exclusion-step",
        '"standardization_target", "first_year"]',
        '"standardization_target", "first_yr"]',
        lambda p: p.key is not None and p.key.startswith("exclusion_order.value"),
    ),
    (
        "exclusion-step-missing",
        '"standardization_target", "first_year"]',
        '"standardization_target"]',
        lambda p: p.key == "exclusion_order.value" and "first_year" in _en(p),
    ),
    (
        "fiscal-strength-missing",
        "[fiscal_strength.applies]\nvalue = true\n",
        "[fiscal_strength_applies]\nvalue = true\n",
        lambda p: p.key == "fiscal_strength" and p.detail == "pydantic.missing",
    ),
    (
        "first-year-only-not-a-flag",
        "first_year_only = { value = true,",
        'first_year_only = { value = "maybe",',
        lambda p: p.key == "expense_kinds[1].first_year_only.value",
    ),
    (
        "joint-rate-without-conditions",
        '[joint_procurement.agreement_required]\nvalue = true\nsource = "soumu-ai-rpa"\n',
        '[joint_procurement_x]\nvalue = true\nsource = "soumu-ai-rpa"\n',
        lambda p: p.key is not None and p.key.startswith("joint_procurement"),
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "check"), [pytest.param(*case[1:], id=case[0]) for case in BAD_FILES]
)
def test_bad_rule_file_refused(tmp_path: Path, old: str, new: str, check: Check) -> None:
    """A bad rule file is refused with RuleFileError naming the file and the key path; every
    problem says why, in Japanese and in English."""
    problems = _problems(_folder(tmp_path, {NAME: _edit(_local(), old, new)}))
    for p in problems:
        assert p.message("ja")
        assert p.message("en")
        assert p.message("ja") != p.message("en") or p.detail == "pydantic.other"
    assert any(p.file == NAME and check(p) for p in problems), [
        (p.key, p.detail, _en(p)) for p in problems
    ]


def test_rule_file_error_lists_every_problem_in_english() -> None:
    """str(RuleFileError) is every problem's English message, one a line."""
    text = _edit(_local(), "[rates.standard]", "[rates.standrad]")
    version, problems = parse_rule_file(text.encode(), NAME)
    assert version is None
    error = tokko.RuleFileError(problems)
    assert str(error).splitlines() == [p.message("en") for p in problems]


def test_parse_rule_file_of_the_shipped_bytes() -> None:
    """parse_rule_file gives the version of good bytes, with their SHA-256, and no problem."""
    data = SHIPPED_FILE.read_bytes()
    version, problems = parse_rule_file(data, NAME)
    assert problems == []
    assert version is not None
    assert (version.version, version.path) == ("2021.2", NAME)
    assert version.sha256 == hashlib.sha256(data).hexdigest()


def test_not_utf8_is_refused() -> None:
    """Bytes that are not UTF-8 are refused, naming the byte."""
    version, problems = parse_rule_file(b'[measure]\nid = "\xff"\n', NAME)
    assert version is None
    (problem,) = problems
    assert problem.detail == "rule.not_utf8"
    assert "UTF-8" in problem.message("en")


def test_bad_file_refuses_the_whole_folder(tmp_path: Path) -> None:
    """One bad file among good ones refuses the whole rule set: nothing is computed from it."""
    bad = _version(_edit(SHIPPED_TEXT, 'value = "half_up"', 'value = "bankers"'), "2024.1", 2024)
    root = _folder(tmp_path, {NAME: SHIPPED_TEXT, "ai-rpa/2024.toml": bad})
    problems = _problems(root)
    assert {p.file for p in problems} == {"ai-rpa/2024.toml"}


def test_two_versions_starting_the_same_year_refused(tmp_path: Path) -> None:
    """Two versions of one measure that start in the same fiscal year are refused on load."""
    twin = _edit(SHIPPED_TEXT, SHIPPED_VERSION, 'version = "2021.3"')
    problems = _problems(_folder(tmp_path, {NAME: SHIPPED_TEXT, "ai-rpa/2021-bis.toml": twin}))
    assert any(
        p.key == "measure.effective_from" and p.file in (NAME, "ai-rpa/2021-bis.toml")
        for p in problems
    ), problems


def test_effective_until_past_next_start_refused(tmp_path: Path) -> None:
    """An effective_until that runs past the next version's start is refused on load."""
    first = _edit(
        _local(), "effective_from = 2021\n", "effective_from = 2021\neffective_until = 2025\n"
    )
    later = _version(SHIPPED_TEXT, "2024.1", 2024)
    root = _folder(tmp_path, {NAME: first, "ai-rpa/2024.toml": later})
    problems = _problems(root)
    assert any(p.file == NAME and p.key == "measure.effective_until" for p in problems), problems


def test_effective_until_just_before_next_start_loads(tmp_path: Path) -> None:
    """effective_until = 2023 with a next version from 2024 is a clean hand-over, not an overlap."""
    first = _edit(
        _local(), "effective_from = 2021\n", "effective_from = 2021\neffective_until = 2023\n"
    )
    later = _version(SHIPPED_TEXT, "2024.1", 2024)
    root = _folder(tmp_path, {NAME: first, "ai-rpa/2024.toml": later})
    rules = tokko.load_rules(root)
    assert rules.for_year(2023).version == LOCAL_VERSION
    assert rules.for_year(2024).version == "2024.1"


def test_shipped_2020_and_2021_hand_over_cleanly() -> None:
    """2020.1 ends in 2020 and 2021.2 starts in 2021: no gap, no overlap."""
    rules = tokko.load_rules()
    assert [rules.for_year(y).version for y in (2020, 2021, 2025, 2030)] == [
        "2020.1",
        "2021.2",
        "2021.2",
        "2021.2",
    ]


# ── Names given twice ────────────────────────────────────────────────────────────────────────

NAMES_TWICE: list[tuple[str, str, str, str, str]] = [
    (
        "business-twice",
        'name = "戸籍"\naliases = []',
        'name = "戸籍"\naliases = ["住民票"]',
        "excluded_businesses.list[18]",
        "rule.name_twice.business",
    ),
    (
        "alias-on-two-businesses",
        'name = "軽自動車税"\naliases = []',
        'name = "軽自動車税"\naliases = ["住基"]',
        "excluded_businesses.list[5]",
        "rule.name_twice.business",
    ),
    (
        "business-listed-twice",
        'name = "国民年金"\naliases = []',
        'name = "国民年金"\naliases = []\n\n[[excluded_businesses.list]]\nname = "国民年金"',
        "excluded_businesses.list[8]",
        "rule.name_twice.business",
    ),
    (
        "alias-twice-in-one-business",
        'aliases = ["印鑑証明"]',
        'aliases = ["印鑑証明", "印鑑証明"]',
        "excluded_businesses.list[17]",
        "rule.name_twice.business",
    ),
    (
        "technology-twice",
        'value = ["AI", "RPA"]',
        'value = ["AI", "RPA", "ＡＩ"]',
        "technologies.eligible.value",
        "rule.name_twice.technology",
    ),
    (
        "technology-alias-is-a-technology",
        '"人工知能" = "AI"',
        '"人工知能" = "AI", "RPA" = "AI"',
        "technologies.aliases.value",
        "rule.name_twice.technology",
    ),
    (
        "expense-kind-alias-on-two-kinds",
        'aliases = ["研修費", "職員研修"]',
        'aliases = ["研修費", "職員研修", "導入"]',
        "expense_kinds[2]",
        "rule.name_twice.kind",
    ),
    (
        "expense-kind-name-is-another-id",
        'name_ja = "その他"',
        'name_ja = "hardware"',
        "expense_kinds[6]",
        "rule.name_twice.kind",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "detail"), [pytest.param(*case[1:], id=case[0]) for case in NAMES_TWICE]
)
def test_name_given_twice_is_refused(
    tmp_path: Path, old: str, new: str, key: str, detail: str
) -> None:
    """A business, alias, technology or expense-kind name given twice (after folding), or an
    alias that points to two businesses, is refused at the later key (SPEC §2)."""
    problems = _problems(_folder(tmp_path, {NAME: _edit(_local(), old, new)}))
    found = [p for p in problems if p.detail == detail]
    assert [(p.file, p.key) for p in found] == [(NAME, key)], [
        (p.key, p.detail, _en(p)) for p in problems
    ]
    assert found[0].message("ja") != found[0].message("en")


def test_alias_on_two_businesses_names_both() -> None:
    """The message names the alias and both businesses it is given to."""
    text = _edit(
        _local(), 'name = "軽自動車税"\naliases = []', 'name = "軽自動車税"\naliases = ["住基"]'
    )
    _, problems = parse_rule_file(text.encode(), NAME)
    (problem,) = problems
    for lang in ("ja", "en"):
        message = problem.message(lang)  # type: ignore[arg-type]
        assert "住基" in message
        assert "住民基本台帳" in message
        assert "軽自動車税" in message


# ── Selection by fiscal year ─────────────────────────────────────────────────────────────────


def _no_rules(rules: tokko.RuleSet, year: int) -> None:
    with pytest.raises(InvalidValue) as caught:
        rules.for_year(year)
    assert caught.value.problem.code is ErrorCode.NO_RULES_FOR_YEAR


def test_before_the_first_version_no_rules() -> None:
    """Fiscal 2019, before the first version (2020), has no rules: NO_RULES_FOR_YEAR."""
    rules = tokko.load_rules()
    _no_rules(rules, 2019)
    _no_rules(rules, 1989)
    assert rules.for_year(2020).version == "2020.1"
    assert rules.for_year(2021).version == "2021.2"


def test_after_an_explicit_end_no_rules(tmp_path: Path) -> None:
    """After effective_until = 2023 there are no rules (NO_RULES_FOR_YEAR), never a default."""
    text = _edit(
        _local(), "effective_from = 2021\n", "effective_from = 2021\neffective_until = 2023\n"
    )
    rules = tokko.load_rules(_folder(tmp_path, {NAME: text}))
    assert rules.for_year(2023).version == LOCAL_VERSION
    _no_rules(rules, 2024)
    _no_rules(rules, 2030)
    document = _document(tokko.calculate(_declaration(2024, _item("1")), rules))
    assert [e["code"] for e in document["errors"]] == ["NO_RULES_FOR_YEAR"]
    assert document["declarations"][0]["items"][0]["status"] == "error"


def _two_versions(tmp_path: Path) -> Path:
    later = _version(SHIPPED_TEXT, "2024.1", 2024)
    later = _edit(later, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 0.25\n")
    later = _edit(later, "[rates.joint]\nvalue = 0.5\n", "[rates.joint]\nvalue = 0.4\n")
    later = _edit(later, "confirmed_through = 2025", "confirmed_through = 2026")
    return _folder(tmp_path, {NAME: SHIPPED_TEXT, "ai-rpa/2024.toml": later})


def test_each_year_picks_the_version_in_force(tmp_path: Path) -> None:
    """With versions from 2021 and 2024, 2021–2023 use the first and 2024 onwards the second."""
    rules = tokko.load_rules(_two_versions(tmp_path))
    assert [rules.for_year(y).version for y in (2021, 2022, 2023)] == ["2021.2"] * 3
    assert [rules.for_year(y).version for y in (2024, 2025, 2030)] == ["2024.1"] * 3
    _no_rules(rules, 2020)


def test_calculation_uses_the_version_of_its_year(tmp_path: Path) -> None:
    """Fiscal 2023 is computed at 0.3 by 2021.toml, 2024 at 0.25 by 2024.toml, each recorded."""
    root = _two_versions(tmp_path)
    rules = tokko.load_rules(root)
    before = _document(tokko.calculate(_declaration("令和5年度", _item("1")), rules))
    after = _document(tokko.calculate(_declaration("令和6年度", _item("1")), rules))
    assert Decimal(before["declarations"][0]["items"][0]["rate"]) == Decimal("0.3")
    assert Decimal(after["declarations"][0]["items"][0]["measure"]) == Decimal(250000)
    assert _only_rules(before)["path"] == NAME
    assert _only_rules(after)["path"] == "ai-rpa/2024.toml"
    assert _only_rules(after)["version"] == "2024.1"
    expected = hashlib.sha256((root / "ai-rpa" / "2024.toml").read_bytes()).hexdigest()
    assert _only_rules(after)["sha256"] == expected


def test_several_versions_in_one_run_give_a_list(tmp_path: Path) -> None:
    """Rows of two fiscal years under two versions give `rules` as a list of both (SPEC §6)."""
    rules = tokko.load_rules(_two_versions(tmp_path))
    rows = [{"entity_code": "011002", "fiscal_year": year, **_item("1")} for year in (2023, 2024)]
    document = _document(tokko.calculate_rows(rows, rules))
    assert isinstance(document["rules"], list)
    assert sorted(r["version"] for r in document["rules"]) == ["2021.2", "2024.1"]
    assert len(document["declarations"]) == 2
    assert [d["rules_version"] for d in document["declarations"]] == ["2021.2", "2024.1"]


def test_shipped_2020_and_2021_in_one_run() -> None:
    """A run over fiscal 2020 and 2021 with the shipped rules lists 2020.1 and 2021.2."""
    rows = [{"entity_code": "011002", "fiscal_year": year, **_item("1")} for year in (2020, 2021)]
    document = _document(tokko.calculate_rows(rows))
    assert sorted(r["version"] for r in document["rules"]) == ["2020.1", "2021.2"]


def test_year_past_confirmed_through_warns_every_computed_item(tmp_path: Path) -> None:
    """Past confirmed_through every computed item warns RULES_UNCONFIRMED_FOR_YEAR; not before."""
    text = _edit(_local(), "confirmed_through = 2025", "confirmed_through = 2022")
    rules = tokko.load_rules(_folder(tmp_path, {NAME: text}))
    items = (
        _item("1"),
        _item("2", technology="IoT"),
        _item("3", expense_kind="機器購入"),
        _item("4", procurement="joint"),
        _item("5", amount="x"),
    )
    late = _document(tokko.calculate(_declaration(2023, *items), rules))["declarations"][0]
    for item in late["items"]:
        if item["status"] == "error":
            assert "RULES_UNCONFIRMED_FOR_YEAR" not in item["warnings"]
        else:
            assert "RULES_UNCONFIRMED_FOR_YEAR" in item["warnings"], item["item_id"]
    assert [i["status"] for i in late["items"]] == [
        "eligible",
        "excluded",
        "excluded",
        "eligible",
        "error",
    ]
    confirmed = _document(tokko.calculate(_declaration(2022, *items), rules))["declarations"][0]
    assert all("RULES_UNCONFIRMED_FOR_YEAR" not in i["warnings"] for i in confirmed["items"])


def test_every_problem_in_one_round_in_both_languages(tmp_path: Path) -> None:
    """A misspelt key and an undefined source: both reported by one check, in ja and en."""
    text = _edit(_local(), "[rates.standard]", "[rates.standrad]")
    text = _edit(
        text, 'value = 0.5\nsource = "soumu-ai-rpa"', 'value = 0.5\nsource = "no-such-source"'
    )
    problems = check_rules(_folder(tmp_path, {NAME: text}))
    by_key = {p.key: p for p in problems}
    assert set(by_key) >= {"rates.standrad", "rates.joint"}
    assert "no-such-source" in by_key["rates.joint"].message("en")
    assert "出典「no-such-source」" in by_key["rates.joint"].message("ja")
    assert by_key["rates.standrad"].detail_text("en") == (
        "not a key of rule files (a typing mistake?)"
    )
    assert by_key["rates.standrad"].detail_text("ja").startswith("規則ファイルにない項目です")
    assert by_key["rates.standrad"].message("en").startswith("rates.standrad: ")
    assert all(p.message("ja") for p in problems), "every problem reads in Japanese"
    assert all(p.code is ErrorCode.INVALID_RULE_FILE for p in problems)
