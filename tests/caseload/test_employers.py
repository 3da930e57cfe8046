"""Employer records and job development contacts against the IPS target of six a week."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Contact, Employer
from caseload.selectors import face_to_face_employer_contacts_this_week
from core.models import User

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_a_specialist_adds_an_employer_and_logs_job_development(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    client = signed_in(specialist)
    client.post(reverse("caseload:employer-new"), {"name": "Acme Builders", "sector": "Trades"})
    employer = Employer.objects.get()
    assert employer.history.latest().history_user == specialist
    response = client.post(
        reverse("caseload:employer-contact-new", args=[employer.pk]),
        {
            "date": TODAY.isoformat(),
            "time": "11:00",
            "mode": "face_to_face",
            "duration_minutes": "40",
            "note": "Talked about apprenticeships",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.case, contact.party, contact.employer) == (None, "employer", employer)
    home = client.get("/cases/")
    assert home.context["employer_contacts"] == 1
    assert "IPS target: 6" in home.content.decode()


def test_an_employer_needs_a_name(signed_in: Callable[..., Client], specialist: User) -> None:
    response = signed_in(specialist).post(reverse("caseload:employer-new"), {"name": ""})
    assert "Enter the name" in response.content.decode()
    assert not Employer.objects.exists()


def test_only_this_weeks_face_to_face_employer_contacts_count(specialist: User) -> None:
    employer = Employer.objects.create(name="Acme")
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())

    def contact(on: datetime.date, mode: str = "face_to_face") -> None:
        Contact.objects.create(
            worker=specialist,
            employer=employer,
            party="employer",
            mode=mode,
            date=on,
            duration_minutes=30,
        )

    contact(monday)
    contact(TODAY)
    contact(TODAY, mode="phone")
    contact(monday - datetime.timedelta(days=1))
    assert face_to_face_employer_contacts_this_week(specialist, TODAY) == 2
