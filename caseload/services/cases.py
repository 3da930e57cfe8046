"""Opening, closing, reopening and reassigning cases. Every change of a case's worker or
open/closed state goes through here (or, for the legacy import only, caseload.legacy)."""

from __future__ import annotations

from datetime import date

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.capacity import take_place
from caseload.case_access import follow_worker
from caseload.models import Case
from caseload.services.common import lock_case
from core import history
from core.codes import ClosureReason
from core.models import User

logger = structlog.get_logger("e4e.caseload")


@transaction.atomic
def case_start(*, case: Case, start_date: date, by: User | None) -> Case:
    """The initial assessment is done: active support begins on `start_date`."""
    case = lock_case(case)
    if case.start_date is not None:
        raise ValidationError("This case has already started.")
    if start_date < case.accepted_date:
        raise ValidationError(
            {"start_date": "The assessment cannot be before the referral was accepted."}
        )
    case.start_date = start_date
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_started", case_id=case.pk)
    return case


@transaction.atomic
def case_close(*, case: Case, closed_date: date, reason: str, by: User | None) -> Case:
    case = lock_case(case)
    if case.closed_date is not None:
        raise ValidationError("This case is already closed.")
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": "Choose why the case is closing."})
    if case.start_date is not None and closed_date < case.start_date:
        raise ValidationError({"closed_date": "A case cannot close before it started."})
    case.closed_date = closed_date
    case.closure_reason = reason
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_closed", case_id=case.pk, reason=reason)
    return case


def _lock_workers(*workers: User) -> dict[int, User]:
    """Lock worker rows in ascending id order (the fixed lock order: no deadlocks)."""
    ids = sorted({w.pk for w in workers})
    return {u.pk: u for u in User.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


@transaction.atomic
def case_reopen(*, case: Case, reason: str, by: User) -> Case:
    """Reopen a closed case; `reason` (why) is kept in its history. It takes a place in its
    worker's caseload again, under the worker row lock, like an acceptance."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the case is being reopened"})
    take_place(case.worker)  # the worker's row first: the lock order
    case = lock_case(case)
    if case.closed_date is None:
        raise ValidationError("This case is open.")
    case.closed_date = None
    case.closure_reason = ""
    case.full_clean()
    history.save(case, by=by, reason=reason.strip())
    logger.info("caseload.case_reopened", case_id=case.pk)
    return case


@transaction.atomic
def case_reassign(*, case: Case, worker: User, by: User) -> Case:
    """Move an open case to another worker with room for it. Both workers' rows are locked
    (in id order) so the cap holds against concurrent acceptances and reassignments; the
    case is visible to the new worker, and no longer to the old one, at once."""
    locked = _lock_workers(case.worker, worker)
    new_worker = locked[worker.pk]
    case = lock_case(case)
    if case.closed_date is not None:
        raise ValidationError("A closed case cannot be reassigned. Reopen it first.")
    if case.worker_id == new_worker.pk:
        raise ValidationError({"worker": "The case is already with this worker."})
    take_place(new_worker, field="worker")
    previous = case.worker_id
    case.worker = new_worker
    case.full_clean()
    history.save(case, by=by)
    follow_worker(case)
    logger.info("caseload.case_reassigned", case_id=case.pk, old=previous, new=new_worker.pk)
    return case
