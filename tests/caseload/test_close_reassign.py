"""Closing, reopening and reassigning cases, under the same capacity lock as acceptance."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.capacity import CapacityReached
from caseload.models import Case
from caseload.services import cases
from core.models import Role, User
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def close_data(reason: str = "disengaged") -> dict[str, str]:
    return {
        "closed_date_0": str(TODAY.day),
        "closed_date_1": str(TODAY.month),
        "closed_date_2": str(TODAY.year),
        "reason": reason,
    }


def test_a_specialist_closes_their_case_with_a_reason(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    client = signed_in(specialist)
    refused = client.post(reverse("caseload:case-close", args=[case.pk]), close_data(reason=""))
    assert "Choose why the case is closing" in refused.content.decode()
    client.post(reverse("caseload:case-close", args=[case.pk]), close_data())
    case.refresh_from_db()
    assert (case.closed_date, case.closure_reason) == (TODAY, "disengaged")
    assert case.history.latest().history_user == specialist


def test_a_specialist_cannot_reassign_or_reopen(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    client = signed_in(specialist)
    response = client.post(
        reverse("caseload:case-reassign", args=[case.pk]), {"worker": other_specialist.pk}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.worker == specialist


def test_reassignment_moves_access_at_once(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User, manager: User
) -> None:
    case = CaseFactory(worker=specialist)
    old, new = signed_in(specialist), signed_in(other_specialist)
    url = reverse("caseload:case-detail", args=[case.pk])
    assert old.get(url).status_code == 200 and new.get(url).status_code == 404
    signed_in(manager).post(
        reverse("caseload:case-reassign", args=[case.pk]), {"worker": other_specialist.pk}
    )
    assert old.get(url).status_code == 404
    assert new.get(url).status_code == 200
    assert Case.objects.get(pk=case.pk).history.latest().history_user == manager


def test_a_full_worker_cannot_take_a_reassigned_case(specialist: User, manager: User) -> None:
    full = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"))
    CaseFactory.create_batch(5, worker=full)
    case = CaseFactory(worker=specialist)
    with pytest.raises(CapacityReached):
        cases.case_reassign(case=case, worker=full, by=manager)
    case.refresh_from_db()
    assert case.worker == specialist


def test_reopening_takes_a_place_again(manager: User) -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"))
    closed = CaseFactory(worker=worker)
    cases.case_close(case=closed, closed_date=TODAY, reason="moved_away", by=manager)
    CaseFactory.create_batch(5, worker=worker)
    with pytest.raises(CapacityReached):
        cases.case_reopen(case=closed, reason="Asked for help again", by=manager)
    closed.refresh_from_db()
    assert closed.closed_date == TODAY


def test_reopening_an_open_case_is_refused(manager: User, specialist: User) -> None:
    with pytest.raises(ValidationError, match="open"):
        cases.case_reopen(case=CaseFactory(worker=specialist), reason="Back", by=manager)


def test_a_manager_reopens_a_case_after_confirming_and_saying_why(
    signed_in: Callable[..., Client], manager: User, specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    cases.case_close(case=case, closed_date=TODAY, reason="moved_away", by=manager)
    client = signed_in(manager)
    url = reverse("caseload:case-reopen", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Reopen the case?" in page and "Why is the case being reopened?" in page
    case.refresh_from_db()
    assert case.closed_date == TODAY  # asking changes nothing
    refused = client.post(url, {"reason": "  "})
    assert "Enter why the case is being reopened" in refused.content.decode()
    case.refresh_from_db()
    assert case.closed_date == TODAY
    client.post(url, {"reason": "Lost their job and asked for help again"})
    case.refresh_from_db()
    latest = case.history.latest()
    assert case.closed_date is None
    assert latest.history_change_reason == "Lost their job and asked for help again"
    history = client.get(reverse("caseload:case-history", args=[case.pk])).content.decode()
    assert "Lost their job and asked for help again" in history
    # Posting again (a second tab) changes nothing and says the case is open.
    rows = case.history.count()
    again = client.post(url, {"reason": "Again"}, follow=True)
    assert "The case is open." in again.content.decode()
    assert case.history.count() == rows


def test_a_case_cannot_be_reopened_without_a_reason_by_any_path(manager: User) -> None:
    case = CaseFactory()
    cases.case_close(case=case, closed_date=TODAY, reason="moved_away", by=manager)
    with pytest.raises(ValidationError, match="why the case is being reopened"):
        cases.case_reopen(case=case, reason=" ", by=manager)
    case.refresh_from_db()
    assert case.closed_date == TODAY
