"""Writes to the returns and their jobs. Views, tasks and commands all come through here.

A return is started as a draft with a job that snapshots its figures; the manager writes
the narrative and signs it off, which freezes it and queues the PDF and CSV builds. A
signed-off return never changes again: a correction is a new version of the same period.

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
from django.db.models import Max, Q
from django.utils import timezone

from core import history, jobs
from core.models import Role, User
from core.system_user import system_user
from reporting.models import QuarterlyReturn, ReturnJob

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

FROZEN_MESSAGE = (
    "This return has been signed off and can no longer change. "
    "To change it, start a correction: a new version of the return."
)

Progress = Callable[[int, str], None]


# --- Returns -----------------------------------------------------------------------------


def _lock(quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    return QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)


def _require_manager(user: User) -> None:
    if user.role != Role.MANAGER:
        raise ValidationError("Only a manager can do this.", code="not_manager")


@transaction.atomic
def return_start(*, start: date, end: date, by: User) -> QuarterlyReturn:
    """A new draft return for [start, end], with a job that snapshots its figures."""
    _require_manager(by)
    if end < start:
        raise ValidationError("The period must end on or after its start.")
    existing = QuarterlyReturn.objects.filter(period_start=start, period_end=end)
    if existing.filter(status=QuarterlyReturn.Status.DRAFT).exists():
        raise ValidationError(
            "A draft return for this quarter already exists: continue with that one.",
            code="draft_exists",
        )
    if existing.exists():
        raise ValidationError(
            "This quarter's return has been signed off. To change it, start a correction "
            "from the return's page.",
            code="signed_off_exists",
        )
    quarterly_return = _create_version(start=start, end=end, version=1, by=by)
    logger.info("reporting.return_started", return_id=quarterly_return.pk, user_id=by.pk)
    return quarterly_return


@transaction.atomic
def return_start_correction(*, quarterly_return: QuarterlyReturn, by: User) -> QuarterlyReturn:
    """Version n+1 of a signed-off return: a draft with fresh figures and, to start from,
    the narrative of version n. Version n stays as it was."""
    _require_manager(by)
    previous = _lock(quarterly_return)
    if not previous.is_signed_off:
        raise ValidationError("Only a signed-off return can be corrected.", code="not_signed_off")
    versions = QuarterlyReturn.objects.filter(
        period_start=previous.period_start, period_end=previous.period_end
    )
    if versions.filter(status=QuarterlyReturn.Status.DRAFT).exists():
        raise ValidationError(
            "A correction of this return is already in progress.", code="draft_exists"
        )
    latest = versions.aggregate(latest=Max("version"))["latest"] or previous.version
    if previous.version != latest:
        raise ValidationError(
            f"Version {latest} is the latest: correct that one instead.", code="not_latest"
        )
    correction = _create_version(
        start=previous.period_start,
        end=previous.period_end,
        version=latest + 1,
        by=by,
        narrative_from=previous,
    )
    logger.info(
        "reporting.correction_started",
        return_id=correction.pk,
        corrects_return_id=previous.pk,
        user_id=by.pk,
    )
    return correction


NARRATIVE_FIELDS = (
    "progress",
    "challenges",
    "service_user_feedback",
    "case_studies",
    "case_studies_consent",
    "case_updates",
)


def _create_version(
    *,
    start: date,
    end: date,
    version: int,
    by: User,
    narrative_from: QuarterlyReturn | None = None,
) -> QuarterlyReturn:
    quarterly_return = QuarterlyReturn(
        period_start=start, period_end=end, version=version, started_by=by
    )
    if narrative_from is not None:
        for name in NARRATIVE_FIELDS:
            setattr(quarterly_return, name, getattr(narrative_from, name))
    try:
        # A savepoint: two managers starting the same quarter at once meet the constraint
        # (one draft per period, unique version) and the second gets a clean error.
        with transaction.atomic():
            history.save(quarterly_return, by=by)
    except IntegrityError as error:
        raise ValidationError(
            "Someone else has just started a return for this quarter.", code="conflict"
        ) from error
    _job_create(quarterly_return=quarterly_return, kind=ReturnJob.Kind.SNAPSHOT, by=by)
    return quarterly_return


@transaction.atomic
def return_narrative_update(
    *,
    quarterly_return: QuarterlyReturn,
    progress: str,
    challenges: str,
    service_user_feedback: str,
    case_studies: str,
    case_studies_consent: bool,
    case_updates: list[dict[str, str]],
    by: User,
) -> QuarterlyReturn:
    """Save the manager's narrative on a draft. A signed-off return refuses any change."""
    _require_manager(by)
    locked = _lock(quarterly_return)
    if locked.is_signed_off:
        raise ValidationError(FROZEN_MESSAGE, code="frozen")
    if case_studies.strip() and not case_studies_consent:
        raise ValidationError(
            {
                "case_studies_consent": "Confirm that consent is recorded for each case "
                "study, or remove the case studies."
            }
        )
    locked.progress = progress.strip()
    locked.challenges = challenges.strip()
    locked.service_user_feedback = service_user_feedback.strip()
    locked.case_studies = case_studies.strip()
    locked.case_studies_consent = bool(case_studies_consent) and bool(locked.case_studies)
    locked.case_updates = _clean_case_updates(case_updates, locked.active_cases)
    history.save(locked, by=by)
    logger.info("reporting.narrative_saved", return_id=locked.pk, user_id=by.pk)
    return locked


UPDATE_PARTS = ("objectives", "achieved", "next_steps")


def _clean_case_updates(updates: list[dict[str, str]], active: list[str]) -> list[dict[str, str]]:
    """Keep one update per active case, in the order of the active cases; updates for a
    pseudonym that is not one of them are refused."""
    by_pseudonym = {str(u.get("pseudonym", "")): u for u in updates}
    unknown = sorted(set(by_pseudonym) - set(active))
    if unknown:
        raise ValidationError("An update names a case that was not active in the quarter.")
    cleaned = []
    for pseudonym in active:
        update = by_pseudonym.get(pseudonym, {})
        cleaned.append(
            {
                "pseudonym": pseudonym,
                **{part: str(update.get(part, "")).strip() for part in UPDATE_PARTS},
            }
        )
    return cleaned


def sign_off_problems(quarterly_return: QuarterlyReturn) -> list[str]:
    """What must be done before the return can be signed off (empty when nothing)."""
    problems = []
    if quarterly_return.figures is None:
        problems.append("The figures have not been computed yet.")
    for name, label in [
        ("progress", "progress since last quarter"),
        ("challenges", "challenges"),
        ("service_user_feedback", "service-user feedback"),
    ]:
        if not getattr(quarterly_return, name).strip():
            problems.append(f"Write the {label}.")
    if quarterly_return.case_studies.strip() and not quarterly_return.case_studies_consent:
        problems.append("Confirm that consent is recorded for each case study.")
    updates = {u.get("pseudonym"): u for u in quarterly_return.case_updates}
    missing = [
        pseudonym
        for pseudonym in quarterly_return.active_cases
        if not all(
            str((updates.get(pseudonym) or {}).get(part, "")).strip() for part in UPDATE_PARTS
        )
    ]
    if missing:
        problems.append(
            f"Write the objectives, what was achieved and the next steps for every case "
            f"active in the quarter ({len(missing)} still to do)."
        )
    return problems


@transaction.atomic
def return_sign_off(*, quarterly_return: QuarterlyReturn, by: User) -> QuarterlyReturn:
    """Sign the return off: it is frozen from now on, the OPCC can see it, and its PDF and
    CSV are queued for building (in this same transaction)."""
    _require_manager(by)
    locked = _lock(quarterly_return)
    if locked.is_signed_off:
        raise ValidationError("This return has already been signed off.", code="frozen")
    problems = sign_off_problems(locked)
    if problems:
        raise ValidationError(problems, code="incomplete")
    locked.status = QuarterlyReturn.Status.SIGNED_OFF
    locked.signed_off_by = by
    locked.signed_off_at = timezone.now()
    history.save(locked, by=by)
    _job_create(quarterly_return=locked, kind=ReturnJob.Kind.PDF, by=by)
    _job_create(quarterly_return=locked, kind=ReturnJob.Kind.CSV, by=by)
    logger.info("reporting.return_signed_off", return_id=locked.pk, user_id=by.pk)
    return locked


# --- Jobs --------------------------------------------------------------------------------


def _job_create(*, quarterly_return: QuarterlyReturn, kind: str, by: User) -> ReturnJob:
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
    _require_manager(by)
    locked = ReturnJob.objects.select_for_update().select_related("quarterly_return").get(pk=job.pk)
    if locked.status != ReturnJob.Status.FAILED:
        raise ValidationError("Only a failed job can be tried again.", code="not_failed")
    if locked.kind == ReturnJob.Kind.SNAPSHOT and locked.quarterly_return.is_signed_off:
        raise ValidationError(FROZEN_MESSAGE, code="frozen")
    newer = locked.quarterly_return.jobs.filter(kind=locked.kind, pk__gt=locked.pk)
    if newer.exists():
        raise ValidationError("This job has already been tried again.", code="retried")
    retry = _job_create(quarterly_return=locked.quarterly_return, kind=locked.kind, by=by)
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
    from core.pseudonyms import case_pseudonyms
    from reporting import figures
    from reporting.selectors import active_case_ids

    quarterly_return = job.quarterly_return
    start, end = quarterly_return.period_start, quarterly_return.period_end
    progress(10, "Computing the figures")
    doc = _plain(figures.quarterly_return(start, end))
    progress(70, "Listing the cases active in the quarter")
    active = sorted(case_pseudonyms(active_case_ids(start, end)))
    progress(90, "Saving the figures")
    with transaction.atomic():
        locked_job = ReturnJob.objects.select_for_update().get(pk=job.pk)
        if locked_job.status != ReturnJob.Status.RUNNING:
            return
        locked = _lock(quarterly_return)
        if locked.is_signed_off:
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        system = system_user()
        locked.figures = doc
        locked.active_cases = active
        locked.figures_computed_at = timezone.now()
        # Updates written for a case that is no longer active are dropped (never shown).
        kept = [u for u in locked.case_updates if u.get("pseudonym") in set(active)]
        locked.case_updates = _clean_case_updates(kept, active)
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
