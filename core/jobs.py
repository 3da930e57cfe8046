"""Background jobs: rows the user can see (queued, running, done, failed with the reason)
whose work a Celery task does, taking only the row's id.

Every job model is a `BackgroundJob`, so the health check (and anything else that asks
"is any background work stuck?") finds all of them without knowing the apps that own them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

import structlog
from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet

from core.models import BaseModel

logger = structlog.get_logger("e4e.jobs")

#: A job waiting or running for longer than this is stuck: "nothing lost" means none are.
STUCK_AFTER = timedelta(minutes=15)


class BackgroundJob(BaseModel):
    """A kind of job. Each concrete kind defines `stuck(now=None)`: a classmethod returning
    its jobs that waited or ran longer than they can (a system check, e4e.E002, refuses a
    kind that does not, so no job can be left out of the health check)."""

    class Meta:
        abstract = True


class StuckJobs(Protocol):
    @classmethod
    def stuck(cls, now: datetime | None = None) -> QuerySet[Any]: ...


def job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def job_models_without_stuck() -> list[type[BackgroundJob]]:
    return [model for model in job_models() if not callable(getattr(model, "stuck", None))]


def stuck_job_count(now: datetime | None = None) -> int:
    # Every kind defines stuck(): the system check e4e.E002 refuses one that does not.
    kinds = cast(list[type[StuckJobs]], job_models())
    return sum(kind.stuck(now).count() for kind in kinds)


class Task(Protocol):
    """A Celery task that takes one job id."""

    def delay(self, job_id: int) -> Any: ...


def send(task: Task, job_id: int) -> bool:
    """Hand a job's task to the broker. If that fails the job stays as it is, waiting: the
    job's sweep sends it again later, so nothing is lost and no one sees an error (JB-2)."""
    try:
        task.delay(job_id)
    except Exception as error:
        logger.warning("jobs.not_sent", job_id=job_id, error=type(error).__name__)
        return False
    return True


def send_on_commit(task: Task, job_id: int) -> None:
    """Send the job's task once the transaction that wrote the job commits: the one way a
    job is enqueued, so a write that committed never turns into an error page."""
    transaction.on_commit(functools.partial(send, task, job_id))


def sweep(
    stuck: QuerySet[Any],
    *,
    task: Task,
    again: Callable[[Any], bool],
    limit: int = 100,
) -> list[int]:
    """The one sweep of a kind of job: lock the `stuck` rows with SKIP LOCKED (two sweeps
    never take the same job), let `again(job)` either make the job ready to run again
    (True) or fail it for good (False), and send each one made ready once this commits."""
    resent: list[int] = []
    with transaction.atomic():
        rows: Iterable[Any] = stuck.select_for_update(skip_locked=True).order_by("pk")[:limit]
        for job in rows:
            if again(job):
                resent.append(job.pk)
                send_on_commit(task, job.pk)
    return resent
