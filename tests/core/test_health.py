from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker(client: Client) -> None:
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    text = str(body)
    for check in ("Database", "Cache", "Broker"):
        assert check in text


def test_health_reports_an_unreachable_broker_as_a_failure(
    client: Client, settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from e4e.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert "The task broker is not reachable" in str(response.json())
