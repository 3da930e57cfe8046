from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker(client: Client) -> None:
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    text = str(body)
    for check in ("Database", "Cache", "Broker", "BackgroundJobs"):
        assert check in text


def test_health_answers_503_when_the_broker_is_unreachable(
    client: Client, settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from e4e.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "The task broker is not reachable" in str(response.json())
    assert client.get("/health/").status_code == 503  # the HTML page too


def test_the_health_check_fails_when_a_background_job_is_stuck() -> None:
    import datetime

    from django.utils import timezone
    from health_check.exceptions import ServiceUnavailable

    from core.health import BackgroundJobs
    from reporting.models import QuarterlyReturn, ReturnJob
    from tests.factories import UserFactory

    BackgroundJobs().run()  # nothing stuck: no error
    manager = UserFactory(role="manager")
    quarterly = QuarterlyReturn.objects.create(
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        started_by=manager,
    )
    job = ReturnJob.objects.create(
        quarterly_return=quarterly, kind="snapshot", requested_by=manager
    )
    ReturnJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    with pytest.raises(ServiceUnavailable, match="stuck"):
        BackgroundJobs().run()


@pytest.mark.parametrize(
    ("waited", "began", "stuck"),
    [
        (16, None, True),  # no worker took it for 16 minutes
        (14, None, False),
        (30, 21, True),  # begun 21 minutes ago: longer than any import can run
        (30, 10, False),
    ],
)
def test_the_health_check_counts_upload_imports_that_are_stuck(
    waited: int, began: int | None, stuck: bool
) -> None:
    import datetime

    from django.utils import timezone
    from health_check.exceptions import ServiceUnavailable

    from core.health import BackgroundJobs
    from legacy_import.models import ImportRun
    from tests.factories import UserFactory

    now = timezone.now()
    ImportRun.objects.create(
        original_name="history.zip",
        file="imports/sample.zip",
        started_by=UserFactory(role="manager"),
        status=ImportRun.Status.IMPORTING,
        queued_at=now - datetime.timedelta(minutes=waited),
        started_at=now - datetime.timedelta(minutes=began) if began else None,
    )
    if stuck:
        with pytest.raises(ServiceUnavailable, match="stuck"):
            BackgroundJobs().run()
    else:
        BackgroundJobs().run()


def test_every_kind_of_background_job_says_which_of_its_jobs_are_stuck(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from core import jobs
    from core.checks import every_job_kind_says_which_jobs_are_stuck
    from legacy_import.models import ImportRun
    from reporting.models import ReturnJob

    assert set(jobs.job_models()) == {ReturnJob, ImportRun}
    assert every_job_kind_says_which_jobs_are_stuck(None) == []
    odd = type("Odd", (), {"_meta": type("Meta", (), {"label": "app.Odd"})})
    monkeypatch.setattr(jobs, "job_models", lambda: [ReturnJob, odd])
    errors = every_job_kind_says_which_jobs_are_stuck(None)
    assert [error.id for error in errors] == ["e4e.E002"]
