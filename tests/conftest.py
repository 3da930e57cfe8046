"""The cast of users every test can use, and signed-in clients for them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Role, User
from tests.factories import UserFactory, forget_names


@pytest.fixture(autouse=True)
def _distinct_names() -> None:
    forget_names()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Tests only: production keeps PBKDF2 (see tests/core/test_settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_rate_limit_counts(settings: pytest.FixtureRequest) -> None:
    # Every test counts from zero, whatever cache (a shared Redis in CI) holds.
    import uuid

    settings.E4E_RATELIMIT_NAMESPACE = f"{uuid.uuid4().hex}:"


@pytest.fixture
def one_rate_limit_window() -> Iterator[None]:
    """For tests that count up to an hourly limit: the clock starts twenty minutes into
    the hour (and runs on), so the fixed window cannot roll over half way through."""
    import datetime

    import time_machine

    start = datetime.datetime.now(datetime.UTC).replace(minute=20, second=0, microsecond=0)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: pytest.FixtureRequest) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def specialist(db: None) -> User:
    return UserFactory(email="specialist@example.org", full_name="Sam Owner", role=Role.SPECIALIST)


@pytest.fixture
def other_specialist(db: None) -> User:
    return UserFactory(
        email="other@example.org", full_name="Olly Other", role=Role.SPECIALIST, fte=Decimal("0.6")
    )


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(
        email="manager@example.org", full_name="Mo Manager", role=Role.MANAGER, fte=Decimal("0.2")
    )


@pytest.fixture
def opcc(db: None) -> User:
    return UserFactory(email="opcc@example.org", full_name="Oona Opcc", role=Role.OPCC)


@pytest.fixture
def evaluator(db: None) -> User:
    return UserFactory(
        email="evaluator@example.org", full_name="Eli Evaluator", role=Role.EVALUATOR
    )


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory(email="admin@example.org", full_name="Ada Admin", role=Role.ADMIN)


@pytest.fixture
def cast(
    specialist: User,
    other_specialist: User,
    manager: User,
    opcc: User,
    evaluator: User,
    admin_user: User,
) -> dict[str, User]:
    return {
        Role.SPECIALIST: specialist,
        Role.MANAGER: manager,
        Role.OPCC: opcc,
        Role.EVALUATOR: evaluator,
        Role.ADMIN: admin_user,
    }


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Sign `user` in on `client`, past the second factor unless told otherwise."""
    client.force_login(user)
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Authenticator app", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def signed_in() -> Callable[..., Client]:
    """`signed_in(user)` gives a fresh client signed in as the user."""

    def make(user: User, *, second_factor: bool = True) -> Client:
        return sign_in(Client(), user, second_factor=second_factor)

    return make
