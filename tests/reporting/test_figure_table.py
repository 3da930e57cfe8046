"""The figure table (reporting.figure_table) and the computation agree: every figure a person
should see has a line, every line names a figure the computation returns, and the pages,
the CSV and the dashboard's trend show what the table declares."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from legacy_import.importer import import_legacy
from reporting import charts, pdf, selectors, views
from reporting.figure_table import (
    FIGURES,
    SECTIONS,
    TREND,
    Breakdown,
    Figure,
    PerWorker,
    lines_of,
)
from reporting.figures import quarterly_return
from tests.legacy_import.import_helpers import fixtures_dir

pytestmark = pytest.mark.django_db

#: The worked example of the definitions, whose one quarter has a worker, a case, a start.
START, END = date(2025, 10, 1), date(2025, 12, 31)
#: Not a figure: the period is the heading of the pages and the first rows of the CSV.
NOT_FIGURES = {"period"}


@pytest.fixture(scope="module")
def doc(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The worked example imported once for the module (rolled back afterwards), and its
    quarter's figures as the computation returns them."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = import_legacy(fixtures_dir() / "worked-example", fund_total_pence=60_000_00)
        assert result.ok, result.errors
        yield quarterly_return(START, END)
        transaction.set_rollback(True)


def computed_keys(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (section, key)
        for section, figures in doc.items()
        if section not in NOT_FIGURES
        for key in figures
    }


def test_every_line_names_a_figure_the_computation_returns(doc: dict[str, Any]) -> None:
    declared = {(line.section, line.key) for line in FIGURES}
    assert declared - computed_keys(doc) == set()


def test_every_figure_a_person_should_see_has_a_line(doc: dict[str, Any]) -> None:
    declared = {(line.section, line.key) for line in FIGURES}
    # The only keys left out: the counts behind percentages the definitions gave none,
    # computed for the small-number rule alone.
    behind = {
        tuple(line.of.split(".")) if "." in line.of else (line.section, line.of)
        for line in FIGURES
        if isinstance(line, Figure | Breakdown) and line.of
    }
    unshown = computed_keys(doc) - declared
    assert unshown <= behind, f"figures with no line in the table: {sorted(unshown - behind)}"


def test_breakdowns_name_every_category_in_the_computations_order(doc: dict[str, Any]) -> None:
    groups: dict[tuple[str, str], set[str]] = {}
    for line in FIGURES:
        if not isinstance(line, Breakdown):
            continue
        value = doc[line.section][line.key]
        if line.by is not None:
            groups.setdefault((line.section, line.key), set()).add(line.by)
            value = value[line.by]
        assert list(value) == [code for code, _ in line.categories], (line.section, line.key)
    for (section, key), declared in groups.items():
        assert set(doc[section][key]) == declared, (section, key)


def test_per_worker_columns_are_the_keys_of_each_row(doc: dict[str, Any]) -> None:
    for line in FIGURES:
        if isinstance(line, PerWorker):
            rows = doc[line.section][line.key]
            assert rows, "the worked example has a worker"
            for row in rows:
                assert list(row) == [line.worker, *[column.key for column in line.columns]]


def test_labels_are_unique_within_a_section() -> None:
    labels = Counter((line.section, line.label) for line in FIGURES)
    assert [label for label, count in labels.items() if count > 1] == []
    for line in FIGURES:
        if isinstance(line, PerWorker):
            columns = [column.label for column in line.columns]
            assert len(columns) == len(set(columns)), line.key
    for part in SECTIONS:
        for table in part.tables:
            columns = [line.column for line in lines_of(table) if isinstance(line, Breakdown)]
            assert len(columns) == len(set(columns)), table.caption


def test_every_line_sits_in_one_table_of_its_section_and_every_table_has_lines() -> None:
    tables = [table for part in SECTIONS for table in part.tables]
    assert len(tables) == len(set(map(id, tables)))
    assert len(SECTIONS) == len({part.section for part in SECTIONS})
    section_of = {id(table): part.section for part in SECTIONS for table in part.tables}
    for line in FIGURES:
        assert section_of.get(id(line.table)) == line.section, (line.section, line.key)
    for table in tables:
        lines = lines_of(table)
        assert lines, f"{table.caption} has no figures"
        # One shape per table: single figures, breakdowns of one set of categories, or
        # one per-worker figure.
        if any(isinstance(line, PerWorker) for line in lines):
            assert len(lines) == 1, table.caption
        elif any(isinstance(line, Breakdown) for line in lines):
            assert all(isinstance(line, Breakdown) for line in lines), table.caption
            assert len({line.categories for line in lines if isinstance(line, Breakdown)}) == 1
        assert table.chart is None or not isinstance(lines[0], PerWorker), table.caption


def test_percentages_and_means_name_the_count_they_are_over(doc: dict[str, Any]) -> None:
    for line in FIGURES:
        if not isinstance(line, Figure):
            continue
        assert (line.suppress in ("percentage", "mean")) == (line.of is not None), line.key
        if line.of is not None:
            section, _, key = line.of.rpartition(".")
            assert isinstance(doc[section or line.section][key], int), (line.section, line.of)
        if line.key.endswith("_pct"):
            assert line.suppress == "percentage", (line.section, line.key)


def test_every_line_reaches_the_page_and_the_csv(doc: dict[str, Any]) -> None:
    shown = {
        (part.id, block.table.caption): block.table
        for part in charts.sections(doc)
        for block in part.blocks
    }
    page_of = {part.section: part.id for part in SECTIONS}
    rows = {(row[0], row[1].split(".")[0]) for row in pdf.csv_rows(doc)}
    for line in FIGURES:
        table = shown[(page_of[line.section], line.table.caption)]
        if isinstance(line, Figure):
            assert line.label in [row[0] for row in table.rows], line.key
        elif isinstance(line, Breakdown):
            assert line.column in table.head, line.key
        else:
            assert table.head[1:] == [column.label for column in line.columns]
        assert (line.section, line.key) in rows, (line.section, line.key)


def test_a_figure_marked_for_the_trend_appears_in_the_dashboard_trend(
    doc: dict[str, Any],
) -> None:
    marked = [line for line in FIGURES if isinstance(line, Figure) and line.trend is not None]
    assert sorted(figure.trend or 0 for figure in marked) == list(range(1, len(marked) + 1))
    assert set(TREND) == set(marked)

    context = views.dashboard_context(selectors.dashboard(date(2026, 1, 15)))

    assert context["trend_table"].head == ["Quarter", *[figure.label for figure in TREND]]
    assert [chart.title for chart in context["trend_charts"]] == [f.label for f in TREND]
    last = context["trend"][-1]
    assert last["quarter"].name == "2025-26-Q3"
    assert last["values"] == [doc[figure.section][figure.key] for figure in TREND]
