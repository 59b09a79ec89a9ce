"""Values and their parsing: money, fiscal years, local governments, the input's fields, the
declaration and result models, and the vocabulary of codes."""

from tokko.model.codes import Code, ErrorCode, ReasonCode, WarningCode
from tokko.model.declaration import Agreement, Declaration, ExpenseItem
from tokko.model.fiscal_strength import fiscal_strength_index
from tokko.model.problem import InvalidValue, Problem
from tokko.model.result import DeclarationResult, ItemResult, Result, RowError, Totals

__all__ = [
    "Agreement",
    "Code",
    "Declaration",
    "DeclarationResult",
    "ErrorCode",
    "ExpenseItem",
    "InvalidValue",
    "ItemResult",
    "Problem",
    "ReasonCode",
    "Result",
    "RowError",
    "Totals",
    "WarningCode",
    "fiscal_strength_index",
]
