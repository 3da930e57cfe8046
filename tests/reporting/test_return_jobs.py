"""The background jobs of a return: nothing lost when a job fails (JB-1..JB-7, IN-5)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from core import jobs
from core.models import User
from core.system_user import SYSTEM_EMAIL
from core.tasks import sweep_background_jobs
from e4e.celery import app
from reporting import pdf, services, tasks
from reporting.models import QuarterlyReturn, ReturnJob
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    nothing_stuck,
    private_media,
    run_job,
    signed_off_return,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "eager_celery", "nothing_stuck"),
]
__all__ = ["eager_celery", "nothing_stuck", "private_media"]


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_the_job_is_written_with_the_return_and_sent_only_after_commit(
    manager: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(tasks.build_return_job, "delay", lambda job_id: sent.append(job_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quarterly_return = services.return_start(start=START, end=END, by=manager)
        job = quarterly_return.jobs.get()
        assert job.kind == ReturnJob.Kind.SNAPSHOT and job.status == ReturnJob.Status.QUEUED
    assert sent == []  # nothing is sent while the transaction is open (JB-1)
    for callback in callbacks:
        callback()
    assert sent == [job.pk]  # the task carries the job id only
    run_job(job)


def test_starting_a_return_computes_its_figures_in_the_background(manager: User) -> None:
    history = build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = run_job(quarterly_return.jobs.get())
    quarterly_return.refresh_from_db()
    assert job.status == ReturnJob.Status.DONE and job.progress == 100 and job.attempts == 1
    assert quarterly_return.figures is not None
    assert quarterly_return.figures["access"]["new_referrals"] == len(history.referrals)
    assert len(quarterly_return.active_cases) == len(history.cases)
    # The task's changes are recorded as the system user's (AL-1).
    assert quarterly_return.history.latest().history_user.email == SYSTEM_EMAIL
    assert job.history.latest().history_user.email == SYSTEM_EMAIL


def test_running_a_file_job_twice_gives_one_file_and_one_done_row(
    manager: User, private_media: Path
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="pdf")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF)
    assert tasks.build_return_job.apply(args=[job.pk]).get() == "done"
    assert tasks.build_return_job.apply(args=[job.pk]).get() == str(ReturnJob.Status.DONE)
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.DONE and job.attempts == 1
    pdfs = [path for path in files_under(private_media) if path.suffix == ".pdf"]
    assert pdfs == [private_media / job.file_name]
    assert quarterly_return.jobs.filter(kind=ReturnJob.Kind.PDF).count() == 1


def test_a_rerun_of_an_unfinished_job_replaces_its_file_rather_than_adding_one(
    manager: User, private_media: Path
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="csv")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.CSV)
    # A worker died after writing the file but before marking the job done.
    leftover = private_media / job.file_name
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half a file")
    run_job(job)
    assert [p for p in files_under(private_media) if p.suffix == ".csv"] == [leftover]
    assert leftover.read_bytes().startswith("\ufeffsection".encode())


def test_failures_are_retried_a_bounded_number_of_times_then_marked_failed(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="pdf")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF)
    calls = []

    def broken(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        raise OSError("pango could not load a font")

    monkeypatch.setattr(pdf, "render_return_pdf", broken)
    # No exception escapes the task: after the last try it ends normally (JB-4).
    result = tasks.build_return_job.apply(args=[job.pk])
    assert result.successful()
    job.refresh_from_db()
    assert len(calls) == 1 + services.MAX_RETRIES == 4
    assert job.status == ReturnJob.Status.FAILED
    assert job.attempts == 4
    assert "pango could not load a font" in job.error
    assert job.finished_at is not None


def test_a_failure_that_clears_up_is_retried_and_the_job_finishes(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="pdf")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF)
    real = pdf.render_return_pdf
    calls = []

    def flaky(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_return_pdf", flaky)
    tasks.build_return_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.DONE and job.attempts == 2 and job.error == ""


def test_a_render_that_hits_the_soft_time_limit_fails_at_once_and_is_not_lost(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IN-5: eager tasks have no time limits, so the limit is raised where WeasyPrint runs."""
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="pdf")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF)
    calls = []

    def endless(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise SoftTimeLimitExceeded()

    # The return is laid out in parts, each by pdf._layout: where WeasyPrint runs.
    monkeypatch.setattr(pdf, "_layout", endless)
    assert tasks.build_return_job.apply(args=[job.pk]).get() == "failed"
    job.refresh_from_db()
    assert len(calls) == 1  # a document too big once is too big again: no retry
    assert job.status == ReturnJob.Status.FAILED
    assert f"longer than {services.SOFT_TIME_LIMIT} seconds" in job.error


def test_with_the_broker_down_the_job_waits_and_the_sweep_sends_it_later(
    manager: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_history()

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("Error 111 connecting to redis:6379")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.build_return_job, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.QUEUED and job.sent_at is None

    # Within five minutes the sweep leaves it alone; after that it sends it (JB-2).
    assert services.return_jobs_sweep(now=timezone.now() + timedelta(minutes=4)) == []
    with django_capture_on_commit_callbacks(execute=True):
        resent = services.return_jobs_sweep(now=timezone.now() + timedelta(minutes=6))
    assert resent == [job.pk]
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.DONE
    quarterly_return.refresh_from_db()
    assert quarterly_return.figures is not None


def test_the_sweep_restarts_a_job_whose_heartbeat_stopped_a_minute_ago_and_not_before(
    manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    """JB-5: the worker was killed mid-task, so the job was left running."""
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    beat = timezone.now()
    job.status, job.attempts, job.started_at, job.heartbeat_at = "running", 1, beat, beat
    job.save()
    # Under a minute since its last heartbeat: its worker may be alive, so it is left alone.
    assert services.return_jobs_sweep(now=beat + timedelta(seconds=59)) == []
    with django_capture_on_commit_callbacks(execute=True):
        resent = services.return_jobs_sweep(now=beat + timedelta(seconds=61))
    assert resent == [job.pk]
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.DONE and job.attempts == 2


def test_a_slow_job_whose_heartbeat_is_fresh_is_not_sent_again(manager: User) -> None:
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    now = timezone.now()
    job.status, job.attempts = ReturnJob.Status.RUNNING, 1
    job.started_at, job.heartbeat_at = now - timedelta(minutes=30), now - timedelta(seconds=20)
    job.save()
    assert services.return_jobs_sweep(now=now) == []
    assert list(ReturnJob.stuck(now)) == []
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReturnJob.Status.RUNNING, 1)
    ReturnJob.objects.filter(pk=job.pk).update(status=ReturnJob.Status.DONE)


def test_the_sweep_gives_up_on_a_job_that_killed_its_worker_every_time(manager: User) -> None:
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    job.status, job.attempts = ReturnJob.Status.RUNNING, services.MAX_ATTEMPTS
    job.started_at = job.heartbeat_at = timezone.now()
    job.save()
    assert services.return_jobs_sweep(now=timezone.now() + timedelta(minutes=5)) == []
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.FAILED
    assert "worker stopped while building this 4 times. Try again" in job.error


def test_a_duplicate_delivery_of_a_running_job_leaves_it_alone(manager: User) -> None:
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    job.status, job.attempts, job.started_at = ReturnJob.Status.RUNNING, 1, timezone.now()
    job.heartbeat_at = timezone.now()
    job.save()
    assert services.return_job_run(job_id=job.pk) == "running elsewhere"
    job.refresh_from_db()
    assert job.attempts == 1
    job.status = ReturnJob.Status.DONE
    job.save()


def test_a_worker_whose_job_was_taken_over_does_not_write_its_result(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker stalled, the sweep sent the job again and a second worker claimed
    it: when the first one wakes, its file and its "done" are not written."""
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="csv")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.CSV)
    real = pdf.render_return_csv

    def stalls_then_is_overtaken(*args: Any, **kwargs: Any) -> bytes:
        later = timezone.now() + timedelta(minutes=2)
        with time_machine.travel(later, tick=False):
            services.return_jobs_sweep(now=later)
            second = ReturnJob.objects.get(pk=job.pk)  # the second worker
            assert second.claim(now=later, status=ReturnJob.Status.RUNNING)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_return_csv", stalls_then_is_overtaken)
    assert services.return_job_run(job_id=job.pk) == "taken over"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.file.name) == (ReturnJob.Status.RUNNING, 2, "")
    ReturnJob.objects.filter(pk=job.pk).update(status=ReturnJob.Status.DONE)


def test_each_progress_step_renews_the_heartbeat_without_a_history_row(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="csv")
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.CSV)
    real = pdf.render_return_csv
    seen = {}

    def render(*args: Any, **kwargs: Any) -> bytes:
        old = timezone.now() - timedelta(minutes=5)
        ReturnJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
        rows = job.history.count()
        services.jobs._progress(ReturnJob.objects.get(pk=job.pk), 60, "Half way")
        seen["job"] = ReturnJob.objects.get(pk=job.pk)
        seen["history"] = job.history.count() - rows
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_return_csv", render)
    run_job(job)
    assert seen["job"].heartbeat_at > timezone.now() - timedelta(seconds=5)
    assert (seen["job"].progress, seen["job"].step, seen["history"]) == (60, "Half way", 0)


def test_trying_a_failed_job_again_adds_a_job_and_keeps_the_failed_one(
    manager: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="csv")
    failed = quarterly_return.jobs.get(kind=ReturnJob.Kind.CSV)
    failed.status, failed.error = ReturnJob.Status.FAILED, "disk full"
    failed.save()
    with django_capture_on_commit_callbacks(execute=True):
        retry = services.return_job_retry(job=failed, by=manager)
    retry.refresh_from_db()
    failed.refresh_from_db()
    assert retry.pk != failed.pk and retry.status == ReturnJob.Status.DONE
    assert failed.status == ReturnJob.Status.FAILED and failed.error == "disk full"
    with pytest.raises(Exception, match="already been tried again"):
        services.return_job_retry(job=failed, by=manager)


def test_the_health_check_counts_jobs_stuck_for_fifteen_minutes(manager: User) -> None:
    """JB-7: the "nothing lost" measure."""
    quarterly_return = QuarterlyReturn.objects.create(
        period_start=START, period_end=END, started_by=manager
    )
    job = ReturnJob.objects.create(
        quarterly_return=quarterly_return, kind="snapshot", requested_by=manager
    )
    assert list(ReturnJob.stuck(timezone.now() + timedelta(minutes=14))) == []
    assert list(ReturnJob.stuck(timezone.now() + timedelta(minutes=16))) == [job]
    job.status = ReturnJob.Status.DONE
    job.save()


def test_the_tasks_are_bounded_and_the_sweep_is_scheduled() -> None:
    task = tasks.build_return_job
    assert task.max_retries == 3
    assert task.autoretry_for == (Exception,)
    assert task.retry_backoff and task.retry_jitter
    assert (task.soft_time_limit, task.time_limit) == (120, 180)
    assert task.acks_late is True
    # One sweep for every kind of job, often enough that an interrupted job is sent again
    # within two minutes of its worker dying.
    schedule = app.conf.beat_schedule["sweep-background-jobs"]
    assert schedule["task"] == "core.tasks.sweep_background_jobs"
    assert schedule["schedule"] == jobs.SWEEP_EVERY.total_seconds() <= 60
    slowest_resend = jobs.HEARTBEAT_EVERY + jobs.INTERRUPTED_AFTER + jobs.SWEEP_EVERY
    assert slowest_resend <= timedelta(minutes=2)
    # JB-6: the broker holds an unacknowledged task longer than the task can run.
    assert app.conf.broker_transport_options["visibility_timeout"] > task.time_limit


def test_the_sweep_is_idle_when_nothing_is_stuck() -> None:
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert sweep_background_jobs.apply().get() == 0
