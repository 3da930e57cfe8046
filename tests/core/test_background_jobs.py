"""What every kind of background job shares (core.jobs): a worker claims a job so that two
never run it at once, a running job writes its heartbeat, and one whose heartbeat stopped
is interrupted: shown so, and sent again by the sweep."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core import jobs
from core.jobs import JobState
from core.models import User
from legacy_import.models import ImportRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_run(**fields: object) -> ImportRun:
    manager = UserFactory(role="manager")
    return ImportRun.objects.create(
        file="imports/x.zip", original_name="history.zip", started_by=manager, **fields
    )


def test_of_two_workers_given_the_same_job_only_the_first_claims_it() -> None:
    run = a_run()
    first, second = ImportRun.objects.get(pk=run.pk), ImportRun.objects.get(pk=run.pk)
    assert first.claim() is True
    assert second.claim() is False
    assert (second.attempts, second.state) == (1, JobState.RUNNING)


def test_a_job_is_claimed_again_only_once_its_heartbeat_is_over_a_minute_old() -> None:
    run = a_run()
    assert run.claim()
    beat = run.heartbeat_at
    assert beat is not None
    assert not ImportRun.objects.get(pk=run.pk).claim(now=beat + timedelta(seconds=59))
    taker = ImportRun.objects.get(pk=run.pk)
    assert taker.claim(now=beat + timedelta(seconds=61))
    assert taker.attempts == 2
    # The first worker's claim no longer stands: its heartbeat and results are not written.
    assert not run.holds(ImportRun.objects.get(pk=run.pk))
    run.touch()
    assert ImportRun.objects.get(pk=run.pk).heartbeat_at == beat + timedelta(seconds=61)


def test_claiming_a_job_records_who_took_it_in_its_history() -> None:
    from core.system_user import SYSTEM_EMAIL

    run = a_run()
    assert run.claim()
    latest = run.history.latest()
    assert (latest.attempts, latest.history_user.email) == (1, SYSTEM_EMAIL)


def test_the_heartbeat_cannot_change_a_column_the_history_records() -> None:
    run = a_run()
    assert run.claim()
    with pytest.raises(ValueError, match="recorded in history"):
        run.touch(error="changed with no history row")
    assert ImportRun.objects.get(pk=run.pk).error == ""


def test_a_finished_job_cannot_be_claimed() -> None:
    run = a_run(status=ImportRun.Status.CHECKED)
    assert not run.claim()
    assert run.attempts == 0


@pytest.mark.parametrize(
    ("status", "heartbeat_seconds_ago", "state"),
    [
        (ImportRun.Status.CHECKING, None, JobState.WAITING),
        (ImportRun.Status.IMPORTING, 59, JobState.RUNNING),
        (ImportRun.Status.IMPORTING, 61, JobState.INTERRUPTED),
        (ImportRun.Status.CHECKED, 600, JobState.DONE),
        (ImportRun.Status.DONE, None, JobState.DONE),
        (ImportRun.Status.REFUSED, None, JobState.FAILED),
        (ImportRun.Status.FAILED, 600, JobState.FAILED),
    ],
)
def test_each_status_of_a_kind_reads_as_one_state_of_every_job(
    status: str, heartbeat_seconds_ago: int | None, state: JobState
) -> None:
    now = timezone.now()
    beat = None if heartbeat_seconds_ago is None else now - timedelta(seconds=heartbeat_seconds_ago)
    run = ImportRun(status=status, heartbeat_at=beat)
    assert run.state_at(now) == state


def test_the_sweep_of_every_kind_sends_again_only_jobs_whose_heartbeat_stopped(
    manager: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: object
) -> None:
    from legacy_import import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.run_import, "delay", sent.append)
    now = timezone.now()
    running = {"status": ImportRun.Status.IMPORTING, "attempts": 1, "started_at": now}
    alive = a_run(**running, heartbeat_at=now - timedelta(seconds=50))
    dead = a_run(**running, heartbeat_at=now - timedelta(seconds=70))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert jobs.sweep_all(now) == 1
    assert sent == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.state_at(now), dead.queued_at, dead.sent_at) == (JobState.WAITING, now, now)
    assert alive.state_at(now) == JobState.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_long_step_keeps_the_heartbeat_fresh_with_no_history_row() -> None:
    run = a_run()
    assert run.claim()
    long_ago = timezone.now() - timedelta(minutes=5)
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
    history_rows = run.history.count()
    with jobs.heartbeat(run, every=timedelta(milliseconds=20)):
        time.sleep(0.3)  # a long step that reports no progress
        during = ImportRun.objects.get(pk=run.pk).heartbeat_at
    assert during is not None and during > timezone.now() - timedelta(seconds=5)
    assert run.history.count() == history_rows
    # The heartbeat ends with the work.
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
    time.sleep(0.1)
    assert ImportRun.objects.get(pk=run.pk).heartbeat_at == long_ago
