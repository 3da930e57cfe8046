"""Reads of the upload-page import runs."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.jobs import STUCK_AFTER
from legacy_import.models import ImportRun
from legacy_import.services import RESTART_RUNNING_AFTER


def stuck_import_runs(now: datetime | None = None) -> QuerySet[ImportRun]:
    """Upload-page runs waiting for a worker for over 15 minutes (the sweep re-sends them
    every 5), or begun longer ago than any import can take."""
    now = now or timezone.now()
    return ImportRun.objects.filter(status__in=ImportRun.UNFINISHED).filter(
        Q(started_at__isnull=True, queued_at__lt=now - STUCK_AFTER)
        | Q(started_at__lt=now - RESTART_RUNNING_AFTER)
    )
