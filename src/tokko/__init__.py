"""tokko — 特別交付税措置（AI・RPA）の算定.

Computes the special allocation tax measure that Japan's Ministry of Internal Affairs and
Communications grants local governments for AI and RPA expenses, from versioned rule files::

    import tokko
    result = tokko.calculate({"entity_code": "011002", "fiscal_year": "R3", "items": [...]})
    print(result.model_dump_json(indent=2))
"""

from tokko._version import __version__
from tokko.audit import ContractLedger, ItemIds
from tokko.calculation import (
    Row,
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
from tokko.ruleset import RuleSet, RuleVersion, load_rules

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
