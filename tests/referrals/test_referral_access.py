"""Who may see and change referrals (AC-2, AC-3): managers everything, specialists only
the referrals whose case is theirs, and no one else any."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AccessLog, User
from referrals.models import Referral
from referrals.selectors import get_referral_for, referrals_visible_to
from tests.factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db

MANAGER_ONLY = ["caseload:referral-accept", "referrals:reject", "referrals:withdraw"]


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    referral = ReferralFactory()
    for url in [
        reverse("referrals:list"),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("caseload:referral-accept", args=[referral.pk]),
        reverse("referrals:links"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", ["opcc", "evaluator", "admin_user"])
def test_opcc_evaluators_and_administrators_see_no_referral(
    role: str, request: pytest.FixtureRequest, signed_in: Callable[..., Client]
) -> None:
    user = request.getfixturevalue(role)
    referral = CaseFactory().referral
    client = signed_in(user)
    for name in ["referrals:list", "caseload:waiting-list", "referrals:new", "referrals:links"]:
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 403
    assert referrals_visible_to(user).count() == 0


def test_a_specialist_sees_the_referral_of_their_own_case(
    specialist: User, signed_in: Callable[..., Client]
) -> None:
    referral = CaseFactory(worker=specialist).referral
    response = signed_in(specialist).get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert referral.full_name in response.content.decode()
    assert "Decide" not in response.content.decode()


def test_a_name_with_an_apostrophe_shows_as_written(
    specialist: User, signed_in: Callable[..., Client]
) -> None:
    referral = CaseFactory(
        worker=specialist, referral__first_name="Hayley", referral__last_name="O'Brien"
    ).referral
    page = signed_in(specialist).get(reverse("referrals:detail", args=[referral.pk]))
    assert "Hayley O&#x27;Brien" in page.content.decode()


def test_a_specialist_cannot_open_another_workers_referral(
    specialist: User, other_specialist: User, signed_in: Callable[..., Client]
) -> None:
    theirs = CaseFactory(worker=other_specialist).referral
    undecided = ReferralFactory()
    client = signed_in(specialist)
    for referral in [theirs, undecided]:
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
        assert response.status_code == 404
        assert referral.full_name not in response.content.decode()


def test_a_specialists_list_shows_only_their_referrals(
    specialist: User, other_specialist: User, signed_in: Callable[..., Client]
) -> None:
    mine = CaseFactory(worker=specialist).referral
    theirs = CaseFactory(worker=other_specialist).referral
    waiting = ReferralFactory()
    page = signed_in(specialist).get(reverse("referrals:list")).content.decode()
    assert mine.reference in page
    assert theirs.reference not in page and waiting.reference not in page


@pytest.mark.parametrize("url_name", MANAGER_ONLY)
def test_a_specialist_cannot_decide_even_their_own_referral(
    url_name: str, specialist: User, signed_in: Callable[..., Client]
) -> None:
    referral = CaseFactory(worker=specialist).referral
    client = signed_in(specialist)
    assert client.get(reverse(url_name, args=[referral.pk])).status_code == 403
    assert client.post(reverse(url_name, args=[referral.pk])).status_code == 403


def test_the_access_helper_gives_404_when_unseen_and_403_when_read_only(
    specialist: User, manager: User
) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    own = CaseFactory(worker=specialist).referral
    other = ReferralFactory()
    assert get_referral_for(specialist, own.pk) == own
    with pytest.raises(Http404):
        get_referral_for(specialist, other.pk)
    with pytest.raises(PermissionDenied):
        get_referral_for(specialist, own.pk, write=True)
    assert get_referral_for(manager, other.pk, write=True) == other


def test_a_manager_sees_every_referral(manager: User, signed_in: Callable[..., Client]) -> None:
    referrals = [ReferralFactory(), CaseFactory().referral]
    page = signed_in(manager).get(reverse("referrals:list")).content.decode()
    for referral in referrals:
        assert referral.reference in page


def test_opening_a_referral_is_written_to_the_access_log(
    manager: User, signed_in: Callable[..., Client]
) -> None:
    referral = ReferralFactory()
    signed_in(manager).get(reverse("referrals:detail", args=[referral.pk]))
    entry = AccessLog.objects.get(subject_type="referral")
    assert (entry.user, entry.subject_id) == (manager, referral.pk)


def test_a_post_without_csrf_is_refused(manager: User) -> None:
    from tests.conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), manager)
    referral = ReferralFactory()
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]))
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
