"""AC-1, AC-2, AU-1: every URL has a rule, and the rule holds for every role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.access import policy
from core.models import Role, User
from tests.access_matrix import GET_STATUS, SIGNED_IN_GET_STATUS, URL_KWARGS, named_url_patterns

pytestmark = pytest.mark.django_db

ALL_URLS = sorted(policy())
ROLES = [role.value for role in Role]


def url_for(name: str, cast: dict[str, User]) -> str:
    kwargs = URL_KWARGS[name](cast) if name in URL_KWARGS else {}
    return reverse(name, kwargs=kwargs)


def test_every_url_pattern_has_an_access_rule() -> None:
    missing = sorted(set(named_url_patterns()) - set(policy()))
    assert missing == [], f"URLs without a rule in its app's access_policy.py: {missing}"


def test_every_access_rule_names_a_url_that_exists() -> None:
    stale = sorted(set(policy()) - set(named_url_patterns()))
    assert stale == [], f"Rules for URLs that do not exist: {stale}"


def test_a_url_without_a_rule_is_refused(
    monkeypatch: pytest.MonkeyPatch, signed_in: Callable[..., Client], admin_user: User
) -> None:
    monkeypatch.delitem(policy(), "users:list")
    assert signed_in(admin_user).get(reverse("users:list")).status_code == 403


@pytest.mark.parametrize("name", ALL_URLS)
def test_anonymous_is_sent_to_sign_in_unless_the_page_is_public(
    name: str, cast: dict[str, User], client: Client
) -> None:
    response = client.get(url_for(name, cast))
    if policy()[name].public:
        assert response.status_code == GET_STATUS.get(name, 200)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ALL_URLS)
def test_each_role_gets_the_status_its_rule_gives(
    name: str, role: str, cast: dict[str, User], signed_in: Callable[..., Client]
) -> None:
    rule = policy()[name]
    client = signed_in(cast[role])
    response = client.get(url_for(name, cast))
    if rule.allows_role(role):
        expected = SIGNED_IN_GET_STATUS.get(name, GET_STATUS.get(name, 200))
        assert response.status_code == expected, response
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", [n for n in ALL_URLS if not policy()[n].public])
def test_an_inactive_user_is_sent_to_sign_in(
    name: str, cast: dict[str, User], signed_in: Callable[..., Client]
) -> None:
    user = cast[Role.ADMIN]
    client = signed_in(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(url_for(name, cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    "name", [n for n in ALL_URLS if not (policy()[n].public or policy()[n].before_second_factor)]
)
def test_password_without_second_factor_is_sent_to_the_code_step(
    name: str, cast: dict[str, User], signed_in: Callable[..., Client]
) -> None:
    client = signed_in(cast[Role.MANAGER], second_factor=False)
    response = client.get(url_for(name, cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))


@pytest.mark.parametrize("name", ALL_URLS)
def test_get_writes_nothing_but_the_session(
    name: str, cast: dict[str, User], signed_in: Callable[..., Client]
) -> None:
    rule = policy()[name]
    role = next((r for r in ROLES if rule.allows_role(r)), Role.ADMIN)
    client = signed_in(cast[role])
    url = url_for(name, cast)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
        and "e4e_accesslog" not in q["sql"]
        # The return's figures stored once computed (reporting.figures.stored): a cache of
        # what the records say, the same whoever asks and whenever, not a change.
        and "reporting_figuresnapshot" not in q["sql"]
    ]
    assert writes == []


@pytest.mark.parametrize("name", ALL_URLS)
def test_every_response_forbids_caching(
    name: str, cast: dict[str, User], signed_in: Callable[..., Client]
) -> None:
    response = signed_in(cast[Role.ADMIN]).get(url_for(name, cast))
    assert "no-store" in response["Cache-Control"]


def test_a_failing_access_check_fails_closed(
    monkeypatch: pytest.MonkeyPatch, signed_in: Callable[..., Client], admin_user: User
) -> None:
    import core.access

    def broken(view_name: str | None) -> None:
        raise RuntimeError("policy unavailable")

    monkeypatch.setattr(core.access, "rule_for", broken)
    client = signed_in(admin_user)
    client.raise_request_exception = False
    response = client.get(reverse("users:list"))
    assert response.status_code == 500
    assert admin_user.email not in response.content.decode()
