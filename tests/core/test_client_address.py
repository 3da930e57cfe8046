"""The lockout counts failures per email (whatever its spelling) and per client address,
and behind the service's proxies the client address is the one they appended to
X-Forwarded-For, never an entry the client wrote itself."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from core.client import client_ip
from core.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _request(remote: str, forwarded: str | None = None) -> object:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy: the header is the client's, ignored
        (1, "198.51.100.66, 203.0.113.7", "203.0.113.7"),  # the first is spoofed
        (1, "203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the left-most
        (1, "", "10.0.0.1"),  # no header at all: the connection's address
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_appended(
    settings: pytest.FixtureRequest, proxies: int, forwarded: str, client: str
) -> None:
    settings.E4E_PROXY_COUNT = proxies
    assert client_ip(_request("10.0.0.1", forwarded)) == client  # type: ignore[arg-type]


def _fail(client: Client, email: str, **extra: str) -> None:
    client.post("/sign-in/", {"username": email, "password": "wrong password"}, **extra)


def test_the_lockout_counts_every_spelling_of_the_email_together(specialist: User) -> None:
    client = Client(REMOTE_ADDR="10.3.3.3")
    spellings = [specialist.email, specialist.email.upper(), f"  {specialist.email.title()} "]
    for n in range(10):
        _fail(client, spellings[n % 3])
    other_spelling = specialist.email.capitalize()
    locked = client.post("/sign-in/", {"username": other_spelling, "password": PASSWORD})
    assert locked.status_code == 429


def test_behind_one_proxy_a_client_cannot_escape_the_lockout_by_writing_the_header(
    settings: pytest.FixtureRequest, specialist: User
) -> None:
    settings.E4E_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.5")  # the proxy
    for n in range(10):
        _fail(client, specialist.email, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.50")
    locked = client.post(
        "/sign-in/",
        {"username": specialist.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.50",
    )
    assert locked.status_code == 429
    # Someone else behind the same proxy is not locked out.
    other = client.post(
        "/sign-in/",
        {"username": specialist.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert other.status_code == 302
