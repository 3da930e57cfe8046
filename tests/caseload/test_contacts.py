"""Logging contacts and admin time; risk assessments before community contacts."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Contact, RiskAssessment
from caseload.services import cases, contacts
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
A_WEEKDAY = TODAY - datetime.timedelta(days=(TODAY.weekday() - 2) % 7 or 7)  # a past Wednesday
A_SATURDAY = TODAY - datetime.timedelta(days=(TODAY.weekday() - 5) % 7 or 7)


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(
        worker=specialist,
        referral__received_date=TODAY - datetime.timedelta(days=40),
        referral__decision_date=TODAY - datetime.timedelta(days=30),
        start_date=TODAY - datetime.timedelta(days=29),
    )


def contact_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": A_WEEKDAY.isoformat(),
        "time": "10:00",
        "mode": "face_to_face",
        "party": "client",
        "duration_minutes": "45",
        "place": "office",
        "note": "Talked through CV",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("day", "time", "out_of_hours"),
    [
        (A_WEEKDAY, "10:00", False),
        (A_WEEKDAY, "08:59", True),
        (A_WEEKDAY, "17:00", True),
        (A_WEEKDAY, "18:30", True),
        (A_SATURDAY, "11:00", True),
    ],
)
def test_out_of_hours_is_worked_out_from_the_time(
    signed_in: Callable[..., Client],
    specialist: User,
    case: Case,
    day: datetime.date,
    time: str,
    out_of_hours: bool,
) -> None:
    response = signed_in(specialist).post(
        reverse("caseload:contact-new", args=[case.pk]),
        contact_data(
            date=day.isoformat(), time=time, out_of_hours="on" if not out_of_hours else ""
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(case=case)
    assert contact.out_of_hours is out_of_hours
    assert (contact.worker, contact.duration_minutes) == (specialist, 45)
    assert contact.history.latest().history_user == specialist


def test_a_community_contact_needs_a_risk_assessment_first(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    refused = client.post(url, contact_data(place="community"))
    assert "Record a risk assessment" in refused.content.decode()
    assert not Contact.objects.exists()
    client.post(
        reverse("caseload:risk-new", args=[case.pk]),
        {
            "date_0": str(TODAY.day),
            "date_1": str(TODAY.month),
            "date_2": str(TODAY.year),
            "risks_to_client": "Known to a rival group",
            "risks_from_client": "None known",
            "lone_working_plan": "Text the office on arrival and leaving",
            "places_to_avoid": "B6",
            "review_date_0": "1",
            "review_date_1": str(TODAY.month),
            "review_date_2": str(TODAY.year + 1),
        },
    )
    assert RiskAssessment.objects.filter(case=case).count() == 1
    assert client.post(url, contact_data(place="community")).status_code == 302
    assert Contact.objects.get().place == "community"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"date": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "Date must be today or in the past",
        ),
        ({"duration_minutes": "721"}, "at most 720 minutes"),
        ({"duration_minutes": "0"}, "at least 1 minute"),
        ({"party": "employer"}, "Choose the employer"),
        ({"mode": ""}, "Choose how the contact happened"),
        ({"note": "x" * 50_000}, "at most 5000 characters"),
    ],
)
def test_bad_contact_input_is_refused_and_nothing_is_saved(
    signed_in: Callable[..., Client],
    specialist: User,
    case: Case,
    overrides: dict[str, str],
    message: str,
) -> None:
    response = signed_in(specialist).post(
        reverse("caseload:contact-new", args=[case.pk]), contact_data(**overrides)
    )
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert message in body
    assert not Contact.objects.exists()


def test_another_specialist_cannot_log_a_contact_on_the_case(
    signed_in: Callable[..., Client], other_specialist: User, case: Case
) -> None:
    response = signed_in(other_specialist).post(
        reverse("caseload:contact-new", args=[case.pk]), contact_data()
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_a_closed_case_takes_no_contacts(specialist: User, case: Case) -> None:
    cases.case_close(case=case, closed_date=TODAY, reason="disengaged", by=specialist)
    with pytest.raises(ValidationError, match="closed"):
        contacts.contact_log(
            case=case,
            worker=specialist,
            by=specialist,
            date=TODAY,
            time=None,
            mode="phone",
            party="client",
            duration_minutes=10,
            place="online",
            employer=None,
            note="",
        )


def test_admin_time_is_logged_without_a_case(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    response = signed_in(specialist).post(
        reverse("caseload:admin-time-new"),
        {"date": A_WEEKDAY.isoformat(), "duration_minutes": "60", "note": "Team meeting"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.case, contact.mode, contact.party) == (None, "admin", "none")


def test_changing_an_old_note_needs_a_reason_kept_in_the_history(
    specialist: User, case: Case
) -> None:
    contact = Contact.objects.create(
        case=case,
        worker=specialist,
        date=TODAY - datetime.timedelta(days=8),
        mode="phone",
        party="client",
        duration_minutes=10,
        note="First note",
    )
    with pytest.raises(ValidationError, match="more than 7 days old"):
        contacts.contact_change_note(contact=contact, note="Changed", reason=" ", by=specialist)
    contact.refresh_from_db()
    assert contact.note == "First note"
    contacts.contact_change_note(
        contact=contact, note="Changed", reason="Typo in the employer's name", by=specialist
    )
    latest = contact.history.latest()
    assert (latest.note, latest.history_change_reason) == ("Changed", "Typo in the employer's name")
