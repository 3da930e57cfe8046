"""Accepting a referral opens a case for a worker with room for it (CI-1, CI-2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caseload.capacity import CapacityReached, held_case_count
from caseload.intake import referral_accept
from caseload.models import Case
from core.models import Role, User
from referrals.models import Referral
from referrals.services import AlreadyDecided, referral_reject
from tests.factories import CaseFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def fill(worker: User, count: int) -> None:
    CaseFactory.create_batch(count, worker=worker)


def test_accepting_opens_a_case_awaiting_assessment(specialist: User, manager: User) -> None:
    referral = ReferralFactory()
    case = referral_accept(referral=referral, worker=specialist, by=manager)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.decided_by == manager
    assert case.worker == specialist and case.start_date is None
    assert referral.history.latest().history_user == manager


def test_a_worker_at_capacity_cannot_be_given_another_case(manager: User) -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"))  # capacity 5
    fill(worker, 5)
    referral = ReferralFactory()
    with pytest.raises(CapacityReached, match="full capacity"):
        referral_accept(referral=referral, worker=worker, by=manager)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert held_case_count(worker) == 5


def test_a_closed_case_frees_its_place(manager: User) -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"))
    fill(worker, 4)
    CaseFactory(worker=worker, closed_date=CaseFactory.build().start_date, closure_reason="other")
    referral_accept(referral=ReferralFactory(), worker=worker, by=manager)
    assert held_case_count(worker) == 5


def test_a_decided_referral_cannot_be_accepted_again(specialist: User, manager: User) -> None:
    referral = ReferralFactory()
    referral_accept(referral=referral, worker=specialist, by=manager)
    with pytest.raises(AlreadyDecided):
        referral_accept(referral=referral, worker=specialist, by=manager)
    assert Case.objects.filter(referral=referral).count() == 1


def test_roles_without_a_caseload_cannot_be_given_cases(opcc: User, manager: User) -> None:
    with pytest.raises(ValidationError, match="does not hold a caseload"):
        referral_accept(referral=ReferralFactory(), worker=opcc, by=manager)


def test_rejection_needs_a_reason_and_a_rationale(manager: User) -> None:
    referral = ReferralFactory()
    with pytest.raises(ValidationError):
        referral_reject(referral=referral, reason="capacity", rationale="  ", by=manager)
    with pytest.raises(ValidationError):
        referral_reject(referral=referral, reason="", rationale="Full", by=manager)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    referral_reject(referral=referral, reason="capacity", rationale="Team is full", by=manager)
    referral.refresh_from_db()
    assert (referral.status, referral.rejection_reason) == ("rejected", "capacity")


# --- Eligibility gates acceptance -------------------------------------------------------


def test_a_referral_that_fails_a_check_is_not_accepted_without_a_reason(
    specialist: User, manager: User
) -> None:
    referral = ReferralFactory(postcode="CV1 2AB")  # Coventry: not a Birmingham district

    with pytest.raises(ValidationError) as refused:
        referral_accept(referral=referral, worker=specialist, by=manager)

    message = refused.value.message_dict["eligibility_override"][0]
    assert "lives in birmingham (CV1 is not a Birmingham postcode district.)" in message
    referral.refresh_from_db()
    assert referral.status != Referral.Status.ACCEPTED
    assert not Case.objects.filter(referral=referral).exists()


def test_with_a_reason_it_is_accepted_and_the_reason_is_kept_in_history(
    specialist: User, manager: User
) -> None:
    referral = ReferralFactory(postcode="CV1 2AB")

    referral_accept(
        referral=referral,
        worker=specialist,
        by=manager,
        eligibility_override="Moving to Birmingham next month; housing confirmed.",
    )

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.eligibility_override.startswith("Moving to Birmingham")
    latest = referral.history.latest()
    assert latest.eligibility_override == referral.eligibility_override
    assert latest.history_user == manager


def test_an_eligible_referral_keeps_no_override(specialist: User, manager: User) -> None:
    referral = ReferralFactory()
    referral_accept(referral=referral, worker=specialist, by=manager, eligibility_override="x")
    referral.refresh_from_db()
    assert referral.eligibility_override == ""


def test_the_accept_page_asks_for_the_reason_and_says_what_is_not_met(
    signed_in: Any, specialist: User, manager: User
) -> None:
    referral = ReferralFactory(postcode="CV1 2AB")
    client = signed_in(manager)
    url = reverse("caseload:referral-accept", args=[referral.pk])

    page = client.get(url).content.decode()
    assert "does not meet every eligibility check" in page
    assert "CV1 is not a Birmingham postcode district" in page
    refused = client.post(url, {"worker": specialist.pk}).content.decode()
    assert "Give the reason for accepting it anyway" in refused
    assert not Case.objects.filter(referral=referral).exists()

    client.post(url, {"worker": specialist.pk, "eligibility_override": "Moving here."})
    assert Case.objects.filter(referral=referral).exists()
