"""Background jobs: rows the user can see (queued, running, done, failed with the reason)
whose work a Celery task does, taking only the row's id.

Every job model is a `BackgroundJob`, so the health check (and anything else that asks
"is any background work stuck?") finds all of them without knowing the apps that own them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.db.models import QuerySet

from core.models import BaseModel

#: A job waiting or running for longer than this is stuck: "nothing lost" means none are.
STUCK_AFTER = timedelta(minutes=15)


class BackgroundJob(BaseModel):
    class Meta:
        abstract = True

    @classmethod
    def stuck(cls, now: datetime | None = None) -> QuerySet[BackgroundJob]:
        """The jobs of this kind that waited or ran longer than they can."""
        raise NotImplementedError(f"{cls.__name__} must say which of its jobs are stuck")


def job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def stuck_job_count(now: datetime | None = None) -> int:
    return sum(model.stuck(now).count() for model in job_models())
