"""The figures of the quarterly return (shared/spec/kpi-definitions.md): one computation,
read by the dashboard, the JSON, CSV and PDF returns and the evaluator extract; `figures_for`
reads a period's figures stored once computed (reporting.figures.stored)."""

from core.periods import Period, period_for_quarter
from reporting.figures.document import (
    DENOMINATORS,
    figure_rows,
    quarterly_return,
)
from reporting.figures.stored import figures_for
from reporting.figures.suppression import suppress_small_numbers

__all__ = [
    "DENOMINATORS",
    "Period",
    "figure_rows",
    "figures_for",
    "period_for_quarter",
    "quarterly_return",
    "suppress_small_numbers",
]
