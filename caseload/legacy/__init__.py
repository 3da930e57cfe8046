"""The write paths only the legacy import uses.

The import writes the old system's history as it was recorded: it corrects a case's facts
(worker, dates, closure) directly, opens the case of a referral that was accepted without
one, and records or corrects distance travelled, offences, signposting, feedback, crises and
complaints, one by one or in bulk, without the case's row lock, on rows it has checked
first. No screen may do any of that, so these services are kept out of `caseload.services`,
and an import-linter contract in pyproject.toml lets no package but `legacy_import` import
this package.

The single-record services here take the fields by keyword, validate, save only when
something changed (so that repeating an import adds no history) and return the object.
Contacts and outcomes are recorded through `contact_record` and `outcome_record`, which the
screens' services build on, so they stay in `caseload.services`. What an import creates is
written in bulk by `caseload.legacy.bulk`: workers, referrals, cases and their records.
"""

from __future__ import annotations

from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.capacity import take_place
from caseload.case_access import follow_worker
from caseload.models import (
    Case,
    Complaint,
    CrisisEpisode,
    DistanceAssessment,
    Feedback,
    Offence,
    Signposting,
)
from caseload.services.common import (
    changed_fields,
    lock_case,
    record_or_correct,
    validate_and_save,
)
from core import history
from core.models import User
from referrals.models import Referral

logger = structlog.get_logger("e4e.caseload")

_CASE_UPDATABLE = frozenset(
    {
        "legacy_id",
        "worker",
        "accepted_date",
        "start_date",
        "prior_similar_support",
        "closed_date",
        "closure_reason",
    }
)


@transaction.atomic
def case_update(*, case: Case, by: User | None, **fields: Any) -> Case:
    """Correct a case's recorded facts (worker, dates, closure, prior support, legacy id).

    A case that ends up open with a worker it was not open with before takes a place in
    that worker's caseload, under the worker row lock, like an acceptance.
    """
    unknown = set(fields) - _CASE_UPDATABLE
    if unknown:
        raise ValueError(f"case_update cannot change {', '.join(sorted(unknown))}")
    case = lock_case(case)
    changes = changed_fields(case, fields)
    if not changes:
        return case
    was_open_for = case.worker_id if case.closed_date is None else None
    for name, value in changes.items():
        setattr(case, name, value)
    if case.closed_date is None:
        case.closure_reason = ""
        if case.worker_id != was_open_for:
            take_place(case.worker)
    validate_and_save(case, changes, by)
    if "worker" in changes:
        follow_worker(case)
    logger.info("caseload.case_updated", case_id=case.pk, fields=sorted(changes))
    return case


@transaction.atomic
def case_open(*, referral: Referral, worker: User, by: User | None) -> Case:
    """Open the case of a referral that was accepted without one (a legacy record)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.ACCEPTED or referral.decision_date is None:
        raise ValidationError("Only an accepted referral can have a case.")
    if Case.objects.filter(referral=referral).exists():
        raise ValidationError("This referral already has a case.")
    take_place(worker)
    case = Case(referral=referral, worker=worker, accepted_date=referral.decision_date)
    case.full_clean()
    history.save(case, by=by)
    follow_worker(case)
    logger.info("caseload.case_opened", case_id=case.pk, worker=worker.pk)
    return case


@transaction.atomic
def distance_assessment_record(
    *, by: User | None, assessment: DistanceAssessment | None = None, **fields: Any
) -> DistanceAssessment:
    return record_or_correct(DistanceAssessment, assessment, by, **fields)


@transaction.atomic
def offence_record(*, by: User | None, offence: Offence | None = None, **fields: Any) -> Offence:
    return record_or_correct(Offence, offence, by, **fields)


@transaction.atomic
def signposting_record(
    *, by: User | None, signposting: Signposting | None = None, **fields: Any
) -> Signposting:
    return record_or_correct(Signposting, signposting, by, **fields)


@transaction.atomic
def feedback_record(
    *, by: User | None, feedback: Feedback | None = None, **fields: Any
) -> Feedback:
    return record_or_correct(Feedback, feedback, by, **fields)


@transaction.atomic
def crisis_record(
    *, by: User | None, crisis: CrisisEpisode | None = None, **fields: Any
) -> CrisisEpisode:
    return record_or_correct(CrisisEpisode, crisis, by, **fields)


@transaction.atomic
def complaint_record(
    *, by: User | None, complaint: Complaint | None = None, **fields: Any
) -> Complaint:
    return record_or_correct(Complaint, complaint, by, **fields)
