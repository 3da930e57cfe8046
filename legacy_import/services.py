"""Legacy imports from the upload page: check (a dry run), confirm, import in the background.

The command line (import_legacy) and this page run the same importer; both record history
as the import (the system user).
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import history, jobs
from core.models import User
from legacy_import.models import ImportRun

logger = structlog.get_logger("e4e.imports")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ATTEMPTS = ImportRun.MAX_ATTEMPTS
ACCEPTED = {".zip": b"PK\x03\x04", ".xlsx": b"PK\x03\x04"}


def check_upload(upload: Any) -> str:
    """The file's extension if it is a zip or xlsx within the size limit, else an error."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError({"file": "Upload a .zip of the CSV files or an .xlsx workbook."})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "The file must be 20 MB or smaller."})
    head = upload.read(4)
    upload.seek(0)
    if head != ACCEPTED[suffix]:
        raise ValidationError({"file": f"This file is not a real {suffix} file."})
    return suffix


#: A run keeps (and its page shows) at most this many errors, and how many there were: a file
#: with 200,000 bad rows must not store megabytes of messages nor make a 16 MB page.
KEPT_ERRORS = 1000


def _result_dict(result: Any) -> dict[str, Any]:
    return {
        "counts": {name: asdict(counts) for name, counts in result.counts.items()},
        "warnings": list(result.warnings[:KEPT_ERRORS]),
        "errors": list(result.errors[:KEPT_ERRORS]),
        "error_count": len(result.errors),
    }


@transaction.atomic
def import_run_start(*, upload: Any, fund_total_pence: int | None, by: User) -> ImportRun:
    """Store the upload privately and check it in the background (nothing is imported)."""
    suffix = check_upload(upload)
    run = ImportRun(
        original_name=Path(upload.name).name[:200],
        fund_total_pence=fund_total_pence,
        started_by=by,
    )
    run.file.save(f"import-{secrets.token_hex(8)}{suffix}", upload, save=False)
    run.queued_at = run.sent_at = timezone.now()
    history.save(run, by=by)
    jobs.send_on_commit(ImportRun.job_task(), run.pk)
    logger.info("imports.started", run_id=run.pk, by=by.pk)
    return run


@transaction.atomic
def import_run_confirm(*, run: ImportRun, by: User) -> ImportRun:
    """Import a checked upload for real, in the background."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.CHECKED:
        raise ValidationError("Only a checked upload with no errors can be imported.")
    run.status = ImportRun.Status.IMPORTING
    run.confirmed_by = by
    run.queued_at = run.sent_at = timezone.now()
    run.started_at = run.heartbeat_at = None
    run.attempts = 0
    history.save(run, by=by)
    jobs.send_on_commit(ImportRun.job_task(), run.pk)
    return run


def import_run_execute(run_id: int) -> None:
    """The task's work: check or import, according to the run's status. Idempotent: a run
    that is not checking or importing, or that a live worker holds (a message delivered
    twice, or sent again while its worker was slow), is left as it is."""
    from legacy_import.importer import import_legacy

    run = ImportRun.objects.get(pk=run_id)
    if not run.claim():
        return
    checking = run.status == ImportRun.Status.CHECKING
    with jobs.heartbeat(run):
        result = import_legacy(
            run.file.path,
            fund_total_pence=run.fund_total_pence,
            dry_run=checking,
            from_upload=True,
            shown_name=run.original_name,
        )
    with transaction.atomic():
        current = ImportRun.objects.select_for_update().get(pk=run_id)
        if not run.holds(current):
            return  # another worker took it over, or it was failed meanwhile
        if checking:
            current.check_result = _result_dict(result)
            current.status = ImportRun.Status.CHECKED if result.ok else ImportRun.Status.REFUSED
        else:
            current.import_result = _result_dict(result)
            current.status = ImportRun.Status.DONE if result.ok else ImportRun.Status.FAILED
            current.error = "" if result.ok else "The import found errors and changed nothing."
        current.finished_at = timezone.now()
        current.save()
    logger.info("imports.finished", run_id=run_id, status=current.status)


def import_run_fail(run_id: int, reason: str) -> None:
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.status in ImportRun.UNFINISHED:
            run.status = ImportRun.Status.FAILED
            run.error = reason[:2000]
            run.finished_at = timezone.now()
            run.save()


#: An uploaded history holds everyone's details: it is kept only this long after its run
#: finished (the run's results stay).
UPLOAD_KEPT_DAYS = 30
UPLOAD_REMOVED = (
    "The uploaded file was removed 30 days after it was checked, before it was imported. "
    "Upload it again to import it."
)


def import_uploads_remove_expired(*, now: Any, by: User) -> int:
    """Delete the uploaded files of runs finished more than UPLOAD_KEPT_DAYS ago; a checked
    upload nobody confirmed can then no longer be imported. Returns how many went."""
    cutoff = now - timedelta(days=UPLOAD_KEPT_DAYS)
    expired = (
        ImportRun.objects.exclude(file="")
        .exclude(status__in=ImportRun.UNFINISHED)
        .filter(finished_at__lte=cutoff)
    )
    removed = 0
    for run_id in expired.values_list("pk", flat=True):
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run_id)
            if not run.file or run.status in ImportRun.UNFINISHED:
                continue
            run.file.delete(save=False)
            run.file = ""
            if run.status == ImportRun.Status.CHECKED:
                run.status = ImportRun.Status.FAILED
                run.error = UPLOAD_REMOVED
            history.save(run, by=by)
            removed += 1
    if removed:
        logger.info("imports.uploads_removed", count=removed)
    return removed


def import_runs_sweep(*, now: Any = None) -> list[int]:
    """Re-send runs that no worker began within 5 minutes of being sent, or whose worker
    died (its heartbeat stopped); after 3 tries a run is failed with the reason. The one
    sweep, core.jobs.sweep, for import runs."""
    return jobs.sweep(ImportRun, now=now)
