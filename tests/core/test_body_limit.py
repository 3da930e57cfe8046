"""Pages open to anyone refuse large bodies before reading them: a visitor who has not
signed in cannot make the service take in megabytes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from core.models import User

pytestmark = pytest.mark.django_db

BIG = "x" * (200 * 1024)


@pytest.mark.parametrize("path", ["/sign-in/", "/forgotten-password/", "/referrals/refer/abc/"])
def test_an_anonymous_post_over_64_kb_is_refused(client: Client, path: str) -> None:
    response = client.post(path, {"username": "a@b.invalid", "password": BIG})
    assert response.status_code == 413


def test_a_normal_sign_in_still_works(client: Client, specialist: User) -> None:
    from tests.factories import PASSWORD

    response = client.post("/sign-in/", {"username": specialist.email, "password": PASSWORD})
    assert response.status_code == 302


def test_signed_in_staff_are_not_held_to_the_anonymous_limit(
    signed_in: Callable[..., Client], manager: User
) -> None:
    response = signed_in(manager).post("/referrals/new/", {"first_name": BIG})
    assert response.status_code == 200  # the form answers with its errors
