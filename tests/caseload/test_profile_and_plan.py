"""The vocational profile (kept current, history visible) and the action plan."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import ActionPlanGoal, Case, VocationalProfile
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(worker=specialist)


def test_the_profile_is_updated_in_place_and_each_version_is_kept(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:profile-edit", args=[case.pk])
    client.post(url, {"skills": "Forklift", "places_they_cannot_go": "B6"})
    client.post(url, {"skills": "Forklift, CSCS card", "places_they_cannot_go": "B6"})
    profile = VocationalProfile.objects.get(case=case)
    assert profile.skills == "Forklift, CSCS card"
    assert [v.skills for v in profile.history.all()] == ["Forklift, CSCS card", "Forklift"]
    page = client.get(url)
    assert len(page.context["versions"]) == 2


def test_goals_are_added_and_updated_with_overdue_ones_flagged(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    past = TODAY - datetime.timedelta(days=3)
    client.post(
        reverse("caseload:goal-new", args=[case.pk]),
        {
            "goal": "Open a bank account",
            "target_date_0": str(past.day),
            "target_date_1": str(past.month),
            "target_date_2": str(past.year),
            "status": "in_progress",
        },
    )
    goal = ActionPlanGoal.objects.get(case=case)
    page = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert "Open a bank account" in page and "Overdue" in page
    client.post(
        reverse("caseload:goal-edit", args=[case.pk, goal.pk]),
        {
            "goal": goal.goal,
            "target_date_0": str(past.day),
            "target_date_1": str(past.month),
            "target_date_2": str(past.year),
            "status": "done",
        },
    )
    goal.refresh_from_db()
    assert goal.status == "done"
    assert goal.history.latest().history_user == specialist


def test_a_goal_of_another_case_cannot_be_edited_through_this_case(
    signed_in: Callable[..., Client], specialist: User, case: Case, other_specialist: User
) -> None:
    other = CaseFactory(worker=other_specialist)
    goal = ActionPlanGoal.objects.create(case=other, goal="x", target_date=TODAY)
    response = signed_in(specialist).get(reverse("caseload:goal-edit", args=[case.pk, goal.pk]))
    assert response.status_code == 404


def test_the_home_page_lists_risk_reviews_and_goals_that_are_due(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    from caseload.models import RiskAssessment

    old = TODAY - datetime.timedelta(days=100)
    RiskAssessment.objects.create(
        case=case,
        date=old,
        risks_to_client="x",
        risks_from_client="x",
        lone_working_plan="x",
        review_date=TODAY - datetime.timedelta(days=1),
        by=specialist,
    )
    ActionPlanGoal.objects.create(case=case, goal="Get a CSCS card", target_date=TODAY)
    ActionPlanGoal.objects.create(case=case, goal="Done already", target_date=TODAY, status="done")
    page = signed_in(specialist).get("/cases/")
    titles = [item["title"] for item in page.context["reviews"]]
    assert titles == ["Risk assessment review", "Action plan: Get a CSCS card"]
    # A newer assessment with a later review replaces the overdue one.
    RiskAssessment.objects.create(
        case=case,
        date=TODAY,
        risks_to_client="x",
        risks_from_client="x",
        lone_working_plan="x",
        review_date=TODAY + datetime.timedelta(days=90),
        by=specialist,
    )
    page = signed_in(specialist).get("/cases/")
    assert [item["title"] for item in page.context["reviews"]] == ["Action plan: Get a CSCS card"]


def test_a_client_contact_falls_due_14_days_after_the_last_one(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    from caseload.models import Contact

    quiet = CaseFactory(
        worker=specialist,
        referral__received_date=TODAY - datetime.timedelta(days=40),
        referral__decision_date=TODAY - datetime.timedelta(days=35),
        start_date=TODAY - datetime.timedelta(days=30),
    )
    Contact.objects.create(
        case=quiet,
        worker=specialist,
        date=TODAY - datetime.timedelta(days=16),
        mode="phone",
        party="client",
        duration_minutes=10,
    )
    seen = CaseFactory(worker=specialist)  # started yesterday: nothing due
    page = signed_in(specialist).get("/cases/")
    due = [(i["title"], i["case"].pk, i["due"]) for i in page.context["reviews"]]
    assert due == [("Client contact due", quiet.pk, TODAY - datetime.timedelta(days=2))]
    assert seen.pk not in [i["case"].pk for i in page.context["reviews"]]
