"""Rule files (SPEC §2): loading, refusing bad files, choosing the version by year, provenance.

Bad files are built from the text of the shipped rules/ai-rpa/2021.toml with one edit each,
written under tmp_path.
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
from tokko.errors import RuleProblem

SHIPPED_ROOT = Path(__file__).resolve().parents[1] / "rules"
SHIPPED_FILE = SHIPPED_ROOT / "ai-rpa" / "2021.toml"
SHIPPED_TEXT = SHIPPED_FILE.read_text(encoding="utf-8")
NAME = "ai-rpa/2021.toml"

#: The 20 standardization-target businesses, as SPEC §1 lists them.
SPEC_TARGETS = {
    "住民基本台帳", "選挙人名簿管理", "固定資産税", "個人住民税", "法人住民税", "軽自動車税",
    "国民健康保険", "国民年金", "障害者福祉", "後期高齢者医療", "介護保険", "児童手当", "生活保護",
    "健康管理", "就学", "児童扶養手当", "子ども・子育て支援", "印鑑登録", "戸籍", "戸籍の附票",
}


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the edit must hit exactly one place: {old!r}"
    return text.replace(old, new)


def _version(text: str, version: str, start: int) -> str:
    """The shipped text as another version starting in ``start``."""
    text = _edit(text, 'version = "2021.1"', f'version = "{version}"')
    return _edit(text, "effective_from = 2021", f"effective_from = {start}")


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _problems(root: Path) -> list[RuleProblem]:
    with pytest.raises(tokko.RuleFileError) as caught:
        tokko.load_rules(root)
    problems = caught.value.problems
    assert problems, "a refused rule set lists its problems"
    return problems


def _declaration(year: object, *items: dict[str, Any]) -> dict[str, Any]:
    return {"entity_code": "011002", "fiscal_year": year, "items": list(items)}


def _item(item_id: str, **fields: Any) -> dict[str, Any]:
    return {"item_id": item_id, "description": "AIの導入", "technology": "AI",
            "expense_kind": "introduction", "amount": 1000000, **fields}


def _document(result: tokko.Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.model_dump_json())
    return document


# ── The shipped rules ────────────────────────────────────────────────────────────────────────


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run without TOKKO_RULES, whatever the calling shell set."""
    monkeypatch.delenv("TOKKO_RULES", raising=False)


@pytest.mark.usefixtures("no_env")
def test_shipped_rules_load() -> None:
    """The shipped rules load: one version 2021.1 of ai-rpa, rates 0.3 and 0.5, from fiscal 2021."""
    rules = tokko.load_rules()
    versions = list(rules)
    assert [(v.measure, v.version, v.path) for v in versions] == [("ai-rpa", "2021.1", NAME)]
    version = versions[0]
    assert version.rate_standard == Decimal("0.3")
    assert version.rate_joint == Decimal("0.5")
    assert version.file.measure.effective_from == 2021
    assert version.file.measure.confirmed_through == 2025
    assert rules.for_year(2021) is version


@pytest.mark.usefixtures("no_env")
def test_shipped_rules_exclude_the_twenty_spec_targets() -> None:
    """The excluded businesses are exactly the 20 standardization targets of SPEC §1."""
    version = tokko.load_rules().for_year(2021)
    names = [b.name for b in version.file.excluded_businesses.businesses]
    assert len(names) == 20
    assert set(names) == SPEC_TARGETS


@pytest.mark.usefixtures("no_env")
def test_shipped_rules_expense_kinds_match_spec() -> None:
    """The 2021 file makes introduction, license, training, consulting eligible and the rest not."""
    version = tokko.load_rules().for_year(2021)
    eligible = {k.id: k.eligible for k in version.file.expense_kinds}
    assert eligible == {"introduction": True, "license": True, "training": True,
                        "consulting": True, "hardware": False, "personnel": False, "other": False}


@pytest.mark.usefixtures("no_env")
def test_result_records_the_shipped_file_and_its_sha256() -> None:
    """A result names measure, version and path, and the SHA-256 of the exact bytes of the file."""
    document = _document(tokko.calculate(_declaration("R3", _item("1"))))
    assert document["rules"]["measure"] == "ai-rpa"
    assert document["rules"]["version"] == "2021.1"
    assert document["rules"]["path"] == NAME
    assert document["rules"]["sha256"] == hashlib.sha256(SHIPPED_FILE.read_bytes()).hexdigest()


# ── Another folder: load_rules(path) and TOKKO_RULES ─────────────────────────────────────────


def _local_text() -> str:
    text = _edit(SHIPPED_TEXT, 'version = "2021.1"', 'version = "2021.9-local"')
    return _edit(text, "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = 0.25\n")


def test_load_rules_from_a_path(tmp_path: Path) -> None:
    """load_rules(path) reads that folder, and calculate with it uses its rates."""
    rules = tokko.load_rules(_folder(tmp_path, {NAME: _local_text()}))
    assert [v.version for v in rules] == ["2021.9-local"]
    document = _document(tokko.calculate(_declaration("R3", _item("1")), rules))
    item = document["declarations"][0]["items"][0]
    assert Decimal(item["rate"]) == Decimal("0.25")
    assert Decimal(item["measure"]) == Decimal(250000)
    assert document["rules"]["version"] == "2021.9-local"


def test_tokko_rules_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TOKKO_RULES points load_rules() and calculate() without rules at another folder."""
    root = _folder(tmp_path, {NAME: _local_text()})
    monkeypatch.setenv("TOKKO_RULES", str(root))
    assert [v.version for v in tokko.load_rules()] == ["2021.9-local"]
    document = _document(tokko.calculate(_declaration("R3", _item("1"))))
    assert document["rules"]["version"] == "2021.9-local"
    assert Decimal(document["declarations"][0]["items"][0]["rate"]) == Decimal("0.25")


def test_sha256_is_of_the_exact_bytes(tmp_path: Path) -> None:
    """A file differing only by a comment has another SHA-256, and the result records it."""
    text = SHIPPED_TEXT + "\n# a local comment\n"
    root = _folder(tmp_path, {NAME: text})
    document = _document(tokko.calculate(_declaration("R3", _item("1")), tokko.load_rules(root)))
    expected = hashlib.sha256((root / NAME).read_bytes()).hexdigest()
    assert document["rules"]["sha256"] == expected
    assert expected != hashlib.sha256(SHIPPED_FILE.read_bytes()).hexdigest()
    assert document["rules"]["path"] == NAME


# ── Bad rule files are refused with the file, the key path and the reason ───────────────────

Check = Callable[[RuleProblem], bool]

BAD_FILES: list[tuple[str, str, str, Check]] = [
    ("misspelt-key", "[rates.standard]", "[rates.standrad]",
     lambda p: p.key == "rates.standrad"),
    ("sourced-value-without-source",
     '[rates.standard]\nvalue = 0.3\nsource = "soumu-ai-rpa"\n', "[rates.standard]\nvalue = 0.3\n",
     lambda p: p.key == "rates.standard.source"),
    ("source-names-no-defined-id",
     'value = 0.5\nsource = "soumu-ai-rpa"', 'value = 0.5\nsource = "no-such-source"',
     lambda p: "rates.joint" in str(p) and "no-such-source" in str(p)),
    ("rate-above-one", "[rates.joint]\nvalue = 0.5\n", "[rates.joint]\nvalue = 1.5\n",
     lambda p: p.key == "rates.joint.value"),
    ("rate-below-zero", "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = -0.1\n",
     lambda p: p.key == "rates.standard.value"),
    ("joint-below-standard", "[rates.joint]\nvalue = 0.5\n", "[rates.joint]\nvalue = 0.2\n",
     lambda p: p.key.startswith("rates") and "joint" in str(p) and "standard" in str(p)),
    ("unparseable-date", "date = 2020-12-25", 'date = "2020-13-45"',
     lambda p: p.key == "sources.dx-plan.date"),
    ("invalid-toml", "[rates.standard]\nvalue = 0.3\n", "[rates.standard]\nvalue = = 0.3\n",
     lambda p: "TOML" in p.reason and "line" in p.reason),
    ("unknown-rounding-mode", 'value = "half_up"', 'value = "bankers"',
     lambda p: p.key == "rounding.mode"),
]


@pytest.mark.parametrize(("old", "new", "check"), [pytest.param(*case[1:], id=case[0])
                                                   for case in BAD_FILES])
def test_bad_rule_file_refused(tmp_path: Path, old: str, new: str, check: Check) -> None:
    """A bad rule file is refused with RuleFileError naming the file and the key path."""
    problems = _problems(_folder(tmp_path, {NAME: _edit(SHIPPED_TEXT, old, new)}))
    assert all(p.reason for p in problems), "every problem says why"
    assert any(p.file == NAME and check(p) for p in problems), problems


def test_bad_file_refuses_the_whole_folder(tmp_path: Path) -> None:
    """One bad file among good ones refuses the whole rule set: nothing is computed from it."""
    bad = _version(_edit(SHIPPED_TEXT, 'value = "half_up"', 'value = "bankers"'), "2024.1", 2024)
    root = _folder(tmp_path, {NAME: SHIPPED_TEXT, "ai-rpa/2024.toml": bad})
    problems = _problems(root)
    assert {p.file for p in problems} == {"ai-rpa/2024.toml"}


def test_two_versions_starting_the_same_year_refused(tmp_path: Path) -> None:
    """Two versions of one measure that start in the same fiscal year are refused on load."""
    twin = _edit(SHIPPED_TEXT, 'version = "2021.1"', 'version = "2021.2"')
    problems = _problems(_folder(tmp_path, {NAME: SHIPPED_TEXT, "ai-rpa/2021-bis.toml": twin}))
    assert any(p.key == "measure.effective_from" and p.file in (NAME, "ai-rpa/2021-bis.toml")
               for p in problems), problems


def test_effective_until_past_next_start_refused(tmp_path: Path) -> None:
    """An effective_until that runs past the next version's start is refused on load."""
    first = _edit(SHIPPED_TEXT, "effective_from = 2021\n",
                  "effective_from = 2021\neffective_until = 2025\n")
    later = _version(SHIPPED_TEXT, "2024.1", 2024)
    root = _folder(tmp_path, {NAME: first, "ai-rpa/2024.toml": later})
    problems = _problems(root)
    assert any(p.file == NAME and p.key == "measure.effective_until" for p in problems), problems


def test_effective_until_just_before_next_start_loads(tmp_path: Path) -> None:
    """effective_until = 2023 with a next version from 2024 is a clean hand-over, not an overlap."""
    first = _edit(SHIPPED_TEXT, "effective_from = 2021\n",
                  "effective_from = 2021\neffective_until = 2023\n")
    later = _version(SHIPPED_TEXT, "2024.1", 2024)
    root = _folder(tmp_path, {NAME: first, "ai-rpa/2024.toml": later})
    rules = tokko.load_rules(root)
    assert rules.for_year(2023).version == "2021.1"
    assert rules.for_year(2024).version == "2024.1"


# ── Selection by fiscal year ─────────────────────────────────────────────────────────────────


def _no_rules(rules: tokko.RuleSet, year: int) -> None:
    with pytest.raises(tokko.FieldError) as caught:
        rules.for_year(year)
    assert caught.value.code == "NO_RULES_FOR_YEAR"


@pytest.mark.usefixtures("no_env")
def test_before_the_first_version_no_rules() -> None:
    """Fiscal 2020, before the first version (2021), has no rules: NO_RULES_FOR_YEAR."""
    rules = tokko.load_rules()
    _no_rules(rules, 2020)
    _no_rules(rules, 1989)
    assert rules.for_year(2021).version == "2021.1"


def test_after_an_explicit_end_no_rules(tmp_path: Path) -> None:
    """After effective_until = 2023 there are no rules (NO_RULES_FOR_YEAR), never a default."""
    text = _edit(SHIPPED_TEXT, "effective_from = 2021\n",
                 "effective_from = 2021\neffective_until = 2023\n")
    rules = tokko.load_rules(_folder(tmp_path, {NAME: text}))
    assert rules.for_year(2023).version == "2021.1"
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
    assert [rules.for_year(y).version for y in (2021, 2022, 2023)] == ["2021.1"] * 3
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
    assert before["rules"]["path"] == NAME
    assert after["rules"]["path"] == "ai-rpa/2024.toml"
    assert after["rules"]["version"] == "2024.1"
    expected = hashlib.sha256((root / "ai-rpa" / "2024.toml").read_bytes()).hexdigest()
    assert after["rules"]["sha256"] == expected


def test_several_versions_in_one_run_give_a_list(tmp_path: Path) -> None:
    """Rows of two fiscal years under two versions give `rules` as a list of both (SPEC §6)."""
    rules = tokko.load_rules(_two_versions(tmp_path))
    rows = [{"entity_code": "011002", "fiscal_year": year, **_item("1")} for year in (2023, 2024)]
    document = _document(tokko.calculate_rows(rows, rules))
    assert isinstance(document["rules"], list)
    assert sorted(r["version"] for r in document["rules"]) == ["2021.1", "2024.1"]
    assert len(document["declarations"]) == 2


def test_year_past_confirmed_through_warns_every_computed_item(tmp_path: Path) -> None:
    """Past confirmed_through every computed item warns RULES_UNCONFIRMED_FOR_YEAR; not before."""
    text = _edit(SHIPPED_TEXT, "confirmed_through = 2025", "confirmed_through = 2022")
    rules = tokko.load_rules(_folder(tmp_path, {NAME: text}))
    items = (_item("1"), _item("2", technology="IoT"), _item("3", expense_kind="機器購入"),
             _item("4", procurement="joint"), _item("5", amount="x"))
    late = _document(tokko.calculate(_declaration(2023, *items), rules))["declarations"][0]
    for item in late["items"]:
        if item["status"] == "error":
            assert "RULES_UNCONFIRMED_FOR_YEAR" not in item["warnings"]
        else:
            assert "RULES_UNCONFIRMED_FOR_YEAR" in item["warnings"], item["item_id"]
    assert [i["status"] for i in late["items"]] == [
        "eligible", "excluded", "excluded", "eligible", "error"]
    confirmed = _document(tokko.calculate(_declaration(2022, *items), rules))["declarations"][0]
    assert all("RULES_UNCONFIRMED_FOR_YEAR" not in i["warnings"] for i in confirmed["items"])


def test_every_problem_in_one_round_in_both_languages(tmp_path: Path) -> None:
    """A misspelt key and an undefined source: both reported by one check, in ja and en."""
    text = _edit(SHIPPED_TEXT, "[rates.standard]", "[rates.standrad]")
    text = _edit(text, 'value = 0.5\nsource = "soumu-ai-rpa"',
                 'value = 0.5\nsource = "no-such-source"')
    problems = tokko.rules.ruleset.check_rules(_folder(tmp_path, {NAME: text}))
    by_key = {p.key: p for p in problems}
    assert set(by_key) >= {"rates.standrad", "rates.joint"}
    assert "no-such-source" in by_key["rates.joint"].text("en")
    assert "出典「no-such-source」" in by_key["rates.joint"].text("ja")
    assert by_key["rates.standrad"].text("en") == "Extra inputs are not permitted"
    assert by_key["rates.standrad"].text("ja").startswith("規則ファイルにない項目です")
    assert all(p.reason_ja for p in problems), "every problem reads in Japanese"
