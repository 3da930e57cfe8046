"""Nothing is lost on the upload page either: a check or import that no worker picked up,
or whose worker died (its heartbeat stopped), is sent again by the sweep; one that keeps
killing its worker is failed with the reason; a message delivered twice runs once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from core.models import User
from legacy_import import services as imports
from legacy_import.models import ImportRun
from legacy_import.services import import_run_execute, import_runs_sweep
from tests.reporting.returns_helpers import private_media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]
__all__ = ["private_media"]

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def run(manager: User, **fields: Any) -> ImportRun:
    run = ImportRun(original_name="history.zip", started_by=manager, **fields)
    run.file.save("sample.zip", ContentFile(b"PK\x03\x04"), save=True)
    return run


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The run ids sent to the broker (the task itself is not run)."""
    calls: list[int] = []
    from legacy_import import tasks

    monkeypatch.setattr(tasks.run_import, "delay", calls.append)
    return calls


def test_runs_nobody_picked_up_or_whose_worker_died_are_sent_again(
    manager: User, sent: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    waiting = run(manager, queued_at=NOW - timedelta(minutes=6), sent_at=NOW - timedelta(minutes=6))
    dead = run(
        manager,
        status=ImportRun.Status.IMPORTING,
        sent_at=NOW - timedelta(minutes=40),
        started_at=NOW - timedelta(minutes=3),
        heartbeat_at=NOW - timedelta(seconds=61),
        attempts=1,
    )
    two_minutes_ago = NOW - timedelta(minutes=2)
    just_sent = run(manager, queued_at=two_minutes_ago, sent_at=two_minutes_ago)
    working = run(
        manager,
        sent_at=NOW - timedelta(minutes=29),
        started_at=NOW - timedelta(minutes=28),
        heartbeat_at=NOW - timedelta(seconds=59),
        attempts=1,
    )
    finished = run(manager, status=ImportRun.Status.DONE, sent_at=NOW - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        resent = import_runs_sweep(now=NOW)

    assert sorted(resent) == sorted(sent) == sorted([waiting.pk, dead.pk])
    dead.refresh_from_db()
    assert (dead.heartbeat_at, dead.sent_at, dead.status) == (None, NOW, "importing")
    for untouched in (just_sent, working, finished):
        before = untouched.updated_at
        untouched.refresh_from_db()
        assert untouched.updated_at == before


def test_a_run_that_keeps_killing_its_worker_is_failed_with_the_reason(
    manager: User, sent: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    doomed = run(
        manager,
        status=ImportRun.Status.IMPORTING,
        started_at=NOW - timedelta(minutes=25),
        heartbeat_at=NOW - timedelta(minutes=2),
        attempts=imports.MAX_ATTEMPTS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_runs_sweep(now=NOW) == []
    doomed.refresh_from_db()
    assert doomed.status == ImportRun.Status.FAILED
    assert "stopped while working on this upload 3 times" in doomed.error
    assert sent == []


def test_a_message_delivered_twice_runs_once(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    now = timezone.now()
    busy = run(manager, started_at=now - timedelta(minutes=1), heartbeat_at=now, attempts=1)

    def must_not_run(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("A second worker imported the same upload")

    monkeypatch.setattr("legacy_import.importer.import_legacy", must_not_run)
    import_run_execute(busy.pk)
    busy.refresh_from_db()
    assert (busy.status, busy.attempts) == (ImportRun.Status.CHECKING, 1)


def test_an_import_whose_worker_was_overtaken_does_not_write_its_result(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its worker stalled past the heartbeat limit, the sweep sent the run again and another
    worker claimed it: when the first finishes, its result is not written over."""
    stalled = run(manager)

    def overtaken(*args: Any, **kwargs: Any) -> Any:
        from django.utils import timezone

        from legacy_import.importer.result import ImportResult

        later = timezone.now() + timedelta(minutes=2)
        assert import_runs_sweep(now=later) == [stalled.pk]
        assert ImportRun.objects.get(pk=stalled.pk).claim(now=later)

        return ImportResult(dry_run=True)

    monkeypatch.setattr("legacy_import.importer.import_legacy", overtaken)
    import_run_execute(stalled.pk)
    stalled.refresh_from_db()
    assert (stalled.status, stalled.attempts, stalled.check_result) == ("checking", 2, {})
