"""The return as a briefing: its first page holds the headline figures against last quarter
and the year's targets, the narrative comes next, each section says what it measures, a
chart that would carry nothing is left out with a line saying why, and the definitions close
the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from reporting.briefing import NOT_COMPARED, headline
from reporting.charts import chart_left_out, sections
from reporting.fidelity.models import FidelityReview
from reporting.figures import quarterly_return
from reporting.models import ReturnJob
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    nothing_stuck,
    pdf_text,
    private_media,
    signed_off_return,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "eager_celery", "nothing_stuck"),
]
__all__ = ["eager_celery", "nothing_stuck", "private_media"]


def rows_by_label(document: dict[str, Any], comparison: dict[str, Any] | None) -> dict[str, Any]:
    return {row.label: row for row in headline(document, comparison)}


def test_the_headline_sets_each_figure_beside_last_quarter_and_the_years_target() -> None:
    history = build_history()
    for worker in history.workers:  # both began before the year: their second service year
        worker.start_date = date(2024, 1, 1)
        worker.save()
    document = quarterly_return(START, END)
    before = quarterly_return(date(2025, 7, 1), date(2025, 9, 30))
    before["access"]["new_referrals"] = 4  # shown to the OPCC as it is: not a protected table
    comparison = {
        "previous_quarter": before,
        "fidelity": {"reviewed_on": "2025-12-01", "total": 101, "band": "Good fidelity"},
    }

    rows = rows_by_label(document, comparison)

    referrals = rows["New referrals"]
    assert (referrals.this_quarter, referrals.last_quarter, referrals.year_to_date) == (
        "9",
        "4",
        "9",
    )
    starting = rows["People starting on the service"]
    # Two full-time workers who began before the year: 45 people each, the whole year.
    assert starting.this_quarter == "5" and starting.year_to_date == "5"
    assert starting.target == "90.0 (6% reached)"
    paid = rows["Paid outcomes started (jobs and businesses)"]
    assert (paid.this_quarter, paid.year_to_date, paid.target) == ("1", "1", "44.0 (2% reached)")
    assert rows["IPS fidelity score, latest review (out of 125)"].this_quarter == (
        "101: Good fidelity (1 December 2025)"
    )


def test_a_return_frozen_without_a_comparison_says_so_rather_than_guessing() -> None:
    build_history()
    rows = rows_by_label(quarterly_return(START, END), None)
    assert rows["New referrals"].last_quarter == NOT_COMPARED
    assert rows["IPS fidelity score, latest review (out of 125)"].this_quarter == "No review yet"


def test_the_headline_obeys_the_small_number_rules() -> None:
    build_history()
    document = quarterly_return(START, END)
    document["employment"] |= {"sustained_13_weeks_cohort": 2, "sustained_13_weeks_pct": 50.0}
    rows = rows_by_label(document, None)
    assert rows["Paid work sustained 13 weeks"].this_quarter == "-"


def test_a_chart_that_would_carry_nothing_is_left_out_with_the_reason() -> None:
    assert chart_left_out(["<5", 0, "<5"]) == (
        "as every value above zero is withheld to protect small numbers"
    )
    assert chart_left_out([0, 0, None]) == "as there is nothing to show: every value is zero"
    assert chart_left_out(["<5", 7]) == ""

    document = quarterly_return(START, END)  # an empty quarter: every count is zero
    blocks = [block for section in sections(document) for block in section.blocks]
    assert not any(block.chart for block in blocks)
    assert "New referrals by source: no chart, as there is nothing to show" in " ".join(
        block.chart_left_out for block in blocks
    )


def test_the_pdf_opens_on_the_headline_then_the_narrative_and_closes_on_the_definitions(
    manager: User, tmp_path: Path
) -> None:
    build_history()
    FidelityReview.objects.create(
        period_start=date(2025, 7, 1),
        period_end=date(2025, 9, 30),
        reviewed_on=date(2025, 11, 3),
        items={str(item): {"score": 4, "evidence": "Seen"} for item in range(1, 26)},
        total=100,
        by=manager,
    )
    quarterly_return_ = signed_off_return(manager)
    assert quarterly_return_.comparison is not None  # frozen with the figures
    job = quarterly_return_.jobs.get(kind=ReturnJob.Kind.PDF, status=ReturnJob.Status.DONE)
    with job.file.open("rb") as handle:
        pages = pdf_text(handle.read(), tmp_path).split("\f")

    first = pages[0]
    for text in ("The quarter at a glance", "New referrals", "People starting on the service"):
        assert text in first, text
    for heading in ("Last", "Year to", "Target for"):  # pdftotext may wrap a heading
        assert heading in first, heading
    assert "100: Good fidelity" in first  # the latest review, with its date (wrapped)
    assert "Narrative" not in first and "Narrative" in pages[1]
    assert "What the section measures" not in first
    assert "Referrals received and decided in the quarter" in "".join(pages)
    text = "".join(pages)
    appendix = text.index("Appendix: how the figures are defined")
    assert appendix > text.index("Cases active in the quarter")  # the definitions close it
    assert "Since the service began (Cumulative figures)" in text[appendix:]
