"""Evaluators' API tokens: made behind the second factor and shown once, stored hashed,
accepted only on the API, only for GET, only while valid and only for an active evaluator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.api_tokens import MAX_ACTIVE, api_token_create
from core.models import AccessLog, ApiToken, User
from tests.factories import CaseFactory, evaluator_pseudonym

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]
RECORDS = "/reporting/api/v1/records/"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_evaluator_makes_a_token_shown_once_and_stored_hashed(
    signed_in: SignedIn, evaluator: User
) -> None:
    client = signed_in(evaluator)
    page = client.post(reverse("accounts:api-tokens"), {"name": "Weekly extract"})
    text = page.content.decode()
    token = ApiToken.objects.get()
    secret = text.split('<code class="app-secret-key">')[1].split("<")[0].strip()
    assert secret.startswith(token.prefix) and len(secret) > 40
    assert secret not in token.token_hash
    assert secret not in client.get(reverse("accounts:api-tokens")).content.decode()


def test_a_token_reads_the_api_without_a_session_and_is_logged(
    evaluator: User, specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    _token, secret = api_token_create(user=evaluator, name="Script")
    response = Client().get(RECORDS, **bearer(secret))
    assert response.status_code == 200
    assert response.json()["results"][0]["pseudonym"] == evaluator_pseudonym(case)
    assert AccessLog.objects.filter(user=evaluator, subject_id=case.pk).exists()


def test_a_token_only_reads_and_only_the_api(evaluator: User) -> None:
    _token, secret = api_token_create(user=evaluator, name="Script")
    assert Client().post(RECORDS, {}, **bearer(secret)).status_code == 403
    # Anywhere else the header is ignored: the page asks for a signed-in session.
    page = Client().get(reverse("evaluation:records"), **bearer(secret))
    assert page.status_code == 302 and page["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("spoil", ["revoked", "expired", "deactivated", "wrong", "role"])
def test_a_spoilt_token_is_refused(evaluator: User, spoil: str) -> None:
    token, secret = api_token_create(user=evaluator, name="Script")
    if spoil == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    elif spoil == "expired":
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save()
    elif spoil == "deactivated":
        evaluator.is_active = False
        evaluator.save()
    elif spoil == "role":
        evaluator.role = "manager"
        evaluator.fte = 1
        evaluator.save()
    elif spoil == "wrong":
        secret = secret[:-2] + "xx"
    response = Client().get(RECORDS, **bearer(secret))
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]
    assert not AccessLog.objects.exists()


def test_only_evaluators_make_tokens_and_only_a_few(
    signed_in: SignedIn, evaluator: User, manager: User
) -> None:
    assert signed_in(manager).get(reverse("accounts:api-tokens")).status_code == 403
    with pytest.raises(ValidationError, match="Only evaluators"):
        api_token_create(user=manager, name="Mine")
    for number in range(MAX_ACTIVE):
        api_token_create(user=evaluator, name=f"Token {number}")
    with pytest.raises(ValidationError, match="revoke one first"):
        api_token_create(user=evaluator, name="One too many")


def test_revoking_asks_first_and_then_the_token_stops_working(
    signed_in: SignedIn, evaluator: User
) -> None:
    token, secret = api_token_create(user=evaluator, name="Script")
    client = signed_in(evaluator)
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    assert "will stop working at once" in client.get(url).content.decode()
    assert Client().get(RECORDS, **bearer(secret)).status_code == 200
    client.post(url)
    assert Client().get(RECORDS, **bearer(secret)).status_code == 401


def test_nobody_revokes_someone_elses_token(signed_in: SignedIn, evaluator: User) -> None:
    from tests.factories import UserFactory

    other = UserFactory(role="evaluator")
    token, _secret = api_token_create(user=other, name="Theirs")
    client = signed_in(evaluator)
    assert client.post(reverse("accounts:api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("event", ["end sessions", "reset two-factor", "deactivate", "change role"])
def test_a_token_stops_working_when_the_persons_access_is_ended_or_changed(
    evaluator: User, admin_user: User, event: str
) -> None:
    from core import services

    _token, secret = api_token_create(user=evaluator, name="Script")
    assert Client().get(RECORDS, **bearer(secret)).status_code == 200
    if event == "end sessions":
        services.user_end_sessions(user=evaluator, by=admin_user)
    elif event == "reset two-factor":
        services.user_reset_second_factor(user=evaluator, by=admin_user)
    elif event == "deactivate":
        services.user_deactivate(user=evaluator, by=admin_user)
    else:
        services.user_update(
            user=evaluator,
            role="opcc",
            fte=None,
            full_name=evaluator.full_name,
            start_date=None,
            by=admin_user,
        )
        services.user_update(
            user=evaluator,
            role="evaluator",
            fte=None,
            full_name=evaluator.full_name,
            start_date=None,
            by=admin_user,
        )
    if event == "deactivate":
        services.user_reactivate(user=evaluator, by=admin_user)  # does not bring it back
    assert Client().get(RECORDS, **bearer(secret)).status_code == 401
    assert not ApiToken.objects.filter(user=evaluator, revoked_at__isnull=True).exists()
