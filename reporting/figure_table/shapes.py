"""What a line of the figure table can be, and the tables and sections it is laid out in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.charts import Kind

#: How the OPCC's small-number rules (reporting.figures.suppression) treat a figure: "count",
#: a protected table (a breakdown, or a per-worker column) whose counts from 1 to 4 are shown
#: as "<5" (and a complementary cell as "*"); "percentage" and "mean", shown as "-" when the
#: count they are over (`of`) is 1 to 4. A figure without one is shown as computed.
Suppress = Literal["count", "percentage", "mean"]
#: (code, label) pairs, in the order the rows of a breakdown are read.
Categories = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ReturnChart:
    """A bar chart beside its table, of the table's first column of numbers."""

    id: str
    title: str


@dataclass(frozen=True)
class ReturnTable:
    """One table of a section. Its rows are the lines of FIGURES that name it: single
    figures (one row each), breakdowns of the same categories (one column each), or one
    per-worker figure."""

    caption: str
    #: The heading of the rows' own column.
    rows: str = "Figure"
    #: The heading of a table of single figures' values (breakdowns name their columns).
    values: str = "Value"
    chart: ReturnChart | None = None


@dataclass(frozen=True)
class ReturnSection:
    id: str
    #: The document's section (kpi-definitions.md) whose figures the tables show.
    section: str
    title: str
    source: str
    tables: tuple[ReturnTable, ...]
    #: What the section measures, in a sentence (shown under its heading and in the PDF's
    #: appendix of definitions).
    summary: str = ""


@dataclass(frozen=True)
class Figure:
    """One figure: a single value of its section, a row of its table."""

    section: str
    key: str
    label: str
    kind: Kind
    table: ReturnTable
    suppress: Suppress | None = None
    #: For a percentage or a mean: the key of the count it is over, in the same section or
    #: as "section.key".
    of: str | None = None
    #: Its place in the dashboard's trend, from 1; None when the trend leaves it out. A
    #: place rather than a flag, because the trend reads the figures in an order of its own.
    trend: int | None = None


@dataclass(frozen=True)
class Breakdown:
    """A count (or mean) by category, every category present: a column of its table."""

    section: str
    key: str
    #: Its name on its own; in its table, the table's caption and its column say what it is.
    label: str
    table: ReturnTable
    categories: Categories
    #: Equity's measures hold several breakdowns: the one this is (such as "by_gender").
    by: str | None = None
    #: The heading of its column in the table.
    column: str = "Number"
    kind: Kind = "count"
    suppress: Suppress | None = None
    #: For a breakdown of means: the count they are over (as Figure.of).
    of: str | None = None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind
    suppress: Suppress | None = None


@dataclass(frozen=True)
class PerWorker:
    """A list of rows, one per worker: a table of its own, a column per key. The OPCC's copy
    names the workers "Worker 1", "Worker 2", ... instead."""

    section: str
    key: str
    label: str
    table: ReturnTable
    columns: tuple[Column, ...]
    #: The key of each row that names its worker.
    worker: str = "worker"


Line = Figure | Breakdown | PerWorker
