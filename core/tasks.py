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
    """DP-2: anonymise everyone the retention schedule makes due today, and delete the
    legacy uploads whose runs finished a month ago."""
    from django.utils import timezone

    from core.retention import apply_retention
    from core.system_user import system_user
    from reporting.imports import import_uploads_remove_expired

    done = apply_retention(today=timezone.localdate(), by=system_user())
    done["legacy uploads removed"] = import_uploads_remove_expired(
        now=timezone.now(), by=system_user()
    )
    return done


@shared_task(time_limit=600, soft_time_limit=540)
def check_invariants() -> list[str]:
    """CI-5: recompute the counters from their rows; log an error for each mismatch."""
    import structlog

    from core.invariants import all_problems

    problems = all_problems()
    logger = structlog.get_logger("e4e.invariants")
    for problem in problems:
        logger.error("invariants.broken", problem=problem)
    return problems
