"""tokko — 特別交付税措置（AI・RPA）の算定.

Computes the special allocation tax measure that Japan's Ministry of Internal Affairs and
Communications grants local governments for AI and RPA expenses, from versioned rule files::

    import tokko
    result = tokko.calculate({"entity_code": "011002", "fiscal_year": "R3", "items": [...]})
    print(result.model_dump_json(indent=2))

The names below are the public API; the rest lives in the subpackages (``tokko.model``,
``tokko.rules``, ``tokko.engine``, ``tokko.io``, ``tokko.batch``).
"""

from tokko._version import __version__
from tokko.batch import run_batch
from tokko.engine import calculate, calculate_rows, check_item
from tokko.errors import InputFileError, RuleFileError, TokkoError
from tokko.model import (
    Agreement,
    Declaration,
    ExpenseItem,
    ItemResult,
    Result,
    fiscal_strength_index,
)
from tokko.rules import RuleSet, load_rules

__all__ = [
    "Agreement",
    "Declaration",
    "ExpenseItem",
    "InputFileError",
    "ItemResult",
    "Result",
    "RuleFileError",
    "RuleSet",
    "TokkoError",
    "__version__",
    "calculate",
    "calculate_rows",
    "check_item",
    "fiscal_strength_index",
    "load_rules",
    "run_batch",
]
