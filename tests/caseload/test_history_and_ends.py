"""The case's full history; changing a contact's note; recording that an outcome ended."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Contact, Outcome, Task
from caseload.services import cases, contacts, outcomes
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(
        worker=specialist,
        referral__received_date=TODAY - datetime.timedelta(days=40),
        referral__decision_date=TODAY - datetime.timedelta(days=30),
        start_date=TODAY - datetime.timedelta(days=29),
    )


def test_the_history_page_lists_every_change_with_who_made_it(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case
) -> None:
    contacts.contact_log(
        case=case,
        worker=specialist,
        by=specialist,
        date=TODAY,
        time=None,
        mode="phone",
        party="client",
        duration_minutes=15,
        place="online",
        employer=None,
        note="Called",
    )
    cases.case_close(case=case, closed_date=TODAY, reason="moved_away", by=manager)
    page = signed_in(specialist).get(reverse("caseload:case-history", args=[case.pk]))
    whats = [(c["what"], c["who"]) for c in page.context["changes"]]
    assert ("Contact added", specialist.full_name) in whats
    assert ("Case changed", manager.full_name) in whats


def test_an_old_notes_change_needs_a_reason_on_the_page(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    contact = Contact.objects.create(
        case=case,
        worker=specialist,
        date=TODAY - datetime.timedelta(days=10),
        mode="phone",
        party="client",
        duration_minutes=10,
        note="Old",
    )
    client = signed_in(specialist)
    url = reverse("caseload:contact-note", args=[contact.pk])
    refused = client.post(url, {"note": "New", "reason": ""})
    assert "more than 7 days old" in refused.content.decode()
    client.post(url, {"note": "New", "reason": "Wrong date in the note"})
    contact.refresh_from_db()
    assert contact.note == "New"


def test_ending_a_job_removes_follow_up_due_after_the_end(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    outcome = outcomes.outcome_start(
        case=case,
        by=specialist,
        type="paid_employment",
        start_date=TODAY - datetime.timedelta(days=20),
        hours_per_week=30,
        employer_name="Acme",
    )
    signed_in(specialist).post(
        reverse("caseload:outcome-end", args=[outcome.pk]),
        {
            "end_date_0": str(TODAY.day),
            "end_date_1": str(TODAY.month),
            "end_date_2": str(TODAY.year),
            "reason": "Contract ended",
        },
    )
    outcome.refresh_from_db()
    assert (outcome.end_date, outcome.end_reason) == (TODAY, "Contract ended")
    assert not Task.objects.filter(outcome=outcome, due_date__gt=TODAY).exists()
    assert Task.objects.filter(outcome=outcome, due_date__lte=TODAY).exists()


def test_another_specialist_cannot_end_the_outcome(
    signed_in: Callable[..., Client], other_specialist: User, case: Case
) -> None:
    outcome = Outcome.objects.create(case=case, type="training", start_date=case.start_date)
    response = signed_in(other_specialist).get(reverse("caseload:outcome-end", args=[outcome.pk]))
    assert response.status_code == 404
