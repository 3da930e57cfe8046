"""Fixtures for the referral tests: a partner link, the public form's answers, and a cache
and task queue of the test's own."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import User
from referrals.models import PartnerLink
from referrals.services import partner_link_create


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    # The partner-link rate limit counts in the cache: a fresh local cache per test, so
    # no count leaks between tests (nor from a shared Redis).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"referrals-test-{uuid.uuid4()}",
        }
    }


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # CI points Celery at Redis with no worker: run tasks in-process so their effect shows.
    from e4e.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture
def link_and_token(manager: User) -> tuple[PartnerLink, str]:
    return partner_link_create(
        organisation="Birmingham Probation (test)", source="probation", valid_days=30, by=manager
    )


@pytest.fixture
def partner_url(link_and_token: tuple[PartnerLink, str]) -> str:
    return reverse("referrals:partner-form", args=[link_and_token[1]])


def form_token(client: Client, url: str) -> str:
    """The one-time token of a freshly opened partner form."""
    response = client.get(url)
    assert response.status_code == 200
    return str(response.context["form"]["form_token"].value())


def partner_answers(token: str, **changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "referrer_name": "Pat Partner",
        "referrer_email": "pat@partner.example.org",
        "referrer_phone": "",
        "first_name": "Jordan",
        "last_name": "Sampleton",
        "date_of_birth_0": "5",
        "date_of_birth_1": "6",
        "date_of_birth_2": "2000",
        "gender": "male",
        "ethnicity": "not_stated",
        "preferred_language": "",
        "phone": "07700 900123",
        "email": "",
        "postcode": "b12 9lp",
        "cohort": "at_risk",
        "reason": "Wants to find work.",
        "wants": ["wants_work"],
        "unsafe_areas": "",
        "risk_notes": "",
        "consent": "yes",
        "form_token": token,
    }
    answers |= changes
    return answers


@pytest.fixture
def submit(partner_url: str) -> Callable[..., Any]:
    """`submit(client, **changes)`: open the partner form and send it with these changes."""

    def send(client: Client, **changes: Any) -> Any:
        token = form_token(client, partner_url)
        return client.post(partner_url, partner_answers(token, **changes))

    return send
