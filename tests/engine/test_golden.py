"""Golden cases: worked examples written from SPEC.md, one TOML file each in tests/golden/.

The format is documented in tests/golden/README.md. Every case runs ``tokko.calculate`` on its
declaration and compares the JSON result field by field; amounts compare as decimals. Together
the cases must use every code of SPEC §4's vocabularies, read from the SPEC itself.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.spec import SPEC

import tokko

TESTS = Path(__file__).resolve().parents[1]
GOLDEN = TESTS / "golden"
RULE_FOLDERS = GOLDEN / "rules"

CASE_KEYS = {"name", "description", "declaration", "expected"}
OPTIONAL_CASE_KEYS = {"rules", "xfail"}
EXPECTED_KEYS = {"errors"}
OPTIONAL_EXPECTED_KEYS = {
    "declared",
    "items",
    "totals",
    "entity_code",
    "entity_name",
    "fiscal_year",
    "rules",
    "rules_version",
    "warnings",
    "steps",
}
ITEM_KEYS = {"item_id", "status", "net", "rate", "measure", "reasons", "warnings", "errors"}
OPTIONAL_ITEM_KEYS = {"steps"}
STEP_KEYS = {"step", "key", "outcome"}
TOTAL_KEYS = {
    "amount",
    "specific_revenue",
    "net",
    "excluded",
    "measure_by_rate",
    "measure_exact",
    "measure",
}
OPTIONAL_TOTAL_KEYS = {"fiscal_strength_index", "fiscal_strength_multiplier"}
ERROR_KEYS = {"column", "code"}
OPTIONAL_ERROR_KEYS = {"row"}
RULES_KEYS = {"measure", "version", "path"}
NULL = "null"

#: SPEC §4 codes that cannot appear on the result of ``tokko.calculate`` of one declaration,
#: with why, and the test that covers them instead.
NOT_ON_A_DECLARATION = {
    "RULE_VERSION_CONFLICT": (
        "a rule-file code: load_rules refuses the folder before anything is computed; covered "
        "by tests/engine/test_library.py::test_rule_version_conflict_is_refused"
    ),
    "FISCAL_STRENGTH_INDEX_CONFLICT": (
        "a declaration gives one index, at its top, so no later row can give another; covered "
        "by tests/engine/test_step1_prepare.py::test_a_later_row_with_another_index_conflicts"
    ),
}


@dataclass(frozen=True)
class Case:
    """One golden case as read from its file."""

    path: Path
    name: str
    description: str
    rules: str | None
    xfail: str | None
    declaration: dict[str, Any]
    expected: dict[str, Any]

    @property
    def declared(self) -> bool:
        """Whether the declaration's government and year can be read (one declaration out)."""
        return bool(self.expected.get("declared", True))


def _check_keys(
    table: Mapping[str, Any], required: set[str], optional: set[str], where: str
) -> None:
    missing = required - table.keys()
    unknown = table.keys() - required - optional
    assert not missing, f"{where}: missing keys {sorted(missing)}"
    assert not unknown, f"{where}: unknown keys {sorted(unknown)}"


def _check_steps(steps: list[Any], where: str) -> None:
    for index, step in enumerate(steps):
        _check_keys(step, STEP_KEYS, set(), f"{where}.steps[{index}]")


def _read_case(path: Path) -> Case:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    where = path.name
    _check_keys(data, CASE_KEYS, OPTIONAL_CASE_KEYS, where)
    expected = data["expected"]
    _check_keys(expected, EXPECTED_KEYS, OPTIONAL_EXPECTED_KEYS, f"{where} [expected]")
    if expected.get("declared", True):
        assert {"items", "totals"} <= expected.keys(), f"{where}: items and totals are required"
        for index, item in enumerate(expected["items"]):
            _check_keys(item, ITEM_KEYS, OPTIONAL_ITEM_KEYS, f"{where} expected.items[{index}]")
            _check_steps(item.get("steps", []), f"{where} expected.items[{index}]")
        _check_keys(
            expected["totals"], TOTAL_KEYS, OPTIONAL_TOTAL_KEYS, f"{where} [expected.totals]"
        )
        _check_steps(expected.get("steps", []), f"{where} [expected]")
    else:
        extra = expected.keys() & {
            "items",
            "totals",
            "entity_code",
            "entity_name",
            "fiscal_year",
            "rules",
            "rules_version",
            "warnings",
            "steps",
        }
        assert not extra, f"{where}: a case without a declaration expects no {sorted(extra)}"
    for index, error in enumerate(expected["errors"]):
        _check_keys(error, ERROR_KEYS, OPTIONAL_ERROR_KEYS, f"{where} expected.errors[{index}]")
    if "rules" in expected:
        _check_keys(expected["rules"], set(), RULES_KEYS, f"{where} [expected.rules]")
    return Case(
        path,
        data["name"],
        data["description"],
        data.get("rules"),
        data.get("xfail"),
        data["declaration"],
        expected,
    )


CASES = [_read_case(p) for p in sorted(GOLDEN.glob("*.toml"))]


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def _rules_for(case: Case) -> tokko.RuleSet | None:
    if case.rules is None:
        return None
    folder = RULE_FOLDERS / case.rules
    assert folder.is_dir(), f"{case.path.name}: no rule folder {folder}"
    return tokko.load_rules(folder)


def _same_amount(actual: object, expected: str, where: str) -> None:
    if expected == NULL:
        assert actual is None, f"{where}: expected null, got {actual!r}"
        return
    assert isinstance(actual, str), f"{where}: amounts are decimal strings, got {actual!r}"
    assert Decimal(actual) == Decimal(expected), f"{where}: expected {expected}, got {actual}"


def _steps(explanation: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(s["step"], s["key"], s["outcome"]) for s in explanation]


def _wanted_steps(steps: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The steps as written; TOML has no null, so a key ``"null"`` means JSON null."""
    return [(s["step"], None if s["key"] == NULL else s["key"], s["outcome"]) for s in steps]


def _error_pairs(errors: list[dict[str, Any]], with_rows: bool) -> list[tuple[Any, ...]]:
    return sorted(
        ((e["column"], e["code"], e["row"]) if with_rows else (e["column"], e["code"]))
        for e in errors
    )


@pytest.mark.parametrize("case", _params())
def test_golden_case(case: Case) -> None:
    """The declaration of the case gives exactly the items, totals, warnings, explanation steps
    and errors written out."""
    result = tokko.calculate(case.declaration, _rules_for(case))
    document = json.loads(result.model_dump_json())
    expected = case.expected

    with_rows = any("row" in e for e in expected["errors"])
    assert all("row" in e for e in expected["errors"]) or not with_rows, "rows for all or none"
    assert _error_pairs(document["errors"], with_rows) == _error_pairs(
        expected["errors"], with_rows
    ), "errors (column, code[, row])"

    if not case.declared:
        assert document["declarations"] == [], "an unreadable government or year: no declaration"
        return
    assert len(document["declarations"]) == 1, "one declaration in, one declaration out"
    declaration = document["declarations"][0]
    for key in ("entity_code", "entity_name", "fiscal_year", "rules_version"):
        if key in expected:
            assert declaration[key] == expected[key], key
    assert isinstance(document["rules"], list), "rules is always a list"
    if "rules" in expected:
        assert len(document["rules"]) == 1, "one rule version was used"
        for key, value in expected["rules"].items():
            assert document["rules"][0][key] == value, f"rules.{key}"
    assert sorted(declaration["warnings"]) == sorted(expected.get("warnings", [])), "warnings"

    items = declaration["items"]
    assert len(items) == len(expected["items"]), "one result item per input item"
    for index, (got, want) in enumerate(zip(items, expected["items"], strict=True)):
        where = f"item {index + 1} ({want['item_id']})"
        assert got["item_id"] == want["item_id"], f"{where}: item_id"
        assert got["status"] == want["status"], f"{where}: status"
        for key in ("net", "rate", "measure"):
            _same_amount(got[key], want[key], f"{where}: {key}")
        assert got["reasons"] == want["reasons"], f"{where}: reasons"
        assert sorted(got["warnings"]) == sorted(want["warnings"]), f"{where}: warnings"
        assert sorted(got["errors"]) == sorted(want["errors"]), f"{where}: errors"
        if "steps" in want:
            assert _steps(got["explanation"]) == _wanted_steps(want["steps"]), f"{where}: steps"

    totals = declaration["totals"]
    for key in sorted(TOTAL_KEYS | OPTIONAL_TOTAL_KEYS):
        _same_amount(totals[key], expected["totals"].get(key, NULL), f"totals.{key}")
    if "steps" in expected:
        assert _steps(declaration["explanation"]) == _wanted_steps(expected["steps"]), "steps"


# ── The vocabulary: SPEC §4, read from the SPEC ─────────────────────────────────────────────

_CODE = re.compile(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")


def _spec_vocabulary() -> dict[str, str]:
    """SPEC §4's codes, each with its kind (reason, warning, error), from the paragraphs after
    "Closed vocabularies"."""
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


def _codes_by_kind(case: Case) -> dict[str, set[str]]:
    expected = case.expected
    found: dict[str, set[str]] = {
        "reason": set(),
        "warning": set(expected.get("warnings", [])),
        "error": {e["code"] for e in expected["errors"]},
    }
    for item in expected.get("items", []):
        found["reason"].update(item["reasons"])
        found["warning"].update(item["warnings"])
        found["error"].update(item["errors"])
    return found


def test_spec_vocabulary_is_read() -> None:
    """The SPEC's §4 lists are found: six reasons, the warnings and the error codes."""
    kinds = list(SPEC_CODES.values())
    assert kinds.count("reason") == 6
    assert SPEC_CODES["STANDARD_RATE"] == "reason"
    assert SPEC_CODES["FISCAL_STRENGTH_NOT_APPLIED"] == "warning"
    assert SPEC_CODES["UNKNOWN_COLUMN"] == "error"
    assert SPEC_CODES["RULE_VERSION_CONFLICT"] == "error"
    assert set(NOT_ON_A_DECLARATION) <= set(SPEC_CODES)


def test_golden_cases_cover_every_code() -> None:
    """Together the cases use every reason, warning and error code of SPEC §4 as that kind,
    except the codes that cannot appear on one declaration's result (listed, with the test
    that covers each)."""
    covered = {
        (code, kind)
        for case in CASES
        for kind, codes in _codes_by_kind(case).items()
        for code in codes
    }
    missing = {
        code
        for code, kind in SPEC_CODES.items()
        if (code, kind) not in covered and code not in NOT_ON_A_DECLARATION
    }
    assert not missing, f"codes without a golden case: {sorted(missing)}"


def test_golden_cases_use_only_known_codes() -> None:
    """No case expects a code outside SPEC §4's vocabulary, or one of another kind (a reason
    among warnings): a typo would never match."""
    for case in CASES:
        for kind, codes in _codes_by_kind(case).items():
            wrong = {c for c in codes if SPEC_CODES.get(c) != kind}
            assert not wrong, f"{case.path.name}: not {kind} codes of SPEC §4: {sorted(wrong)}"


def test_golden_case_names_match_their_files() -> None:
    """Each case's name is its file name, and every case says what it proves."""
    assert len(CASES) >= 50
    for case in CASES:
        assert case.name == case.path.stem
        assert case.description.strip().endswith("."), f"{case.path.name}: one sentence"


def test_golden_totals_reconcile_as_written() -> None:
    """The hand-written totals of every case satisfy amount = net + excluded + specific_revenue,
    and measure_exact = measure_by_rate × the multiplier (× 1 without one)."""
    for case in CASES:
        if not case.declared:
            continue
        t = {k: Decimal(v) for k, v in case.expected["totals"].items() if v != NULL}
        assert t["amount"] == t["net"] + t["excluded"] + t["specific_revenue"], case.path.name
        multiplier = t.get("fiscal_strength_multiplier", Decimal(1))
        assert t["measure_exact"] == t["measure_by_rate"] * multiplier, case.path.name


def test_golden_steps_cover_the_cases_that_matter() -> None:
    """The explanation steps are asserted for the standard and joint rates, the exclusions, the
    revenue above the amount and the first-year rule."""
    with_steps = {
        case.name
        for case in CASES
        if any("steps" in item for item in case.expected.get("items", []))
    }
    assert {
        "standard-rate",
        "joint-rate",
        "excluded-several-reasons",
        "excluded-standardization-target",
        "revenue-exceeds-amount",
        "licence-first-year",
        "licence-not-first-year",
    } <= with_steps
