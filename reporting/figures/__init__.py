"""The figures of the quarterly return (shared/spec/kpi-definitions.md): one computation,
read by the dashboard, the JSON, CSV and PDF returns and the evaluator extract."""

from core.periods import Period, period_for_quarter
from reporting.figures.document import (
    PERCENTAGE_DENOMINATORS,
    figure_rows,
    quarterly_return,
    suppress_small_numbers,
)

__all__ = [
    "PERCENTAGE_DENOMINATORS",
    "Period",
    "figure_rows",
    "period_for_quarter",
    "quarterly_return",
    "suppress_small_numbers",
]
