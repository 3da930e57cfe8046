"""The OPCC's copy of a return: each small-number rule of kpi-definitions.md ("Small
numbers"), the differencing case that the first version let through, and the workers'
labels. Each test sets the cells of a real (empty) document and reads the OPCC's copy."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from reporting.figures import quarterly_return
from reporting.figures.suppression import opcc_document, protect, suppress_small_numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def document() -> dict[str, Any]:
    """Every key of the return, all zero: the tests fill in what they are about."""
    return quarterly_return(date(2025, 10, 1), date(2025, 12, 31))


def worker_row(email: str, **counts: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "worker": email,
        "fte": 1.0,
        "capacity": 25,
        "open_at_end": 0,
        "active_at_end": 0,
        "newly_started": 0,
        "paid_outcomes_started": 0,
        "face_to_face_employer_contacts_per_fte_week": 0.0,
        "face_to_face_hours": 0.0,
        "remote_hours": 0.0,
        "admin_hours": 0.0,
    }
    return row | counts


def year_row(email: str, **counts: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "worker": email,
        "fte": 1.0,
        "service_year": 2,
        "people_accessed": 0,
        "paid_outcomes": 0,
        "people_target": 45.0,
        "paid_outcomes_target": 22.0,
    }
    return row | counts


# --- Rule 1: primary ---------------------------------------------------------------------


def test_a_count_of_1_to_4_in_a_protected_table_is_withheld(document: dict[str, Any]) -> None:
    document["stability"]["signposted_by_need"] |= {"debt": 3, "benefits": 2, "other": 7}

    shown = suppress_small_numbers(document)["stability"]["signposted_by_need"]

    assert shown["debt"] == "<5" and shown["benefits"] == "<5"
    assert shown["other"] == 7  # two cells withheld: neither can be worked out from a total
    assert shown["accommodation"] == 0  # a zero in a table that is not an equity breakdown


def test_a_count_outside_the_protected_tables_is_shown_as_computed(
    document: dict[str, Any],
) -> None:
    document["employment"]["people_starting_paid_work"] = 1
    document["stability"]["crisis_episodes"] = 2

    shown = suppress_small_numbers(document)

    assert shown["employment"]["people_starting_paid_work"] == 1
    assert shown["stability"]["crisis_episodes"] == 2


# --- Rule 2: small groups ----------------------------------------------------------------


def test_the_quarter_that_singled_out_one_person_now_shows_nothing_of_them(
    document: dict[str, Any],
) -> None:
    """One person started paid work; the first version showed `Black <5`, `Male <5` and
    `18-21 <5` beside zeros, which said who it was."""
    document["employment"]["people_starting_paid_work"] = 1
    equity = document["equity"]["people_starting_paid_work"]
    equity["by_ethnicity"]["black"] = 1
    equity["by_gender"]["male"] = 1
    equity["by_age_band"]["18_21"] = 1

    shown = suppress_small_numbers(document)["equity"]["people_starting_paid_work"]

    for breakdown in ("by_ethnicity", "by_gender", "by_age_band"):
        assert set(shown[breakdown].values()) == {"*"}, breakdown  # zeros included


def test_an_equity_breakdown_of_10_or_more_is_not_a_small_group(
    document: dict[str, Any],
) -> None:
    document["equity"]["new_referrals"]["by_gender"] |= {"female": 5, "male": 5}

    shown = suppress_small_numbers(document)["equity"]["new_referrals"]["by_gender"]

    assert shown == {"female": 5, "male": 5, "other": 0, "not_stated": 0}


def test_the_small_group_rule_is_for_equity_only() -> None:
    assert protect({"a": 2, "b": 3, "c": 0}) == {"a": "<5", "b": "<5", "c": 0}
    assert protect({"a": 2, "b": 3, "c": 0}, small_group=True) == {"a": "*", "b": "*", "c": "*"}


# --- Rule 3: complementary ---------------------------------------------------------------


def test_a_lone_withheld_cell_takes_the_smallest_other_cell_with_it(
    document: dict[str, Any],
) -> None:
    """Female 3 beside male 11 and the total of 14 new referrals: 14 - 11 would give the 3."""
    document["access"]["new_referrals"] = 14
    document["equity"]["new_referrals"]["by_gender"] |= {"female": 3, "male": 11}
    document["equity"]["new_referrals"]["by_ethnicity"] |= {"white": 14}

    shown = suppress_small_numbers(document)["equity"]["new_referrals"]

    assert shown["by_gender"] == {"female": "<5", "male": "*", "other": 0, "not_stated": 0}
    assert shown["by_ethnicity"]["white"] == 14  # nothing withheld there, nothing to protect


def test_when_cells_tie_the_first_in_code_list_order_is_withheld() -> None:
    shown = protect({"accommodation": 1, "benefits": 9, "substance_misuse": 6, "debt": 6})
    assert shown == {"accommodation": "<5", "benefits": 9, "substance_misuse": "*", "debt": 6}


def test_a_lone_withheld_cell_beside_zeros_only_stays_as_it_is() -> None:
    assert protect({"hospital": 1, "arrest": 0, "other": 0}) == {
        "hospital": "<5",
        "arrest": 0,
        "other": 0,
    }


def test_a_worker_column_is_one_protected_table_in_email_order(
    document: dict[str, Any],
) -> None:
    document["caseload"]["per_worker"] = [
        worker_row("zoe@example.org", active_at_end=6, open_at_end=6),
        worker_row("amy@example.org", active_at_end=4, open_at_end=9),
        worker_row("bob@example.org", active_at_end=6, open_at_end=7),
    ]

    rows = suppress_small_numbers(document)["caseload"]["per_worker"]

    assert [row["worker"] for row in rows] == ["Worker 1", "Worker 2", "Worker 3"]
    # amy's 4 is withheld, so the smallest other (6, tied: bob before zoe by email) is too.
    assert [row["active_at_end"] for row in rows] == ["<5", "*", 6]
    assert [row["open_at_end"] for row in rows] == [9, 7, 6]  # its own table: nothing small
    assert [row["capacity"] for row in rows] == [25, 25, 25]  # not a count of people


# --- Rule 4: percentages and means -------------------------------------------------------


def test_a_percentage_or_mean_over_1_to_4_is_withheld(document: dict[str, Any]) -> None:
    document["engagement"] |= {
        "feedback_responses": 3,
        "feedback_trust_mean": 4.3,
        "sustained_6_weeks_cohort": 5,
        "sustained_6_weeks_pct": 80.0,
    }
    document["stability"] |= {"signposting_engaged_cohort": 2, "signposting_engaged_pct": 50.0}
    document["distance_travelled"]["cases_reassessed"] = 4
    document["distance_travelled"]["mean_change"]["housing"] = 1.5
    document["stability"]["housing_improved_pct"] = 75.0  # over distance travelled's cases

    shown = suppress_small_numbers(document)

    assert shown["engagement"]["feedback_trust_mean"] == "-"
    assert shown["engagement"]["sustained_6_weeks_pct"] == 80.0  # over 5
    assert shown["stability"]["signposting_engaged_pct"] == "-"
    assert set(shown["distance_travelled"]["mean_change"].values()) == {"-"}
    assert shown["stability"]["housing_improved_pct"] == "-"


def test_a_mean_of_the_access_section_is_over_the_cases_started(
    document: dict[str, Any],
) -> None:
    document["caseload"]["newly_started"] = 2
    document["access"] |= {
        "referral_to_start_days_mean": 12.5,
        "referral_to_start_days_median": 12.5,
    }

    shown = suppress_small_numbers(document)["access"]

    assert shown["referral_to_start_days_mean"] == "-"
    assert shown["referral_to_start_days_median"] == "-"


# --- Workers' labels, and the exact document ---------------------------------------------


def test_one_worker_has_one_label_across_both_per_worker_tables(
    document: dict[str, Any],
) -> None:
    document["caseload"]["per_worker"] = [worker_row("cat@example.org", open_at_end=8)]
    document["year"]["per_worker"] = [
        year_row("cat@example.org", people_accessed=8),
        year_row("abe@example.org", people_accessed=9),
    ]

    shown = opcc_document(document)

    assert shown["caseload"]["per_worker"][0]["worker"] == "Worker 2"
    assert [row["worker"] for row in shown["year"]["per_worker"]] == ["Worker 1", "Worker 2"]
    assert "example.org" not in repr(shown)


def test_the_exact_document_is_left_as_it_was(document: dict[str, Any]) -> None:
    document["equity"]["new_referrals"]["by_gender"]["female"] = 3
    before = copy.deepcopy(document)

    suppress_small_numbers(document)

    assert document == before
