from __future__ import annotations

from celery import shared_task


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions() -> None:
    """Remove expired sessions so no stale session rows linger (Django's `clearsessions`),
    and the create forms' one-time keys older than a week (core.once)."""
    from django.core.management import call_command

    from core import once

    call_command("clearsessions")
    once.purge()


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


@shared_task(soft_time_limit=25, time_limit=30, ignore_result=True)
def sweep_background_jobs() -> int:
    """Every 30 seconds (beat): send again every kind of job that waited too long for a
    worker or whose worker stopped (its heartbeat did), or fail it after too many tries."""
    from core.jobs import sweep_all

    return sweep_all()
