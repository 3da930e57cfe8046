"""The building blocks of the return: quarters, day counts on the database, rounding, and
the small-number rule of the OPCC's copy."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from caseload.models import Case
from reporting.figures import (
    DENOMINATORS,
    figure_rows,
    period_for_quarter,
    quarterly_return,
    suppress_small_numbers,
)
from reporting.figures.common import DaysBetween, median, percentage, ratio
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("2026-27-Q1", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-27-Q2", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-27-Q3", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-27-Q4", date(2027, 1, 1), date(2027, 3, 31)),
        ("1999-00-Q4", date(2000, 1, 1), date(2000, 3, 31)),
    ],
)
def test_a_quarter_is_a_financial_year_quarter(name: str, start: date, end: date) -> None:
    assert period_for_quarter(name) == (start, end)


@pytest.mark.parametrize("name", ["2026-28-Q1", "2026-27-Q5", "2026/27 Q1", "26-27-Q1", ""])
def test_a_malformed_quarter_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="is not a quarter"):
        period_for_quarter(name)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        quarterly_return(date(2025, 12, 31), date(2025, 10, 1))


@pytest.mark.parametrize(
    ("numerator", "denominator", "rounded"),
    [(15, 60, 0.2), (21, 60, 0.4), (1, 3, 0.3), (2, 3, 0.7), (1, 8, 0.1), (3, 8, 0.4)],
)
def test_ratios_round_half_even_from_the_exact_value(
    numerator: int, denominator: int, rounded: float
) -> None:
    assert ratio(numerator, denominator) == rounded


def test_zero_denominators_give_null() -> None:
    assert ratio(5, 0) is None
    assert percentage(0, 0) is None
    assert ratio(Decimal(7), Decimal("0.8") * 92) == 0.1
    assert median([]) is None


def test_a_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert median([30, 10, 20]) == 20.0
    assert median([10, 20, 21, 40]) == 20.5


@pytest.mark.parametrize(
    ("accepted", "start"),
    [
        (date(2023, 12, 20), date(2024, 1, 11)),  # across a year
        (date(2024, 2, 27), date(2024, 3, 2)),  # across a leap day
        (date(2025, 3, 29), date(2025, 3, 31)),  # across the clocks going forward
        (date(2025, 5, 5), date(2025, 5, 5)),
    ],
)
def test_days_between_dates_are_counted_in_the_database_as_in_python(
    accepted: date, start: date
) -> None:
    case = CaseFactory(
        accepted_date=accepted,
        start_date=start,
        referral__received_date=accepted,
        referral__decision_date=accepted,
    )
    annotated = Case.objects.annotate(
        waited=DaysBetween("accepted_date", "start_date"),
        back=DaysBetween("start_date", "accepted_date"),
        to_fixed=DaysBetween("accepted_date", date(2026, 1, 1)),
    ).get(pk=case.pk)
    assert annotated.waited == (start - accepted).days
    assert annotated.back == (accepted - start).days
    assert annotated.to_fixed == (date(2026, 1, 1) - accepted).days


def a_return() -> dict[str, object]:
    document = quarterly_return(date(2025, 10, 1), date(2025, 12, 31))
    document["caseload"]["per_worker"] = [  # type: ignore[index]
        {
            "worker": "zed@example.org",
            "fte": 1.0,
            "capacity": 25,
            "open_at_end": 12,
            "active_at_end": 4,
            "newly_started": 0,
            "paid_outcomes_started": 1,
            "face_to_face_employer_contacts_per_fte_week": 3.0,
        },
        {
            "worker": "amy@example.org",
            "fte": 0.2,
            "capacity": 5,
            "open_at_end": 5,
            "active_at_end": 2,
            "newly_started": 3,
            "paid_outcomes_started": 0,
            "face_to_face_employer_contacts_per_fte_week": 0.5,
        },
    ]
    document["equity"]["new_referrals"]["by_gender"] = {  # type: ignore[index]
        "female": 4,
        "male": 7,
        "other": 1,
        "not_stated": 0,
    }
    document["engagement"] |= {  # type: ignore[operator]
        "sustained_6_weeks_cohort": 3,
        "sustained_6_weeks_pct": 66.7,
        "sustained_12_weeks_cohort": 5,
        "sustained_12_weeks_pct": 40.0,
    }
    document["cumulative"] |= {  # type: ignore[operator]
        "people_supported": 4,
        "competitive_employment_rate_pct": 25.0,
        "reoffending_rate_pct": 0.0,
    }
    return document


def test_the_opccs_copy_hides_counts_under_5_in_equity_and_per_worker() -> None:
    exact = a_return()
    kept = copy.deepcopy(exact)

    shown = suppress_small_numbers(exact)

    assert exact == kept  # the exact document is left as it was
    assert shown["equity"]["new_referrals"]["by_gender"] == {
        "female": "<5",
        "male": 7,
        "other": "<5",
        "not_stated": 0,
    }
    assert shown["caseload"]["per_worker"] == [
        {
            "worker": "Worker 1",  # amy@ comes first by email
            "fte": 0.2,
            "capacity": 5,
            "open_at_end": 5,
            "active_at_end": "<5",
            "newly_started": "<5",
            "paid_outcomes_started": 0,
            "face_to_face_employer_contacts_per_fte_week": 0.5,
        },
        {
            "worker": "Worker 2",
            "fte": 1.0,
            "capacity": 25,
            "open_at_end": 12,
            "active_at_end": "<5",
            "newly_started": 0,
            "paid_outcomes_started": "<5",
            "face_to_face_employer_contacts_per_fte_week": 3.0,
        },
    ]
    # Counts elsewhere are exact in the OPCC's copy too.
    assert shown["engagement"]["sustained_6_weeks_cohort"] == 3


def test_the_opccs_copy_hides_percentages_of_1_to_4() -> None:
    shown = suppress_small_numbers(a_return())

    assert shown["engagement"]["sustained_6_weeks_pct"] == "-"  # of 3
    assert shown["engagement"]["sustained_12_weeks_pct"] == 40.0  # of 5
    assert shown["engagement"]["sustained_24_weeks_pct"] is None  # of 0: null stays null
    assert shown["cumulative"]["competitive_employment_rate_pct"] == "-"  # of 4
    assert shown["cumulative"]["reoffending_rate_pct"] == "-"


def test_every_percentage_and_mean_in_the_return_knows_what_it_is_over() -> None:
    document = quarterly_return(date(2025, 10, 1), date(2025, 12, 31))
    shares = {
        (section, key)
        for section, figures in document.items()
        for key in figures
        if key.endswith(("_pct", "_mean", "_median")) or key == "mean_change"
    }
    assert shares == set(DENOMINATORS)
    for section, key in DENOMINATORS.values():
        assert isinstance(document[section][key], int)


def test_figure_rows_flatten_nested_figures_with_dotted_keys() -> None:
    rows = figure_rows(
        {
            "period": {"start": "2025-10-01"},
            "access": {"by": {"a": 1}, "mean": None},
            "caseload": {"per_worker": [{"worker": "w@example.org"}]},
        }
    )
    assert rows == [
        ("period", "start", "2025-10-01"),
        ("access", "by.a", 1),
        ("access", "mean", None),
        ("caseload", "per_worker.1.worker", "w@example.org"),
    ]
