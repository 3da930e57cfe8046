"""Emails with a set-password link cannot be used to flood an inbox: at most 5 an hour to
one address, and at most 20 reset requests an hour from one client address. A reset goes
only to an account that has finished its invitation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from core import services
from core.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_limit_window")]


def _reset(client: Client, email: str) -> int:
    return client.post("/forgotten-password/", {"email": email}).status_code


def test_at_most_five_reset_emails_an_hour_go_to_one_address(specialist: User) -> None:
    for n in range(8):
        assert _reset(Client(REMOTE_ADDR=f"10.9.0.{n}"), specialist.email) == 302
    assert len(mail.outbox) == 5  # the page reads the same; nothing more is sent


def test_one_client_address_can_ask_for_at_most_twenty_resets_an_hour() -> None:
    people = [UserFactory(email=f"p{n}@t.invalid") for n in range(22)]
    client = Client(REMOTE_ADDR="10.9.9.9")
    for person in people:
        assert _reset(client, person.email) == 302
    assert len(mail.outbox) == 20


def test_a_reset_is_not_sent_to_an_account_still_invited(admin_user: User) -> None:
    invited = services.user_invite(
        email="new@t.invalid", full_name="New Person", role="opcc", by=admin_user
    )
    mail.outbox.clear()
    assert _reset(Client(), invited.email) == 302
    assert mail.outbox == []


def test_invitations_to_one_person_are_limited_with_a_clear_message(
    admin_user: User, signed_in: Callable[..., Client], django_capture_on_commit_callbacks: object
) -> None:
    invited = services.user_invite(
        email="inv@t.invalid", full_name="Invited", role="opcc", by=admin_user
    )
    for _ in range(4):
        services.invitation_send(user=invited, by=admin_user)
    with pytest.raises(ValidationError, match="Try again in"):
        services.invitation_send(user=invited, by=admin_user)
