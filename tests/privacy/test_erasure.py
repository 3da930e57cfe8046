"""Erasure on request (DP-3): a manager removes a person's details once their case is closed
or their referral rejected or withdrawn; confirmed, with the request's reference, recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Contact
from core.models import User
from privacy.models import RetentionAction
from referrals.models import Referral
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]


@pytest.fixture
def closed(specialist: User) -> Case:
    case = CaseFactory(
        worker=specialist,
        referral__first_name="Zebedee",
        referral__last_name="Quillfeather",
        referral__received_date=date(2024, 1, 2),
        referral__decision_date=date(2024, 1, 3),
        accepted_date=date(2024, 1, 3),
        start_date=date(2024, 1, 4),
        closed_date=date(2025, 1, 4),
        closure_reason="client_request",
    )
    Contact.objects.create(
        case=case,
        worker=specialist,
        date=date(2024, 1, 4),
        mode="phone",
        party="client",
        duration_minutes=20,
        note="Zebedee asked about training",
    )
    return case


def erase_url(case: Case) -> str:
    return reverse("privacy:erase", args=[case.referral_id])


def test_a_manager_removes_the_details_after_confirming(
    signed_in: SignedIn, manager: User, closed: Case
) -> None:
    client = signed_in(manager)
    detail = client.get(reverse("referrals:detail", args=[closed.referral_id])).content.decode()
    assert "Remove this person's details" in detail
    page = client.get(erase_url(closed)).content.decode()
    assert "cannot be brought back" in page

    response = client.post(
        erase_url(closed), {"request_reference": "DPR-2026-014", "confirm": "on"}
    )

    assert response.status_code == 302
    referral = Referral.objects.get(pk=closed.referral_id)
    assert (referral.first_name, referral.last_name) == ("Anonymised", "")
    assert Contact.objects.get(case=closed).note == ""
    action = RetentionAction.objects.get()
    assert (action.kind, action.rule, action.by) == (
        "erasure",
        "erasure request DPR-2026-014",
        manager,
    )
    after = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "details were removed on" in after and "Zebedee" not in after
    assert "Remove this person" not in after


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"request_reference": "DPR-2026-014"}, "Confirm that the details cannot be brought back"),
        ({"confirm": "on"}, "Enter the reference of the erasure request"),
        (
            {"request_reference": "Zebedee Quillfeather", "confirm": "on"},
            "letters, digits, / and -",
        ),
    ],
)
def test_nothing_is_removed_without_a_reference_and_confirmation(
    signed_in: SignedIn, manager: User, closed: Case, data: dict[str, str], error: str
) -> None:
    response = signed_in(manager).post(erase_url(closed), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Referral.objects.get(pk=closed.referral_id).first_name == "Zebedee"
    assert not RetentionAction.objects.exists()


def test_an_open_case_must_be_closed_first(
    signed_in: SignedIn, manager: User, specialist: User
) -> None:
    case = CaseFactory(worker=specialist, referral__first_name="Zebedee")
    client = signed_in(manager)
    page = client.get(erase_url(case)).content.decode()
    assert "The case is still open. Close it before" in page
    assert (
        "Remove this person"
        not in client.get(reverse("referrals:detail", args=[case.referral_id])).content.decode()
    )
    client.post(erase_url(case), {"request_reference": "DPR-1", "confirm": "on"})
    assert Referral.objects.get(pk=case.referral_id).first_name == "Zebedee"
    assert not RetentionAction.objects.exists()


def test_a_specialist_cannot_erase_even_their_own_case(
    signed_in: SignedIn, specialist: User, closed: Case
) -> None:
    client = signed_in(specialist)
    response = client.post(erase_url(closed), {"request_reference": "DPR-1", "confirm": "on"})
    assert response.status_code == 403
    assert Referral.objects.get(pk=closed.referral_id).first_name == "Zebedee"


def test_the_request_log_fills_in_the_reference(
    signed_in: SignedIn, manager: User, closed: Case
) -> None:
    page = signed_in(manager).get(erase_url(closed), {"reference": "DPR-2026-007"})
    assert 'value="DPR-2026-007"' in page.content.decode()
