"""The jobs of a return: its snapshot of the figures, its PDF and its CSV, each a row that
a Celery task works through.

Every job row is written in the same transaction as the change that needs it, and its
task is sent only when that transaction commits (JB-1). If the broker cannot take the
task, the job stays queued and the sweep sends it later (JB-2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import history, jobs
from core.models import User
from core.system_user import system_user
from reporting.models import QuarterlyReturn, ReturnJob
from reporting.services.common import FROZEN_MESSAGE, lock_return, require_manager
from reporting.services.narrative import clean_case_updates

logger = structlog.get_logger("e4e.reporting")

#: Task limits (IN-5). The hard limit kills the task; the sweep restarts a job that has
#: been running for longer than it plus a margin, since its worker must have died.
SOFT_TIME_LIMIT = 120
HARD_TIME_LIMIT = 180
#: Tries of one job: the first and three retries (JB-4).
MAX_RETRIES = 3
MAX_ATTEMPTS = MAX_RETRIES + 1
#: The sweep re-sends a job still queued this long after it was last sent (JB-2).
RESEND_QUEUED_AFTER = timedelta(minutes=5)
RESTART_RUNNING_AFTER = timedelta(seconds=HARD_TIME_LIMIT + 60)
SWEEP_BATCH = 100

Progress = Callable[[int, str], None]


def job_create(*, quarterly_return: QuarterlyReturn, kind: str, by: User) -> ReturnJob:
    """Write the job row in the caller's transaction; send its task once that commits."""
    job = ReturnJob(quarterly_return=quarterly_return, kind=kind, requested_by=by, step="Queued")
    try:
        with transaction.atomic():
            history.save(job, by=by)
    except IntegrityError as error:
        raise ValidationError("This is already being built.", code="job_unfinished") from error
    jobs.send_on_commit(_build_task(), job.pk)
    return job


def _build_task() -> jobs.Task:
    from reporting.tasks import build_return_job

    return build_return_job


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
    """Re-send jobs that were never picked up or whose worker died (JB-2, JB-5).

    Queued jobs last sent more than 5 minutes ago, and running jobs started longer ago than
    the hard time limit, are sent again. A job whose worker has died on every try is marked
    failed rather than sent forever.
    """
    now = now or timezone.now()
    queued_before = now - RESEND_QUEUED_AFTER
    system = system_user()

    def again(job: ReturnJob) -> bool:
        if job.status == ReturnJob.Status.RUNNING and job.attempts >= MAX_ATTEMPTS:
            reason = f"The worker stopped while building this {job.attempts} times."
            _mark_failed(job, reason, by=system, now=now)
            return False
        if job.status == ReturnJob.Status.RUNNING:
            job.status = ReturnJob.Status.QUEUED
            job.step = "Waiting to start again: the worker stopped"
        job.sent_at = now
        history.save(job, by=system)
        return True

    stuck = ReturnJob.objects.filter(
        Q(status=ReturnJob.Status.QUEUED, created_at__lt=queued_before)
        & (Q(sent_at__isnull=True) | Q(sent_at__lt=queued_before))
        | Q(status=ReturnJob.Status.RUNNING, started_at__lt=now - RESTART_RUNNING_AFTER)
    )
    resent = jobs.sweep(stuck, task=_build_task(), again=again, limit=SWEEP_BATCH)
    if resent:
        logger.info("reporting.jobs_resent", job_ids=resent)
    return resent


def _progress(job: ReturnJob, percent: int, step: str) -> None:
    # Saved at once (outside any transaction), so the page polling the job sees it; no
    # history row for progress.
    job.progress = max(0, min(100, percent))
    job.step = step[:100]
    job.save_without_historical_record(update_fields=["progress", "step", "updated_at"])  # type: ignore[attr-defined]


def return_job_run(*, job_id: int) -> str:
    """Do the job's work; the task's body. Idempotent (JB-3): a finished job returns at once,
    a job running elsewhere is left alone, and each job writes its file under one name."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            ReturnJob.objects.select_for_update()
            .select_related("quarterly_return")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            logger.warning("reporting.job_missing", job_id=job_id)
            return "missing"
        if job.status in (ReturnJob.Status.DONE, ReturnJob.Status.FAILED):
            return str(job.status)
        if (
            job.status == ReturnJob.Status.RUNNING
            and job.started_at is not None
            and job.started_at > now - RESTART_RUNNING_AFTER
        ):
            return "running elsewhere"
        job.status = ReturnJob.Status.RUNNING
        job.attempts += 1
        job.started_at = now
        job.progress = 5
        job.step = "Starting"
        history.save(job, by=system_user())
    logger.info("reporting.job_started", **job.as_log(), attempt=job.attempts)

    def progress(percent: int, step: str) -> None:
        _progress(job, percent, step)

    if job.kind == ReturnJob.Kind.SNAPSHOT:
        _run_snapshot(job, progress)
    else:
        _run_file(job, progress)
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


def _run_snapshot(job: ReturnJob, progress: Progress) -> None:
    from caseload.pseudonyms import opcc_pseudonyms
    from reporting import figures
    from reporting.selectors import cases_active_in

    quarterly_return = job.quarterly_return
    start, end = quarterly_return.period_start, quarterly_return.period_end
    progress(10, "Computing the figures")
    doc = _plain(figures.quarterly_return(start, end))
    progress(70, "Listing the cases active in the quarter")
    # The OPCC's pseudonyms, never the evaluators': the two cannot be joined.
    active = opcc_pseudonyms(cases_active_in(start, end))
    progress(90, "Saving the figures")
    with transaction.atomic():
        locked_job = ReturnJob.objects.select_for_update().get(pk=job.pk)
        if locked_job.status != ReturnJob.Status.RUNNING:
            return
        locked = lock_return(quarterly_return)
        if locked.is_signed_off:
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        system = system_user()
        locked.figures = doc
        locked.active_cases = active
        locked.figures_computed_at = timezone.now()
        # Updates written for a case that is no longer active are dropped (never shown).
        kept = [u for u in locked.case_updates if u.get("pseudonym") in set(active)]
        locked.case_updates = clean_case_updates(kept, active)
        history.save(locked, by=system)
        _mark_done(locked_job, system)


def _run_file(job: ReturnJob, progress: Progress) -> None:
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
        if locked_job.status != ReturnJob.Status.RUNNING:
            return
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
        job.sent_at = timezone.now()
        history.save(job, by=system)
    logger.warning("reporting.job_retrying", **job.as_log(), attempts=job.attempts)
