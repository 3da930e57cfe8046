"""Background work for the returns: building a return's snapshot, PDF and CSV (the sweep
that re-sends jobs nothing picked up, or whose worker died, is core.tasks').

The task takes only a job id; the job row (reporting.models.ReturnJob) is the source of
truth and the work is in reporting.services.jobs (JB-1..JB-5).
"""

from __future__ import annotations

import structlog
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reporting.services.jobs import HARD_TIME_LIMIT, MAX_RETRIES, SOFT_TIME_LIMIT

logger = structlog.get_logger("e4e.imports")

#: Seconds before the first retry; doubled each time (with jitter), at most RETRY_BACKOFF_MAX.
RETRY_BACKOFF = 10
RETRY_BACKOFF_MAX = 120


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    max_retries=MAX_RETRIES,
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
    acks_late=True,
    ignore_result=True,
)
def build_return_job(self: Task, job_id: int) -> str:
    """Build one job. After the last try the job is marked failed with its reason and the
    task ends normally: nothing is left unhandled, and the page offers "Try again"."""
    from reporting.services import jobs

    try:
        return jobs.return_job_run(job_id=job_id)
    except SoftTimeLimitExceeded as error:
        # A document that big will not get smaller on a retry (IN-5).
        jobs.return_job_attempt_failed(job_id=job_id, reason=jobs.failure_reason(error), final=True)
        return "failed"
    except Exception as error:
        final = self.request.retries >= (self.max_retries or 0)
        jobs.return_job_attempt_failed(
            job_id=job_id, reason=jobs.failure_reason(error), final=final
        )
        if final:
            return "failed"
        if self.request.is_eager:
            # Eager (the embedded default, no worker) cannot retry later: retry now. An
            # eager Retry would otherwise escape to the caller with the job left queued.
            retry = self.apply(args=(job_id,), retries=self.request.retries + 1, throw=False)
            return str(retry.get(propagate=False))
        raise  # autoretry_for sends it again after the back-off


@shared_task(ignore_result=True)
def forget_stale_figures() -> None:
    """Delete the stored figures no one can read any more and the changes none needs."""
    from reporting.figures.stored import forget_stale

    snapshots, changes = forget_stale()
    logger.info("reporting.figures_forgotten", snapshots=snapshots, changes=changes)
