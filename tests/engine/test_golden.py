"""Golden cases: worked examples written from SPEC.md, one TOML file each in tests/golden/.

The format is documented in tests/golden/README.md. Every case runs ``tokko.calculate`` on its
declaration and compares the JSON result field by field; amounts compare as decimals.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tokko

GOLDEN = Path(__file__).parent / "golden"
RULE_FOLDERS = GOLDEN / "rules"

CASE_KEYS = {"name", "description", "declaration", "expected"}
OPTIONAL_CASE_KEYS = {"rules", "xfail"}
EXPECTED_KEYS = {"items", "totals", "errors"}
OPTIONAL_EXPECTED_KEYS = {"entity_code", "entity_name", "fiscal_year", "rules"}
ITEM_KEYS = {"item_id", "status", "net", "rate", "measure", "reasons", "warnings", "errors"}
TOTAL_KEYS = {"amount", "specific_revenue", "net", "excluded", "measure_exact", "measure"}
ERROR_KEYS = {"column", "code"}
RULES_KEYS = {"measure", "version", "path"}
NULL = "null"


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


def _check_keys(
    table: Mapping[str, Any], required: set[str], optional: set[str], where: str
) -> None:
    missing = required - table.keys()
    unknown = table.keys() - required - optional
    assert not missing, f"{where}: missing keys {sorted(missing)}"
    assert not unknown, f"{where}: unknown keys {sorted(unknown)}"


def _read_case(path: Path) -> Case:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    where = path.name
    _check_keys(data, CASE_KEYS, OPTIONAL_CASE_KEYS, where)
    expected = data["expected"]
    _check_keys(expected, EXPECTED_KEYS, OPTIONAL_EXPECTED_KEYS, f"{where} [expected]")
    for index, item in enumerate(expected["items"]):
        _check_keys(item, ITEM_KEYS, set(), f"{where} expected.items[{index}]")
    _check_keys(expected["totals"], TOTAL_KEYS, set(), f"{where} [expected.totals]")
    for index, error in enumerate(expected["errors"]):
        _check_keys(error, ERROR_KEYS, set(), f"{where} expected.errors[{index}]")
    if "rules" in expected:
        _check_keys(expected["rules"], set(), RULES_KEYS, f"{where} [expected.rules]")
    return Case(path, data["name"], data["description"], data.get("rules"), data.get("xfail"),
                data["declaration"], expected)


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


def _codes_of(case: Case) -> set[str]:
    expected = case.expected
    codes = {error["code"] for error in expected["errors"]}
    for item in expected["items"]:
        codes.update(item["reasons"], item["warnings"], item["errors"])
    return codes


@pytest.mark.parametrize("case", _params())
def test_golden_case(case: Case) -> None:
    """The declaration of the case gives exactly the items, totals and errors written out."""
    result = tokko.calculate(case.declaration, _rules_for(case))
    document = json.loads(result.model_dump_json())
    expected = case.expected

    assert len(document["declarations"]) == 1, "one declaration in, one declaration out"
    declaration = document["declarations"][0]
    for key in ("entity_code", "entity_name", "fiscal_year"):
        if key in expected:
            assert declaration[key] == expected[key], key
    if "rules" in expected:
        assert isinstance(document["rules"], dict), "one rule version was used"
        for key, value in expected["rules"].items():
            assert document["rules"][key] == value, f"rules.{key}"

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

    for key in sorted(TOTAL_KEYS):
        _same_amount(declaration["totals"][key], expected["totals"][key], f"totals.{key}")

    got_errors = sorted((e["column"], e["code"]) for e in document["errors"])
    want_errors = sorted((e["column"], e["code"]) for e in expected["errors"])
    assert got_errors == want_errors, "errors (column, code)"


def test_golden_cases_cover_every_code() -> None:
    """Together the cases use every reason, warning and error code of tokko.CODES."""
    covered = set().union(*(_codes_of(case) for case in CASES))
    missing = set(tokko.CODES) - covered
    assert not missing, f"codes without a golden case: {sorted(missing)}"


def test_golden_cases_use_only_known_codes() -> None:
    """No case expects a code outside the SPEC §4 vocabulary (a typo would never match)."""
    for case in CASES:
        unknown = _codes_of(case) - set(tokko.CODES)
        assert not unknown, f"{case.path.name}: unknown codes {sorted(unknown)}"


def test_golden_case_names_match_their_files() -> None:
    """Each case's name is its file name, and every case says what it proves."""
    assert len(CASES) >= 30
    for case in CASES:
        assert case.name == case.path.stem
        assert case.description.strip().endswith("."), f"{case.path.name}: one sentence"


def test_golden_totals_reconcile_as_written() -> None:
    """The hand-written totals of every case satisfy amount = net + excluded + specific_revenue."""
    for case in CASES:
        t = {k: Decimal(v) for k, v in case.expected["totals"].items()}
        assert t["amount"] == t["net"] + t["excluded"] + t["specific_revenue"], case.path.name
