"""Rule files made in the tests: the shipped 2021 file's data, edited, loaded as a rule set.

The engine's tests vary the rule settings (rates, rounding, the deduction, the joint-rate
conditions, a multiplier table) by editing a copy of the data of ``rules/ai-rpa/2021.toml`` and
validating it with the rule model exactly as ``load_rules`` does (the schema and the checks
across keys), so that no test runs on rules a real folder would refuse.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tokko.rules.checks import cross_problems
from tokko.rules.ruleset import RuleSet, RuleVersion
from tokko.rules.schema import RuleFile

RULES = Path(__file__).resolve().parents[2] / "rules" / "ai-rpa"
SHIPPED_2021 = RULES / "2021.toml"
SHIPPED_2020 = RULES / "2020.toml"

RuleData = dict[str, Any]


def read_rule_data(path: Path) -> RuleData:
    """A rule file as plain data, decimals exact (as the loader reads it)."""
    data: RuleData = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


_SHIPPED = read_rule_data(SHIPPED_2021)


def version_of(data: RuleData, path: str = "ai-rpa/generated.toml") -> RuleVersion:
    """A rule version from edited data; the data must be a rule file the loader accepts."""
    problems = cross_problems(data, path)
    assert not problems, [p.detail for p in problems]
    return RuleVersion(RuleFile.model_validate(data), path, "0" * 64)


def ruleset_of(data: RuleData) -> RuleSet:
    """A rule set holding one version made of ``data``."""
    return RuleSet([version_of(data)])


def bracket(
    value: str, above: str | None = None, up_to: str | None = None, entities: str | None = None
) -> dict[str, Any]:
    """One ``[[fiscal_strength.multipliers]]`` bracket, as a rule file writes it."""
    out: dict[str, Any] = {"value": Decimal(value), "source": "ordinance"}
    if above is not None:
        out["above"] = Decimal(above)
    if up_to is not None:
        out["up_to"] = Decimal(up_to)
    if entities is not None:
        out["entities"] = entities
    return out


@pytest.fixture(scope="session")
def rule_data() -> Callable[[], RuleData]:
    """A fresh copy of the shipped 2021 file's data, to edit."""
    return lambda: copy.deepcopy(_SHIPPED)


@pytest.fixture(scope="session")
def make_rules() -> Callable[[RuleData], RuleSet]:
    """Build a one-version rule set from edited rule data (validated as the loader does)."""
    return ruleset_of


@pytest.fixture(scope="session")
def make_version() -> Callable[[RuleData], RuleVersion]:
    """Build one rule version from edited rule data (validated as the loader does)."""
    return version_of


@pytest.fixture(scope="session")
def make_bracket() -> Callable[..., dict[str, Any]]:
    """One multiplier bracket: ``make_bracket("0.8", above="0.40", up_to="0.60")``."""
    return bracket
