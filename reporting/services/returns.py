"""Starting a return (or a correction of a signed-off one), signing it off, and rebuilding
a signed-off return's files.

A return is started as a draft with a job that snapshots its figures; the manager writes
the narrative and signs it off, which freezes it and queues the PDF and CSV builds. A
signed-off return never changes again: a correction is a new version of the same period.
"""

from __future__ import annotations

from datetime import date

import structlog
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import history
from core.models import User
from reporting.models import QuarterlyReturn, ReturnJob
from reporting.services.common import lock_return, require_manager
from reporting.services.jobs import job_create
from reporting.services.narrative import sign_off_problems

logger = structlog.get_logger("e4e.reporting")


@transaction.atomic
def return_start(*, start: date, end: date, by: User) -> QuarterlyReturn:
    """A new draft return for [start, end], with a job that snapshots its figures."""
    require_manager(by)
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
    the narrative of version n (and, once its snapshot lists the active cases, version n's
    updates on those cases). Version n stays as it was."""
    require_manager(by)
    previous = lock_return(quarterly_return)
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
    job_create(quarterly_return=quarterly_return, kind=ReturnJob.Kind.SNAPSHOT, by=by)
    return quarterly_return


@transaction.atomic
def return_sign_off(*, quarterly_return: QuarterlyReturn, by: User) -> QuarterlyReturn:
    """Sign the return off: it is frozen from now on, the OPCC can see it, and its PDF and
    CSV are queued for building (in this same transaction)."""
    require_manager(by)
    locked = lock_return(quarterly_return)
    if locked.is_signed_off:
        raise ValidationError("This return has already been signed off.", code="frozen")
    problems = sign_off_problems(locked)
    if problems:
        raise ValidationError(problems, code="incomplete")
    locked.status = QuarterlyReturn.Status.SIGNED_OFF
    locked.signed_off_by = by
    locked.signed_off_at = timezone.now()
    history.save(locked, by=by)
    job_create(quarterly_return=locked, kind=ReturnJob.Kind.PDF, by=by)
    job_create(quarterly_return=locked, kind=ReturnJob.Kind.CSV, by=by)
    logger.info("reporting.return_signed_off", return_id=locked.pk, user_id=by.pk)
    return locked


@transaction.atomic
def return_files_rebuild(*, quarterly_return: QuarterlyReturn, by: User) -> list[ReturnJob]:
    """Queue the PDF and CSV of a signed-off return again (after a restore that lost them,
    or to replace a damaged file). They are built as at sign-off, from the frozen snapshot
    and narrative, never from live data, so their figures are the ones the OPCC received.
    Earlier builds stay; the downloads serve the newest finished one."""
    require_manager(by)
    locked = lock_return(quarterly_return)
    if not locked.is_signed_off:
        raise ValidationError(
            "Only a signed-off return's files can be rebuilt.", code="not_signed_off"
        )
    queued = [
        job_create(quarterly_return=locked, kind=kind, by=by)
        for kind in (ReturnJob.Kind.PDF, ReturnJob.Kind.CSV)
    ]
    logger.info(
        "reporting.return_files_rebuilt",
        return_id=locked.pk,
        job_ids=[job.pk for job in queued],
        user_id=by.pk,
    )
    return queued
