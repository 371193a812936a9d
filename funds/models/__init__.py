"""慰问经费: per-head standards, the year's budget lines per unit, and spending.

Money is ``Decimal`` with two places (yuan and fen) everywhere; nothing is a float.

A budget line is the money of one unit, one year and one *line code*: the code of a
visit occasion (``spring_festival``, ``double_ninth``, ``hospital``… — holidays have
occasions of their own) for the money visits spend, or one of ``activity``,
``subscription``, ``assistance`` and ``other`` for the spending that is not a visit.
What a line has spent is always computed (from done visits and expenses), never copied.

The models are in ``standards`` (per-head standards and the budget's computations),
``budget`` (budget lines and their adjustments) and ``expenses``, with the money and line
codes they share in ``line_codes``. Everything is importable from ``funds.models``, where
Django and the other apps look for it.
"""

# isort: off
# In the order the models were first registered (the order Django lists them in).
from .line_codes import FEN, OTHER_LINE_CODES, ZERO, ExpenseSource, line_label
from .standards import BudgetComputation, Standard
from .budget import BudgetAdjustment, BudgetLine
from .expenses import Expense

# isort: on

__all__ = [
    "FEN",
    "OTHER_LINE_CODES",
    "ZERO",
    "BudgetAdjustment",
    "BudgetComputation",
    "BudgetLine",
    "Expense",
    "ExpenseSource",
    "Standard",
    "line_label",
]
