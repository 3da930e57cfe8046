"""The jobs of a return: its snapshot of the figures, its PDF and its CSV, each a row that
a Celery task works through.

Every job row is written in the same transaction as the change that needs it, and its
task is sent only when that transaction commits (JB-1). If the broker cannot take the
task, the job stays queued and the sweep sends it later (JB-2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import history, jobs
from core.models import User
from core.system_user import system_user
from reporting.models import QuarterlyReturn, ReturnJob
from reporting.services.common import FROZEN_MESSAGE, lock_return, require_manager

logger = structlog.get_logger("e4e.reporting")

#: Task limits (IN-5). The hard limit kills the task; its heartbeat then stops and the
#: sweep sends it again.
SOFT_TIME_LIMIT = 120
HARD_TIME_LIMIT = 180
#: Tries of one job: the first and three retries (JB-4).
MAX_ATTEMPTS = ReturnJob.MAX_ATTEMPTS
MAX_RETRIES = MAX_ATTEMPTS - 1

Progress = Callable[[int, str], None]


def job_create(*, quarterly_return: QuarterlyReturn, kind: str, by: User) -> ReturnJob:
    """Write the job row in the caller's transaction; send its task once that commits."""
    job = ReturnJob(quarterly_return=quarterly_return, kind=kind, requested_by=by, step="Queued")
    try:
        with transaction.atomic():
            history.save(job, by=by)
    except IntegrityError as error:
        raise ValidationError("This is already being built.", code="job_unfinished") from error
    jobs.send_on_commit(ReturnJob.job_task(), job.pk)
    return job


@transaction.atomic
def return_job_retry(*, job: ReturnJob, by: User) -> ReturnJob:
    """A new job of the same kind for a failed one (the failed row stays, with its reason)."""
    require_manager(by)
    locked = ReturnJob.objects.select_for_update().select_related("quarterly_return").get(pk=job.pk)
    if locked.status != ReturnJob.Status.FAILED:
        raise ValidationError("Only a failed job can be tried again.", code="not_failed")
    if locked.kind == ReturnJob.Kind.SNAPSHOT and locked.quarterly_return.is_signed_off:
        raise ValidationError(FROZEN_MESSAGE, code="frozen")
    newer = locked.quarterly_return.jobs.filter(kind=locked.kind, pk__gt=locked.pk)
    if newer.exists():
        raise ValidationError("This job has already been tried again.", code="retried")
    retry = job_create(quarterly_return=locked.quarterly_return, kind=locked.kind, by=by)
    logger.info("reporting.job_retry", **retry.as_log(), retries_job_id=locked.pk, user_id=by.pk)
    return retry


def return_jobs_sweep(*, now: datetime | None = None) -> list[int]:
    """Re-send jobs that were never picked up or whose worker died (JB-2, JB-5): the one
    sweep, core.jobs.sweep, for return jobs."""
    return jobs.sweep(ReturnJob, now=now)


def return_job_wait_again(job: ReturnJob, *, interrupted: bool) -> None:
    """The sweep's: put a job back to waiting for a worker."""
    job.status = ReturnJob.Status.QUEUED
    if interrupted:
        job.step = "Waiting to start again: the worker stopped"
    history.save(job, by=system_user())


def return_job_give_up(job: ReturnJob, *, now: datetime) -> None:
    """The sweep's: the worker stopped on every try, so the job is failed for good."""
    reason = (
        f"The worker stopped while building this {job.attempts} times. Try again; if it "
        "stops again, ask for help."
    )
    _mark_failed(job, reason, by=system_user(), now=now)


def _progress(job: ReturnJob, percent: int, step: str) -> None:
    # Written at once (outside any transaction), so the page polling the job sees it, with
    # the heartbeat; progress has no history row.
    job.touch(progress=max(0, min(100, percent)), step=step[:100])


def return_job_run(*, job_id: int) -> str:
    """Do the job's work; the task's body. Idempotent (JB-3): a finished job returns at once,
    a job a live worker holds is left alone (the claim), and each job writes its file under
    one name."""
    with transaction.atomic():
        job = ReturnJob.objects.select_related("quarterly_return").filter(pk=job_id).first()
        if job is None:
            logger.warning("reporting.job_missing", job_id=job_id)
            return "missing"
        if not job.claim(status=ReturnJob.Status.RUNNING, progress=5, step="Starting"):
            return "running elsewhere" if job.is_unfinished else str(job.status)
    logger.info("reporting.job_started", **job.as_log(), attempt=job.attempts)

    def progress(percent: int, step: str) -> None:
        _progress(job, percent, step)

    with jobs.heartbeat(job):
        run = _run_snapshot if job.kind == ReturnJob.Kind.SNAPSHOT else _run_file
        finished = run(job, progress)
    if not finished:
        logger.warning("reporting.job_taken_over", **job.as_log(), attempt=job.attempts)
        return "taken over"
    logger.info("reporting.job_done", **job.as_log(), attempt=job.attempts)
    return "done"


def _plain(value: Any) -> Any:
    """The figures as plain JSON values: Decimals become numbers, dates ISO strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _run_snapshot(job: ReturnJob, progress: Progress) -> bool:
    from caseload.pseudonyms import opcc_pseudonyms
    from reporting import figures
    from reporting.briefing import comparison_for
    from reporting.selectors import cases_active_in
    from reporting.services.case_update_drafts import case_updates_draft

    quarterly_return = job.quarterly_return
    start, end = quarterly_return.period_start, quarterly_return.period_end
    progress(10, "Computing the figures")
    doc = _plain(figures.quarterly_return(start, end))
    progress(60, "Comparing with last quarter")
    comparison = _plain(comparison_for(start, end))
    progress(70, "Listing the cases active in the quarter")
    # The OPCC's pseudonyms, never the evaluators': the two cannot be joined.
    active = opcc_pseudonyms(cases_active_in(start, end))
    progress(85, "Saving the figures and drafting the case updates")
    with transaction.atomic():
        locked_job = ReturnJob.objects.select_for_update().get(pk=job.pk)
        if not job.holds(locked_job):
            return False  # another worker took it over, or it finished
        locked = lock_return(quarterly_return)
        if locked.is_signed_off:
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        system = system_user()
        locked.figures = doc
        locked.comparison = comparison
        locked.active_cases = active
        locked.figures_computed_at = timezone.now()
        history.save(locked, by=system)
        # A draft update for each active case, from its record, for its specialist to write.
        case_updates_draft(quarterly_return=locked, by=system)
        _mark_done(locked_job, system)
    return True


def _run_file(job: ReturnJob, progress: Progress) -> bool:
    from reporting import pdf
    from reporting.selectors import opcc_figures

    quarterly_return = job.quarterly_return
    if not quarterly_return.is_signed_off or quarterly_return.figures is None:
        raise ValidationError("Only a signed-off return's files are built.")
    progress(10, "Applying the small-number rule")
    doc = opcc_figures(quarterly_return)
    if job.kind == ReturnJob.Kind.PDF:
        content = pdf.render_return_pdf(quarterly_return, doc, progress=progress)
    else:
        progress(50, "Writing the CSV")
        content = pdf.render_return_csv(quarterly_return, doc)
    progress(95, "Saving the file")
    with transaction.atomic():
        locked_job = ReturnJob.objects.select_for_update().get(pk=job.pk)
        if not job.holds(locked_job):
            return False  # another worker took it over, or it finished
        storage = locked_job.file.storage
        name = locked_job.file_name
        # The same name on every try: a second run replaces the file, never adds one.
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            raise RuntimeError("The file could not be saved under its own name.")
        locked_job.file.name = saved
        _mark_done(locked_job, system_user())
    return True


def _mark_done(job: ReturnJob, by: User) -> None:
    job.status = ReturnJob.Status.DONE
    job.progress = 100
    job.step = "Done"
    job.error = ""
    job.finished_at = timezone.now()
    history.save(job, by=by)


def _mark_failed(job: ReturnJob, reason: str, *, by: User, now: datetime | None = None) -> None:
    job.status = ReturnJob.Status.FAILED
    job.error = reason[:1000]
    job.step = "Failed"
    job.finished_at = now or timezone.now()
    history.save(job, by=by)
    logger.error("reporting.job_failed", **job.as_log(), attempts=job.attempts)


def failure_reason(error: BaseException) -> str:
    """A reason a manager can act on. Shown to managers only; logs get the type alone."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(error, SoftTimeLimitExceeded):
        return (
            f"Building this took longer than {SOFT_TIME_LIMIT} seconds and was stopped. "
            "Try again; if it fails again, ask for help."
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)[:1000]
    message = str(error).strip()
    return f"{type(error).__name__}: {message}"[:1000] if message else type(error).__name__


def return_job_attempt_failed(*, job_id: int, reason: str, final: bool) -> None:
    """Record a failed try: queued again for the retry, or failed for good after the last."""
    with transaction.atomic():
        job = ReturnJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (ReturnJob.Status.DONE, ReturnJob.Status.FAILED):
            return
        system = system_user()
        if final:
            _mark_failed(job, reason, by=system)
            return
        job.status = ReturnJob.Status.QUEUED
        job.error = f"Try {job.attempts} failed: {reason}"[:1000]
        job.step = "Waiting to try again"
        job.heartbeat_at = None
        job.queued_at = job.sent_at = timezone.now()
        history.save(job, by=system)
    logger.warning("reporting.job_retrying", **job.as_log(), attempts=job.attempts)
