from __future__ import annotations

from celery import shared_task


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions() -> int:
    """Remove expired sessions from the database so no stale session rows linger."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(time_limit=1800, soft_time_limit=1700)
def apply_retention_schedule() -> dict[str, int]:
    """DP-2: anonymise everyone the retention schedule makes due today."""
    from django.utils import timezone

    from e4e.retention import apply_retention
    from e4e.system_user import system_user

    return apply_retention(today=timezone.localdate(), by=system_user())
