"""Tables and server-drawn SVG bar charts, as the pages and the PDF show figures: each chart
is paired with the table that holds its numbers, and templates draw the SVG from the
geometry computed here (all text goes through the template's escaping)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# How a value is written: count, pct, days, hours, money, rate, decimal.
Kind = str

NOT_APPLICABLE = "n/a"
KEY_TO_SYMBOLS = [
    ("n/a", "nothing to measure: no one was in the group this quarter"),
    ("<5", "a count from 1 to 4, withheld so that no one can be singled out"),
    ("*", "withheld so that a number withheld beside it cannot be worked out from a total"),
    ("-", "a percentage or average of 1 to 4 people, withheld for the same reason"),
]


def format_value(value: Any, kind: Kind = "count") -> str:
    """Write one figure for people. Strings (the small-number marks) pass through."""
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "pct":
        return f"{float(value):.1f}%"
    if kind == "money":
        return f"£{Decimal(str(value)):,.2f}"
    if kind in {"days", "hours", "decimal", "rate"}:
        return f"{float(value):,.1f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def number_or_none(value: Any) -> float | None:
    """The value as a number for a chart; None when it is withheld or missing."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --- Tables ------------------------------------------------------------------------------


@dataclass
class Table:
    caption: str
    head: list[str]
    #: The first cell of each row is its header; the other cells are numbers.
    rows: list[list[str]]

    @property
    def wide(self) -> bool:
        """Tables of more than two columns stack on a phone."""
        return len(self.head) > 2

    @property
    def labelled_rows(self) -> list[dict[str, Any]]:
        """Rows for the template: the row header, then (column heading, value) pairs."""
        return [
            {"header": row[0], "cells": list(zip(self.head[1:], row[1:], strict=True))}
            for row in self.rows
        ]


@dataclass
class Bar:
    """One bar: its label on a line of its own above it (so labels need no truncating on a
    phone), the bar, and the value just after the bar's end."""

    label: str
    text: str
    y: float
    width: float

    @property
    def label_y(self) -> float:
        return self.y + 13

    @property
    def bar_y(self) -> float:
        return self.y + 19

    @property
    def text_x(self) -> float:
        return round(self.width + 6, 1)

    @property
    def text_y(self) -> float:
        return self.y + 32


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar]
    height: float
    #: viewBox units; scaled to the width available (phones: about 0.85, so 13 reads as 11px).
    width: float = 400
    bar_height: float = 16
    row_height: float = 42

    @property
    def axis_bottom(self) -> float:
        return self.height - 2


@dataclass
class Block:
    table: Table
    chart: Chart | None = None
    #: Why the table's chart is left out, when it has one and it would carry nothing.
    chart_left_out: str = ""
    #: A per-worker table shown a page of workers at a time: the page (django Page).
    workers_page: Any = None


@dataclass
class Section:
    id: str
    title: str
    source: str
    blocks: list[Block] = field(default_factory=list)
    #: What the section measures, in a sentence.
    summary: str = ""


def figure_table(caption: str, section: dict[str, Any], keys: list[tuple[str, str, Kind]]) -> Table:
    rows = [[label, format_value(section.get(key), kind)] for key, label, kind in keys]
    return Table(caption=caption, head=["Figure", "Value"], rows=rows)


def breakdown_table(
    caption: str, heading: str, counts: dict[str, Any], codes: list[tuple[str, str]]
) -> Table:
    rows = [[label, format_value(counts.get(code))] for code, label in codes]
    return Table(caption=caption, head=[heading, "Number"], rows=rows)


# --- Charts ------------------------------------------------------------------------------

CHART_LABEL_CHARS = 58
#: The longest bar, leaving room after it for its value.
BAR_AREA = 340


def bar_chart(chart_id: str, title: str, items: list[tuple[str, Any, Kind]]) -> Chart:
    """A horizontal bar chart of (label, value, kind). Withheld or missing values get no
    bar, only their mark ("<5", "n/a"), so a chart never shows more than its table."""
    numbers = [number_or_none(value) for _, value, _ in items]
    largest = max([n for n in numbers if n is not None and n > 0] or [1.0])
    chart = Chart(id=chart_id, title=title, bars=[], height=0)
    for index, ((label, value, kind), number) in enumerate(zip(items, numbers, strict=True)):
        width = 0.0 if number is None or number <= 0 else BAR_AREA * number / largest
        if len(label) > CHART_LABEL_CHARS:
            label = label[: CHART_LABEL_CHARS - 1].rstrip() + "…"
        chart.bars.append(
            Bar(
                label=label,
                text=format_value(value, kind),
                y=index * chart.row_height,
                width=round(width, 1),
            )
        )
    chart.height = 4 + len(items) * chart.row_height
    return chart


def chart_from_table(chart_id: str, title: str, table: Table, values: list[Any]) -> Chart:
    items = [(row[0], value, "count") for row, value in zip(table.rows, values, strict=True)]
    chart = bar_chart(chart_id, title, items)
    # The bar's text is exactly the table's cell (same formatting, same marks).
    for bar, row in zip(chart.bars, table.rows, strict=True):
        bar.text = row[1]
    return chart
