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
        queued_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    with pytest.raises(ServiceUnavailable, match="stuck"):
        BackgroundJobs().run()


@pytest.mark.parametrize(
    ("waited", "heartbeat", "stuck"),
    [
        (16 * 60, None, True),  # no worker took it for 16 minutes
        (14 * 60, None, False),
        (30 * 60, 61, True),  # its worker stopped a minute ago: interrupted
        (30 * 60, 20, False),  # begun long ago, but its worker is alive
    ],
)
def test_the_health_check_counts_waiting_and_interrupted_imports_as_stuck(
    waited: int, heartbeat: int | None, stuck: bool
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
        queued_at=now - datetime.timedelta(seconds=waited),
        started_at=now - datetime.timedelta(seconds=waited - 1),
        heartbeat_at=now - datetime.timedelta(seconds=heartbeat) if heartbeat else None,
    )
    if stuck:
        with pytest.raises(ServiceUnavailable, match="stuck"):
            BackgroundJobs().run()
    else:
        BackgroundJobs().run()


def test_the_health_check_counts_a_return_job_whose_worker_stopped_as_stuck() -> None:
    import datetime

    from django.utils import timezone
    from health_check.exceptions import ServiceUnavailable

    from core.health import BackgroundJobs
    from reporting.models import QuarterlyReturn, ReturnJob
    from tests.factories import UserFactory

    manager = UserFactory(role="manager")
    quarterly = QuarterlyReturn.objects.create(
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        started_by=manager,
    )
    now = timezone.now()
    job = ReturnJob.objects.create(
        quarterly_return=quarterly,
        kind="snapshot",
        requested_by=manager,
        status=ReturnJob.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=2),
        heartbeat_at=now - datetime.timedelta(seconds=30),
    )
    BackgroundJobs().run()  # running two minutes, heartbeat fresh: fine
    ReturnJob.objects.filter(pk=job.pk).update(heartbeat_at=now - datetime.timedelta(seconds=90))
    with pytest.raises(ServiceUnavailable, match="stuck"):
        BackgroundJobs().run()


def test_every_kind_of_background_job_says_how_it_is_sent_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from core import jobs
    from core.checks import every_job_kind_says_how_it_is_sent_again
    from legacy_import.models import ImportRun
    from reporting.models import ReturnJob

    assert set(jobs.job_models()) == {ReturnJob, ImportRun}
    assert every_job_kind_says_how_it_is_sent_again(None) == []
    odd = type("Odd", (), {"_meta": type("Meta", (), {"label": "app.Odd"}), "job_task": print})
    monkeypatch.setattr(jobs, "job_models", lambda: [ReturnJob, odd])
    errors = every_job_kind_says_how_it_is_sent_again(None)
    assert [error.id for error in errors] == ["e4e.E002"]
    assert "wait_again, give_up" in errors[0].msg
