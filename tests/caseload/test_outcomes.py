"""Outcomes and the follow-up they put on the specialist's task list."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Outcome, Task
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(
        worker=specialist,
        referral__received_date=TODAY - datetime.timedelta(days=60),
        referral__decision_date=TODAY - datetime.timedelta(days=50),
        start_date=TODAY - datetime.timedelta(days=49),
    )


def outcome_data(kind: str, start: datetime.date, **extra: str) -> dict[str, str]:
    return {
        "type": kind,
        "start_date_0": str(start.day),
        "start_date_1": str(start.month),
        "start_date_2": str(start.year),
        **extra,
    }


def test_a_job_start_schedules_in_work_support_and_sustainment_checks(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    start = TODAY - datetime.timedelta(days=2)
    response = signed_in(specialist).post(
        reverse("caseload:outcome-new", args=[case.pk]),
        outcome_data(
            "paid_employment", start, employer_name="Acme", hours_per_week="37.5", competitive="yes"
        ),
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(case=case)
    assert (outcome.employer_name, outcome.competitive) == ("Acme", True)
    due = {t.title: t.due_date for t in Task.objects.filter(outcome=outcome)}
    assert due["In-work support, day 3"] == start + datetime.timedelta(days=3)
    assert due["13-week sustainment check"] == start + datetime.timedelta(days=91)
    assert due["26-week sustainment check"] == start + datetime.timedelta(days=182)
    assert due["52-week sustainment check"] == start + datetime.timedelta(days=364)
    assert len(due) == 13


def test_a_business_start_schedules_trading_checks(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    signed_in(specialist).post(
        reverse("caseload:outcome-new", args=[case.pk]),
        outcome_data("self_employment", TODAY, employer_name="Fade Barbers", hours_per_week="20"),
    )
    titles = sorted(Task.objects.values_list("title", flat=True))
    assert titles == ["26-week trading check", "52-week trading check"]


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("paid_employment", {"employer_name": "Acme"}, "Enter the hours a week"),
        ("paid_employment", {"hours_per_week": "16"}, "Enter the employer"),
        ("paid_employment", {"employer_name": "A", "hours_per_week": "81"}, "at most 80"),
    ],
)
def test_incomplete_job_details_are_refused(
    signed_in: Callable[..., Client],
    specialist: User,
    case: Case,
    kind: str,
    extra: dict[str, str],
    message: str,
) -> None:
    response = signed_in(specialist).post(
        reverse("caseload:outcome-new", args=[case.pk]), outcome_data(kind, TODAY, **extra)
    )
    assert message in response.content.decode()
    assert not Outcome.objects.exists() and not Task.objects.exists()


def test_an_outcome_cannot_start_before_support_began(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    early = case.start_date - datetime.timedelta(days=1)
    response = signed_in(specialist).post(
        reverse("caseload:outcome-new", args=[case.pk]),
        outcome_data("training", early),
    )
    assert "cannot start before support began" in response.content.decode()
    assert not Outcome.objects.exists()


def test_a_sustainment_check_is_done_with_the_evidence_seen(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    client.post(
        reverse("caseload:outcome-new", args=[case.pk]),
        outcome_data(
            "paid_employment",
            TODAY - datetime.timedelta(days=5),
            employer_name="A",
            hours_per_week="30",
        ),
    )
    task = Task.objects.order_by("due_date").first()
    home = client.get("/cases/").content.decode()
    assert "In-work support, day 3" in home and "Overdue" in home
    url = reverse("caseload:task-done", args=[task.pk])
    refused = client.post(
        url,
        {
            "done_date_0": str(TODAY.day),
            "done_date_1": str(TODAY.month),
            "done_date_2": str(TODAY.year),
            "evidence": "",
        },
    )
    assert "Say what evidence you saw" in refused.content.decode()
    client.post(
        url,
        {
            "done_date_0": str(TODAY.day),
            "done_date_1": str(TODAY.month),
            "done_date_2": str(TODAY.year),
            "evidence": "Payslip seen",
        },
    )
    task.refresh_from_db()
    assert (task.done_date, task.evidence, task.done_by) == (TODAY, "Payslip seen", specialist)
    assert task.history.latest().history_user == specialist


def test_another_specialist_cannot_complete_the_task(
    signed_in: Callable[..., Client], other_specialist: User, case: Case
) -> None:
    task = Task.objects.create(case=case, kind="sustainment_check", title="x", due_date=TODAY)
    response = signed_in(other_specialist).get(reverse("caseload:task-done", args=[task.pk]))
    assert response.status_code == 404
