"""Session lifetime and ending sessions (SE-1, SE-2, SE-4, SE-5, SE-6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import services
from core.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/cases/"


def is_sent_to_sign_in(response: object) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_idle_for_31_minutes_means_signing_in_again(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in(specialist)
        assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(HOME)
    assert is_sent_to_sign_in(response)
    assert "expired=1" in response["Location"]


def test_an_active_session_still_ends_after_12_hours(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in(specialist)
    # Busy all day: a request every 20 minutes keeps the idle timer from running out.
    for step in range(1, 37):
        with time_machine.travel(start + timedelta(minutes=20 * step), tick=False):
            assert client.get(HOME).status_code == 200, step
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get(HOME)
    assert is_sent_to_sign_in(response)


def test_the_expired_session_page_says_what_happened(client: Client) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = "an-expired-session"
    response = client.get(HOME, follow=True)
    assert "Your session ended" in response.content.decode()


def test_deactivating_a_user_ends_their_sessions_at_once(
    signed_in: Callable[..., Client], specialist: User, admin_user: User
) -> None:
    client = signed_in(specialist)
    assert client.get(HOME).status_code == 200
    services.user_deactivate(user=specialist, by=admin_user)
    assert is_sent_to_sign_in(client.get(HOME))
    # And the password no longer signs in.
    response = Client().post("/sign-in/", {"username": specialist.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "deactivated" in response.content.decode() or "not right" in response.content.decode()


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    here, elsewhere = signed_in(specialist), signed_in(specialist)
    new = "a brand new long passphrase"
    response = here.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("accounts:account")
    assert here.get(HOME).status_code == 200
    assert is_sent_to_sign_in(elsewhere.get(HOME))


def test_an_admin_can_end_every_session_of_a_user(
    signed_in: Callable[..., Client], specialist: User, admin_user: User
) -> None:
    phone, laptop = signed_in(specialist), signed_in(specialist)
    admin = signed_in(admin_user)
    response = admin.post(reverse("users:end-sessions", args=[specialist.pk]))
    assert response.status_code == 302
    assert is_sent_to_sign_in(phone.get(HOME))
    assert is_sent_to_sign_in(laptop.get(HOME))
    assert admin.get(reverse("users:list")).status_code == 200
