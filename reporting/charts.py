"""The figures of a return laid out for people: sections of tables, and server-drawn SVG
bar charts, each paired with the table that holds its numbers.

The same layout feeds the manager's pages (exact figures) and the OPCC's PDF (after the
small-number rule). What is shown, with which label and in which table, is the figure table
(reporting.figure_table): a key of the figures without a line there reaches no page or PDF.
Templates draw the SVG from the geometry computed here; all text goes through the
template's escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator

from core.charts import (
    Block,
    Chart,
    Section,
    Table,
    bar_chart,
    chart_from_table,
    figure_table,
    format_value,
)
from reporting.figure_table import (
    FIGURES,
    SECTIONS,
    Breakdown,
    Figure,
    PerWorker,
    ReturnTable,
    lines_of,
)

# --- The return, section by section ------------------------------------------------------


def sections(doc: dict[str, Any], *, workers_page: Page | None = None) -> list[Section]:
    """Every section of the return, in the order of the OPCC's template. With
    `workers_page` (of `workers_paginator(doc)`), the per-worker tables hold that page's
    workers only (the dashboard: a national programme has a thousand)."""
    return [
        Section(
            part.id,
            part.title,
            part.source,
            [_block(doc.get(part.section) or {}, table, workers_page) for table in part.tables],
            summary=part.summary,
        )
        for part in SECTIONS
    ]


#: Workers a page of the dashboard's per-worker tables.
WORKERS_A_PAGE = 50


def workers_paginator(doc: dict[str, Any]) -> Paginator:
    """Pages of the rows of the document's longest per-worker table."""
    longest = max(
        (
            len((doc.get(line.section) or {}).get(line.key) or [])
            for line in FIGURES
            if isinstance(line, PerWorker)
        ),
        default=0,
    )
    return Paginator(range(longest), WORKERS_A_PAGE)


def _block(values: dict[str, Any], layout: ReturnTable, workers_page: Page | None) -> Block:
    """One table of a section from the lines that name it, with its chart if it has one."""
    lines = lines_of(layout)
    workers = [line for line in lines if isinstance(line, PerWorker)]
    breakdowns = [line for line in lines if isinstance(line, Breakdown)]
    figures = [line for line in lines if isinstance(line, Figure)]
    if workers:
        if workers_page is None:
            return Block(_per_worker_table(values, layout, workers[0]))
        shown = slice(workers_page.start_index() - 1, workers_page.end_index())
        table = _per_worker_table(values, layout, workers[0], shown)
        return Block(table, workers_page=workers_page)
    if breakdowns:
        table, numbers = _breakdown_table(values, layout, breakdowns)
    else:
        table, numbers = _figure_table(values, layout, figures)
    if layout.chart is None:
        return Block(table)
    left_out = chart_left_out(numbers)
    if left_out:
        return Block(table, chart_left_out=f"{layout.chart.title}: no chart, {left_out}.")
    return Block(table, chart_from_table(layout.chart.id, layout.chart.title, table, numbers))


def chart_left_out(values: list[Any]) -> str:
    """Why a chart of `values` would carry no information ("" when it would): no bar above
    zero, because every such value is withheld by the small-number rules or there is none."""
    if any(isinstance(value, int | float) and value > 0 for value in values):
        return ""
    if any(isinstance(value, str) for value in values):
        return "as every value above zero is withheld to protect small numbers"
    return "as there is nothing to show: every value is zero"


def _figure_table(
    values: dict[str, Any], layout: ReturnTable, figures: list[Figure]
) -> tuple[Table, list[Any]]:
    """A row per figure; and the figures' values, for a chart."""
    table = figure_table(
        layout.caption, values, [(figure.key, figure.label, figure.kind) for figure in figures]
    )
    table.head = [layout.rows, layout.values]
    return table, [values.get(figure.key) for figure in figures]


def _breakdown_table(
    values: dict[str, Any], layout: ReturnTable, breakdowns: list[Breakdown]
) -> tuple[Table, list[Any]]:
    """A row per category and a column per breakdown (the categories are the first
    breakdown's: a table's breakdowns share theirs); and the first column's values."""
    counts = [_counts(values, breakdown) for breakdown in breakdowns]
    categories = breakdowns[0].categories
    table = Table(
        caption=layout.caption,
        head=[layout.rows, *[breakdown.column for breakdown in breakdowns]],
        rows=[
            [
                label,
                *[
                    format_value(found.get(code), breakdown.kind)
                    for breakdown, found in zip(breakdowns, counts, strict=True)
                ],
            ]
            for code, label in categories
        ],
    )
    return table, [counts[0].get(code) for code, _ in categories]


def _counts(values: dict[str, Any], breakdown: Breakdown) -> dict[str, Any]:
    found = values.get(breakdown.key) or {}
    if breakdown.by is not None:
        found = found.get(breakdown.by) or {}
    return dict(found)


def _per_worker_table(
    values: dict[str, Any], layout: ReturnTable, line: PerWorker, shown: slice = slice(None)
) -> Table:
    return Table(
        caption=layout.caption,
        head=[layout.rows, *[column.label for column in line.columns]],
        rows=[
            [str(row.get(line.worker, ""))]
            + [format_value(row.get(column.key), column.kind) for column in line.columns]
            for row in (values.get(line.key) or [])[shown]
        ],
    )


# --- The dashboard's trend ---------------------------------------------------------------


def trend_table(trend: list[dict[str, Any]], figures: Sequence[Figure]) -> Table:
    """The dashboard's trend: one table, quarter by figure (trend_charts draws each figure)."""
    return Table(
        caption="The last eight complete quarters",
        head=["Quarter", *[figure.label for figure in figures]],
        rows=[
            [row["quarter"].name, *[format_value(value) for value in row["values"]]]
            for row in trend
        ],
    )


def trend_charts(trend: list[dict[str, Any]], figures: Sequence[Figure]) -> list[Chart]:
    """One bar chart per trend figure, a bar per quarter; the numbers are in trend_table."""
    return [
        bar_chart(
            f"chart-trend-{figure.key.replace('_', '-')}",
            figure.label,
            [(row["quarter"].name, row["values"][index], "count") for row in trend],
        )
        for index, figure in enumerate(figures)
    ]
