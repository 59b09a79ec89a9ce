"""The computation of SPEC §4: reading a row, the steps per item, the checks across rows, the
totals per declaration, the explanation — and the calculations that compose them."""

from tokko.engine.calculate import calculate, calculate_rows, check_item
from tokko.engine.steps import Context, Outcome, evaluate

__all__ = ["Context", "Outcome", "calculate", "calculate_rows", "check_item", "evaluate"]
