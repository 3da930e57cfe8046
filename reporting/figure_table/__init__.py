"""The return's figures, declared once: every figure a person sees, its label, how it is
written, which table of its section holds it, how the OPCC's small-number rule treats it,
and whether the dashboard's trend follows it.

Everything that shows or sends the figures reads this table: the pages and the PDF
(reporting.charts.sections), the OPCC's CSV (reporting.pdf.csv_rows), the dashboard's trend
(reporting.selectors.dashboard) and the small-number rule
(reporting.figures.suppress_small_numbers). A figure in an existing table is one line in
FIGURES; a key the computation returns that has no line there reaches no page, PDF or CSV.

The return is read in two orders. The OPCC's template (the pages and the PDF) reads it
section by section as SECTIONS lists them, each section's tables in the order given there.
The CSV follows the definitions (shared/spec/kpi-definitions.md), where a breakdown sits
among the single figures of its section: FIGURES are listed in that order, which is also
the order of the rows within each table. So the one list serves both, and a section's
tables are placed by SECTIONS alone.
"""

from reporting.figure_table.layout import SECTIONS
from reporting.figure_table.lines import FIGURES, TREND, lines_of
from reporting.figure_table.shapes import (
    Breakdown,
    Column,
    Figure,
    Line,
    PerWorker,
    ReturnChart,
    ReturnSection,
    ReturnTable,
    Suppress,
)

__all__ = [
    "FIGURES",
    "SECTIONS",
    "TREND",
    "Breakdown",
    "Column",
    "Figure",
    "Line",
    "PerWorker",
    "ReturnChart",
    "ReturnSection",
    "ReturnTable",
    "Suppress",
    "lines_of",
]
