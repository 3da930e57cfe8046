"""Background work of the legacy import: checking and running an upload, and removing old
uploads (the sweep that re-sends stuck runs is core.tasks')."""

from __future__ import annotations

import structlog
from celery import shared_task

logger = structlog.get_logger("e4e.imports")


@shared_task(soft_time_limit=900, time_limit=960, acks_late=True)
def run_import(run_id: int) -> None:
    """Check or run an uploaded legacy import (legacy_import.services). Idempotent by run id."""
    from legacy_import.services import import_run_execute, import_run_fail

    try:
        import_run_execute(run_id)
    except Exception as error:
        logger.exception("imports.task_failed", run_id=run_id)
        import_run_fail(run_id, f"The import stopped unexpectedly ({type(error).__name__}).")


@shared_task(time_limit=600, soft_time_limit=540)
def remove_expired_uploads() -> int:
    """DP-2: delete the files uploaded for legacy imports whose runs finished a month ago."""
    from django.utils import timezone

    from core.system_user import system_user
    from legacy_import.services import import_uploads_remove_expired

    return import_uploads_remove_expired(now=timezone.now(), by=system_user())
