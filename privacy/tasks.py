"""The nightly retention schedule (beat, 02:30)."""

from __future__ import annotations

from celery import shared_task


@shared_task(time_limit=1800, soft_time_limit=1700)
def apply_retention_schedule() -> dict[str, int]:
    """DP-2: anonymise everyone the retention schedule makes due today."""
    from django.utils import timezone

    from core.system_user import system_user
    from privacy.retention import apply_retention

    return apply_retention(today=timezone.localdate(), by=system_user())
