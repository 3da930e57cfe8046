"""A legacy upload holds everyone's details: its file goes 30 days after its run finished,
by a nightly task; the run and its results stay."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile

from core.models import User
from core.system_user import system_user
from legacy_import.models import ImportRun
from legacy_import.services import UPLOAD_REMOVED, import_uploads_remove_expired
from tests.reporting.returns_helpers import private_media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]
__all__ = ["private_media"]

NOW = datetime(2026, 11, 22, 2, 30, tzinfo=ZoneInfo("Europe/London"))


def run(manager: User, status: str, finished_days_ago: int | None) -> ImportRun:
    run = ImportRun(original_name="history.zip", started_by=manager, status=status)
    if finished_days_ago is not None:
        run.finished_at = NOW - timedelta(days=finished_days_ago)
    run.file.save("sample.zip", ContentFile(b"PK\x03\x04 everyone's details"), save=True)
    return run


def test_uploads_go_a_month_after_their_run_finished(manager: User, private_media: Path) -> None:
    done = run(manager, ImportRun.Status.DONE, 31)
    unconfirmed = run(manager, ImportRun.Status.CHECKED, 31)
    recent = run(manager, ImportRun.Status.REFUSED, 29)
    running = run(manager, ImportRun.Status.IMPORTING, None)
    kept_paths = {recent.file.path, running.file.path}

    assert import_uploads_remove_expired(now=NOW, by=system_user()) == 2

    done.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert not done.file and done.status == ImportRun.Status.DONE
    assert not unconfirmed.file
    assert (unconfirmed.status, unconfirmed.error) == (ImportRun.Status.FAILED, UPLOAD_REMOVED)
    assert {str(p) for p in private_media.rglob("*.zip")} == kept_paths
    assert import_uploads_remove_expired(now=NOW, by=system_user()) == 0


def test_a_nightly_task_removes_the_expired_uploads(manager: User) -> None:
    from e4e.celery import app
    from legacy_import.tasks import remove_expired_uploads

    entry = app.conf.beat_schedule["remove-expired-uploads"]
    assert entry["task"] == "legacy_import.tasks.remove_expired_uploads"
    assert entry["schedule"].hour == {2}
    done = run(manager, ImportRun.Status.DONE, 31)
    with time_machine.travel(NOW):
        assert remove_expired_uploads() == 1
    done.refresh_from_db()
    assert not done.file
