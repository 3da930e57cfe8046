from __future__ import annotations

from celery import shared_task


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions() -> int:
    """Remove expired sessions from the database so no stale session rows linger."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
