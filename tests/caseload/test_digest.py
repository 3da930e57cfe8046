from __future__ import annotations

import datetime

import pytest
from django.core import mail

from caseload.models import Task
from caseload.tasks import send_task_digests
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_the_daily_digest_counts_due_and_overdue_tasks_without_names(
    specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    Task.objects.create(case=case, kind="sustainment_check", title="a", due_date=TODAY)
    Task.objects.create(
        case=case, kind="in_work_support", title="b", due_date=TODAY - datetime.timedelta(days=2)
    )
    Task.objects.create(
        case=case, kind="in_work_support", title="c", due_date=TODAY + datetime.timedelta(days=2)
    )
    CaseFactory(worker=other_specialist)  # no tasks: no email
    assert send_task_digests() == 1
    (email,) = mail.outbox
    assert email.to == [specialist.email]
    assert "1 task due today" in email.body and "1 overdue task" in email.body
    assert case.referral.first_name not in email.body
    assert case.referral.last_name not in email.body


def test_contacts_reviews_and_goals_due_are_in_the_digest_too(specialist: User) -> None:
    from caseload.models import ActionPlanGoal, RiskAssessment

    started = TODAY - datetime.timedelta(days=20)
    case = CaseFactory(
        worker=specialist,
        referral__received_date=started - datetime.timedelta(days=5),
        referral__decision_date=started - datetime.timedelta(days=2),
        accepted_date=started - datetime.timedelta(days=2),
        start_date=started,
    )
    RiskAssessment.objects.create(
        case=case,
        date=started,
        risks_to_client="a",
        risks_from_client="b",
        lone_working_plan="c",
        review_date=TODAY,
        by=specialist,
    )
    ActionPlanGoal.objects.create(
        case=case, goal="Get a CSCS card", target_date=TODAY - datetime.timedelta(days=1)
    )
    assert send_task_digests() == 1
    (email,) = mail.outbox
    assert "0 tasks due today" in email.body
    assert "1 client contact due" in email.body
    assert "1 risk assessment review due" in email.body
    assert "1 action-plan date reached" in email.body
    assert "CSCS" not in email.body


def test_the_digest_goes_every_morning_weekends_included() -> None:
    from e4e.celery import app

    schedule = app.conf.beat_schedule["send-task-digests"]["schedule"]
    assert schedule.hour == {7} and schedule.day_of_week == set(range(7))


def test_the_digest_lists_the_days_appointments_without_names_and_flags_a_venue(
    specialist: User,
) -> None:
    from caseload.models import Appointment

    dt, today = datetime, TODAY
    case = CaseFactory(worker=specialist, referral__first_name="Marcus")
    for hour, place, venue in ((9, "office", ""), (15, "community", "Saltley Library")):
        Appointment.objects.create(
            case=case,
            worker=specialist,
            date=today,
            starts_at=dt.time(hour, 0),
            ends_at=dt.time(hour, 30),
            place=place,
            venue=venue,
            by=specialist,
        )
    send_task_digests()
    body = next(m.body for m in mail.outbox if specialist.email in m.to)
    assert "2 appointments" in body
    assert f"09:00, office, case {case.referral.reference}" in body
    assert "15:00, community venue (Saltley Library)" in body
    assert "NO RISK ASSESSMENT IN FORCE" in body
    assert "Marcus" not in body and case.referral.last_name not in body


def test_the_digest_counts_the_appointments_kept_and_missed_in_28_days(
    specialist: User,
) -> None:
    from caseload.models import Appointment

    case = CaseFactory(worker=specialist)
    for days_ago, status, why in (
        (1, "attended", ""),
        (3, "attended", ""),
        (5, "missed", "No answer"),
        (27, "missed", "Unwell"),
        (28, "missed", "Too long ago to count"),
        (2, "cancelled", ""),
        (0, "booked", ""),  # today's, so there is a digest
    ):
        Appointment.objects.create(
            case=case,
            worker=specialist,
            date=TODAY - datetime.timedelta(days=days_ago),
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(10, 30),
            place="office",
            status=status,
            missed_reason=why,
            cancelled_by="client" if status == "cancelled" else "",
            by=specialist,
        )
    send_task_digests()
    body = next(m.body for m in mail.outbox if specialist.email in m.to)
    assert "In the last 28 days: 2 appointments kept, 2 missed." in body
