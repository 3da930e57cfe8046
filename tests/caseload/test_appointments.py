"""Appointments: booked on a case (a community venue only when the risk assessment in force
lists it as safe), shown in the worker's diary, and after their time marked attended (the
contact then logged from them, filled in), missed (with why, and a task to re-engage) or
cancelled (by whom); the case page counts those kept and missed; another specialist gets
404 on every appointment page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.models import Appointment, Case, Contact, RiskAssessment, Task
from caseload.services.appointments import (
    appointment_attended,
    appointment_book,
    appointment_cancel,
    appointment_missed,
)
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)
MORNING = datetime.datetime(2026, 12, 7, 9, 0)


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(
        worker=specialist,
        referral__received_date=MONDAY - datetime.timedelta(days=40),
        referral__decision_date=MONDAY - datetime.timedelta(days=30),
        start_date=MONDAY - datetime.timedelta(days=29),
    )


def book(case: Case, user: User, **fields: object) -> Appointment:
    values: dict[str, object] = {
        "date": MONDAY,
        "starts_at": datetime.time(14, 0),
        "ends_at": datetime.time(14, 45),
        "place": "office",
        "venue": "",
        "kind": "support",
        "attendees": "",
    }
    values.update(fields)
    return appointment_book(case=case, worker=case.worker, by=user, **values)


def risk_assessment(case: Case, user: User, safe: str, avoid: str = "") -> RiskAssessment:
    return RiskAssessment.objects.create(
        case=case,
        date=MONDAY - datetime.timedelta(days=1),
        risks_to_client="Known to a rival group",
        risks_from_client="None known",
        lone_working_plan="Tell the office on arrival",
        safe_meeting_places=safe,
        places_to_avoid=avoid,
        review_date=MONDAY + datetime.timedelta(days=90),
        by=user,
    )


@time_machine.travel(MORNING, tick=False)
def test_a_community_appointment_needs_a_risk_assessment_in_force_covering_the_venue(
    case: Case, specialist: User
) -> None:
    venue = {"place": "community", "venue": "Saltley Library"}
    with pytest.raises(ValidationError, match="no risk assessment in force"):
        book(case, specialist, **venue)
    risk_assessment(case, specialist, safe="The Hub, Sparkhill", avoid="Saltley Library")
    with pytest.raises(ValidationError, match="says to avoid Saltley Library"):
        book(case, specialist, **venue)
    RiskAssessment.objects.all().delete()
    risk_assessment(case, specialist, safe="The Hub, Sparkhill")
    with pytest.raises(ValidationError, match="does not list Saltley Library"):
        book(case, specialist, **venue)
    assert not Appointment.objects.exists()

    booked = book(case, specialist, place="community", venue="the hub")
    assert (booked.status, booked.venue, booked.out_of_hours) == ("booked", "the hub", False)
    evening = book(case, specialist, starts_at=datetime.time(18, 0), ends_at=datetime.time(19, 0))
    assert evening.out_of_hours is True


@time_machine.travel(MORNING, tick=False)
def test_nothing_is_booked_in_the_past_or_on_a_closed_case(case: Case, specialist: User) -> None:
    with pytest.raises(ValidationError):
        book(case, specialist, date=MONDAY - datetime.timedelta(days=1))
    case.closed_date, case.closure_reason = MONDAY, "moved_away"
    case.save()
    with pytest.raises(ValidationError, match="closed"):
        book(case, specialist)
    assert not Appointment.objects.exists()


def test_attended_leads_to_the_contact_filled_in_from_the_appointment(
    signed_in: Callable[..., Client], case: Case, specialist: User
) -> None:
    with time_machine.travel(MORNING, tick=False):
        appointment = book(case, specialist)
        client = signed_in(specialist)
        page = client.get(reverse("caseload:appointment-detail", args=[appointment.pk]))
        assert "Did it happen?" not in page.content.decode()  # not before its time
        with pytest.raises(ValidationError, match="not started"):
            appointment_attended(appointment=appointment, by=specialist)
    with time_machine.travel(datetime.datetime(2026, 12, 7, 15, 0), tick=False):
        client = signed_in(specialist)
        detail = client.get(reverse("caseload:appointment-detail", args=[appointment.pk]))
        assert "Did it happen?" in detail.content.decode()
        done = client.post(reverse("caseload:appointment-attended", args=[appointment.pk]))
        form_url = done["Location"]
        assert form_url == (
            reverse("caseload:contact-new", args=[case.pk]) + f"?appointment={appointment.pk}"
        )
        form = client.get(form_url).content.decode()
        assert 'value="45"' in form and 'value="14:00"' in form
        client.post(
            form_url,
            {
                "date": "2026-12-07",
                "time": "14:00",
                "mode": "face_to_face",
                "party": "client",
                "duration_minutes": "45",
                "place": "office",
                "note": "",
            },
        )
        again = client.post(reverse("caseload:appointment-attended", args=[appointment.pk]))
    appointment.refresh_from_db()
    contact = Contact.objects.get(case=case)
    assert (appointment.status, appointment.contact) == ("attended", contact)
    assert (contact.duration_minutes, contact.time) == (45, datetime.time(14, 0))
    assert again.status_code == 302  # marked once: the second says so and changes nothing
    assert appointment.history.filter(history_change_reason="Attended").count() == 1


def test_missed_needs_a_reason_and_sets_a_task_to_re_engage(case: Case, specialist: User) -> None:
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, 0), tick=False):  # a Friday
        appointment = book(case, specialist, date=datetime.date(2026, 12, 4))
    with time_machine.travel(datetime.datetime(2026, 12, 4, 16, 0), tick=False):
        with pytest.raises(ValidationError):
            appointment_missed(appointment=appointment, reason=" ", by=specialist)
        appointment_missed(appointment=appointment, reason="No answer", by=specialist)
        with pytest.raises(ValidationError, match="already marked missed"):
            appointment_missed(appointment=appointment, reason="Twice", by=specialist)
    task = Task.objects.get(case=case, kind=Task.Kind.RE_ENGAGE)
    assert task.due_date == datetime.date(2026, 12, 7)  # the next working day
    assert Task.objects.filter(kind=Task.Kind.RE_ENGAGE).count() == 1


@time_machine.travel(MORNING, tick=False)
def test_cancelled_says_by_whom_and_the_case_page_counts_kept_and_missed(
    signed_in: Callable[..., Client], case: Case, specialist: User
) -> None:
    cancelled = book(case, specialist)
    with pytest.raises(ValidationError):
        appointment_cancel(appointment=cancelled, cancelled_by="", by=specialist)
    appointment_cancel(appointment=cancelled, cancelled_by="client", by=specialist)
    kept = book(case, specialist, starts_at=datetime.time(8, 0), ends_at=datetime.time(8, 30))
    missed = book(case, specialist, starts_at=datetime.time(7, 0), ends_at=datetime.time(7, 30))
    appointment_attended(appointment=kept, by=specialist)
    appointment_missed(appointment=missed, reason="Unwell", by=specialist)
    page = signed_in(specialist).get(reverse("caseload:case-detail", args=[case.pk]))
    assert "1 kept, 1 missed." in page.content.decode()


@time_machine.travel(MORNING, tick=False)
def test_the_diary_shows_the_day_and_the_week_and_flags_a_venue_without_a_risk_assessment(
    signed_in: Callable[..., Client], case: Case, specialist: User, other_specialist: User
) -> None:
    risk = risk_assessment(case, specialist, safe="The Hub")
    book(case, specialist, place="community", venue="The Hub")
    later = book(case, specialist, date=MONDAY + datetime.timedelta(days=2))
    client = signed_in(specialist)
    day = client.get(reverse("caseload:diary")).content.decode()
    assert case.referral.full_name in day and "14:00 to 14:45" in day
    assert "No risk assessment in force" not in day
    risk.review_date = risk.date
    risk.save()  # the review fell due before the day: the booking is now flagged
    day = client.get(reverse("caseload:diary")).content.decode()
    assert "No risk assessment in force" in day
    week = client.get(reverse("caseload:diary") + "?week=1").content.decode()
    assert reverse("caseload:appointment-detail", args=[later.pk]) in week
    assert reverse("caseload:appointment-detail", args=[later.pk]) not in day

    other = signed_in(other_specialist)
    assert case.referral.full_name not in other.get(reverse("caseload:diary")).content.decode()
    for name in ("detail", "missed", "cancel"):
        url = reverse(f"caseload:appointment-{name}", args=[later.pk])
        assert other.get(url).status_code == 404, name
    assert other.post(reverse("caseload:appointment-attended", args=[later.pk])).status_code == 404
    assert (
        other.post(
            reverse("caseload:appointment-cancel", args=[later.pk]), {"cancelled_by": "client"}
        ).status_code
        == 404
    )
    later.refresh_from_db()
    assert later.status == "booked"


@time_machine.travel(MORNING, tick=False)
def test_the_team_view_counts_each_workers_appointments_kept_and_missed(
    signed_in: Callable[..., Client], case: Case, specialist: User, manager: User
) -> None:
    kept = book(case, specialist, starts_at=datetime.time(8, 0), ends_at=datetime.time(8, 30))
    missed = book(case, specialist, starts_at=datetime.time(7, 0), ends_at=datetime.time(7, 30))
    book(case, specialist)  # still to come: neither
    appointment_attended(appointment=kept, by=specialist)
    appointment_missed(appointment=missed, reason="Unwell", by=specialist)
    page = signed_in(manager).get(reverse("caseload:team")).content.decode()
    row = page.split(specialist.full_name, 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-label="Appointments kept / missed \(28 days\)">\s*1 / 1\s*<', row)


@time_machine.travel(MORNING, tick=False)
def test_the_manager_sees_the_teams_week_and_a_specialist_may_not(
    signed_in: Callable[..., Client], case: Case, specialist: User, manager: User
) -> None:
    this_week = book(case, specialist)
    next_week = book(case, specialist, date=MONDAY + datetime.timedelta(days=7))
    url = reverse("caseload:team-diary")
    page = signed_in(manager).get(url).content.decode()
    assert specialist.full_name in page
    assert reverse("caseload:appointment-detail", args=[this_week.pk]) in page
    assert reverse("caseload:appointment-detail", args=[next_week.pk]) not in page
    later = signed_in(manager).get(url, {"week": "2026-12-14"}).content.decode()
    assert reverse("caseload:appointment-detail", args=[next_week.pk]) in later
    assert signed_in(specialist).get(url).status_code == 403
