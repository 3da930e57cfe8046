from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker answers; with no broker configured, tasks run in-process."""

    def run(self) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return
        from celery import current_app as app  # the project's app, set up by e4e/celery.py

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
        except Exception as error:
            raise ServiceUnavailable("The task broker is not reachable") from error

    def pretty_status(self) -> str:
        return "OK (tasks run in-process)" if settings.CELERY_TASK_ALWAYS_EAGER else "OK"


@dataclasses.dataclass
class BackgroundJobs(HealthCheck):
    """JB-7: no background job of any kind has waited for a worker for over 15 minutes, or
    lost its worker (its heartbeat stopped) without being sent again yet."""

    def run(self) -> None:
        from core.jobs import stuck_job_count

        stuck = stuck_job_count()
        if stuck:
            raise ServiceUnavailable(
                f"{stuck} background job(s) stuck: waiting for over 15 minutes, "
                "or their worker stopped"
            )


class ServiceHealthView(HealthCheckView):
    """django-health-check's page, answering 503 Service Unavailable (not 500) when a check
    fails: load balancers and uptime monitors read 503 as "take this instance out of
    service", where a 500 looks like a bug in the health page itself."""

    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response
