"""tokko — 特別交付税措置（AI・RPA）の算定.

Computes the special allocation tax measure that Japan's Ministry of Internal Affairs and
Communications grants local governments for AI and RPA expenses, from versioned rule files::

    import tokko
    result = tokko.calculate({"entity_code": "011002", "fiscal_year": "R3", "items": [...]})
    print(result.model_dump_json(indent=2))

The names below are the public API. They are loaded on first use, so that ``import tokko`` (and
``tokko --help``) does not pay for pydantic until a model is needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tokko._version import __version__

if TYPE_CHECKING:
    from tokko.audit import ContractLedger, ItemIds
    from tokko.calculation import (
        RowOutcome,
        calculate,
        calculate_many,
        calculate_rows,
        check_item,
    )
    from tokko.codes import CODES, ErrorCode, ReasonCode, WarningCode
    from tokko.declaration import Agreement, Declaration, ExpenseItem
    from tokko.errors import FieldError, InputFileError, RuleFileError, TokkoError
    from tokko.result import DeclarationResult, ItemResult, Result, RowError, Totals
    from tokko.rows import Row
    from tokko.ruleset import RuleSet, RuleVersion, load_rules

_WHERE = {
    "ContractLedger": "tokko.audit",
    "ItemIds": "tokko.audit",
    "RowOutcome": "tokko.calculation",
    "calculate": "tokko.calculation",
    "calculate_many": "tokko.calculation",
    "calculate_rows": "tokko.calculation",
    "check_item": "tokko.calculation",
    "CODES": "tokko.codes",
    "ErrorCode": "tokko.codes",
    "ReasonCode": "tokko.codes",
    "WarningCode": "tokko.codes",
    "Agreement": "tokko.declaration",
    "Declaration": "tokko.declaration",
    "ExpenseItem": "tokko.declaration",
    "FieldError": "tokko.errors",
    "InputFileError": "tokko.errors",
    "RuleFileError": "tokko.errors",
    "TokkoError": "tokko.errors",
    "DeclarationResult": "tokko.result",
    "ItemResult": "tokko.result",
    "Result": "tokko.result",
    "RowError": "tokko.result",
    "Totals": "tokko.result",
    "Row": "tokko.rows",
    "RuleSet": "tokko.ruleset",
    "RuleVersion": "tokko.ruleset",
    "load_rules": "tokko.ruleset",
}

__all__ = [
    "CODES",
    "Agreement",
    "ContractLedger",
    "Declaration",
    "DeclarationResult",
    "ErrorCode",
    "ExpenseItem",
    "FieldError",
    "InputFileError",
    "ItemIds",
    "ItemResult",
    "ReasonCode",
    "Result",
    "Row",
    "RowError",
    "RowOutcome",
    "RuleFileError",
    "RuleSet",
    "RuleVersion",
    "TokkoError",
    "Totals",
    "WarningCode",
    "__version__",
    "calculate",
    "calculate_many",
    "calculate_rows",
    "check_item",
    "load_rules",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tokko' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
