"""With a real Redis and a real Celery worker: a return started while no worker runs waits,
and completes once a worker starts; a worker killed mid-job loses nothing: its heartbeat
stops, and the sweep sends the job again (JB-2, JB-5).

Needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both). Without them the tests are
skipped, unless E4E_WORKER_TESTS=require (CI sets it), which makes that a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from core.jobs import INTERRUPTED_AFTER, JobState
from core.models import Role, User
from reporting import services
from reporting.models import ReturnJob
from tests.factories import UserFactory
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    review_every_update,
    write_narrative,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PROJECT_DIR = Path(__file__).resolve().parents[2]
CELERY = PROJECT_DIR / ".venv" / "bin" / "celery"
REQUIRE_ENV = "E4E_WORKER_TESTS"
WAIT_SECONDS = 60


def _missing_prerequisites() -> list[str]:
    missing = []
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        missing.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        missing.append(f"the database is {connection.vendor}, not PostgreSQL")
    if not CELERY.exists():
        missing.append(f"{CELERY} is missing")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            missing.append(f"Redis at REDIS_URL does not answer ({type(error).__name__})")
    return missing


@pytest.fixture
def prerequisites() -> None:
    missing = _missing_prerequisites()
    if not missing:
        return
    message = "worker integration tests cannot run: " + "; ".join(missing)
    if os.environ.get(REQUIRE_ENV, "").strip().lower() == "require":
        pytest.fail(f"{message} ({REQUIRE_ENV}=require is set)", pytrace=False)
    pytest.skip(f"{message} (set {REQUIRE_ENV}=require to make this a failure)")


@pytest.fixture
def broker(prerequisites: None) -> Iterator[Any]:
    """The real broker: tasks are sent to Redis, not run in this process. Messages left in
    the queue by an earlier run are purged so that they cannot touch this test's rows."""
    from e4e.celery import app

    assert not app.conf.task_always_eager, "REDIS_URL is set, so tasks must not run eagerly"
    app.control.purge()
    yield app
    app.control.purge()
    # A killed worker's unacknowledged message would be redelivered after the visibility
    # timeout, into some later run: drop it (this Redis database is the tests' own).
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("unacked", "unacked_index")


def _database_url() -> str:
    """The URL of the test database (pytest-django's test_<name>), for the worker."""
    db = connection.settings_dict
    user = quote(str(db["USER"] or ""), safe="")
    password = quote(str(db["PASSWORD"] or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{quote(str(db['NAME']), safe='')}"


@pytest.fixture
def start_worker(
    broker: Any, settings: Any, tmp_path: Path
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """`start_worker()` starts a Celery worker in a subprocess on the test database; every
    worker started is stopped at the end."""
    media = tmp_path / "private-media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "e4e.settings_test",
        "DATABASE_URL": _database_url(),
        "E4E_PRIVATE_MEDIA_ROOT": str(media),
        "PYTHONUNBUFFERED": "1",
    }
    workers: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start() -> subprocess.Popen[bytes]:
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "e4e",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                "celery",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=e4e-test-{os.getpid()}-{len(workers) + 1}@%h",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        return process

    try:
        yield start
    finally:
        for process, log in workers:
            stop(process)
            if process.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL):
                sys.stderr.write(log.read_text(errors="replace")[-5000:])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: finish the task in hand
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for(job: ReturnJob, statuses: set[str], *, seconds: float = WAIT_SECONDS) -> ReturnJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.05)
    pytest.fail(f"job {job.pk} is still {job.status} after {seconds} s", pytrace=False)


@pytest.fixture
def manager_user(db: None) -> User:
    return UserFactory(email="manager@example.org", role=Role.MANAGER)


def test_a_return_started_with_no_worker_waits_then_completes_when_one_starts(
    manager_user: User, start_worker: Callable[[], subprocess.Popen[bytes]]
) -> None:
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager_user)
    job = quarterly_return.jobs.get()
    time.sleep(3)  # no worker: the task waits in Redis
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.QUEUED and job.attempts == 0

    worker = start_worker()
    job = wait_for(job, {ReturnJob.Status.DONE, ReturnJob.Status.FAILED})
    assert job.status == ReturnJob.Status.DONE, job.error
    quarterly_return.refresh_from_db()
    assert quarterly_return.figures is not None

    # Signing off sends the PDF and CSV builds to the same worker.
    write_narrative(quarterly_return, manager_user)
    review_every_update(quarterly_return, manager_user)
    services.return_sign_off(quarterly_return=quarterly_return, by=manager_user)
    for built in quarterly_return.jobs.filter(kind__in=["pdf", "csv"]):
        built = wait_for(built, {ReturnJob.Status.DONE, ReturnJob.Status.FAILED})
        assert built.status == ReturnJob.Status.DONE, built.error
        with built.file.open("rb") as handle:
            assert handle.read(5) in {b"%PDF-", b"\xef\xbb\xbfse"}
    stop(worker)
    assert worker.returncode == 0


def test_a_job_whose_worker_is_killed_mid_task_is_finished_after_the_sweep(
    manager_user: User, start_worker: Callable[[], subprocess.Popen[bytes]]
) -> None:
    """JB-5: SIGKILL (as the OOM killer would) while the PDF renders; the sweep re-sends."""
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager_user)
    services.return_job_run(job_id=quarterly_return.jobs.get().pk)  # figures, in-process
    quarterly_return.refresh_from_db()
    write_narrative(quarterly_return, manager_user)
    review_every_update(quarterly_return, manager_user)
    services.return_sign_off(quarterly_return=quarterly_return, by=manager_user)
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF)

    worker = start_worker()
    wait_for(job, {ReturnJob.Status.RUNNING, ReturnJob.Status.DONE})
    if job.status == ReturnJob.Status.DONE:
        pytest.fail("the PDF finished before the worker could be killed", pytrace=False)
    worker.kill()
    worker.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == ReturnJob.Status.RUNNING  # left behind by the dead worker
    # Its heartbeat stopped with it: a minute on, the job reads as interrupted.
    assert job.heartbeat_at is not None
    later = timezone.now() + INTERRUPTED_AFTER + timedelta(seconds=1)
    assert job.state_at(later) == JobState.INTERRUPTED

    resent = services.return_jobs_sweep(now=later)
    assert job.pk in resent
    start_worker()
    job = wait_for(job, {ReturnJob.Status.DONE, ReturnJob.Status.FAILED})
    assert job.status == ReturnJob.Status.DONE and job.attempts == 2
    csv = wait_for(quarterly_return.jobs.get(kind=ReturnJob.Kind.CSV), {ReturnJob.Status.DONE})
    assert csv.status == ReturnJob.Status.DONE
