"""Writes to cases. Every change of a case's worker or open/closed state goes through here."""

from __future__ import annotations

from datetime import date

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.models import Case, InitialAssessment
from e4e.codes import ClosureReason
from e4e.models import User

logger = structlog.get_logger("e4e.caseload")


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_start(*, case: Case, start_date: date, by: User | None) -> Case:
    """The initial assessment is done: active support begins on `start_date`."""
    case = _lock(case)
    if case.start_date is not None:
        raise ValidationError("This case has already started.")
    if start_date < case.accepted_date:
        raise ValidationError(
            {"start_date": "The assessment cannot be before the referral was accepted."}
        )
    case.start_date = start_date
    case.full_clean()
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    logger.info("caseload.case_started", case_id=case.pk)
    return case


@transaction.atomic
def case_assess(
    *,
    case: Case,
    date: date,
    readiness: str,
    goal: str,
    barriers: list[str],
    benefits_situation: str,
    prior_similar_support: str,
    prior_support_details: str,
    notes: str,
    by: User,
) -> InitialAssessment:
    """Record the initial assessment; it starts active support on its date."""
    case_start(case=case, start_date=date, by=by)
    case = _lock(case)
    case.prior_similar_support = prior_similar_support
    case.prior_support_details = prior_support_details
    case.full_clean()
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    assessment = InitialAssessment(
        case=case,
        date=date,
        readiness=readiness,
        goal=goal,
        barriers=sorted(set(barriers)),
        benefits_situation=benefits_situation,
        notes=notes,
        by=by,
    )
    assessment.full_clean()
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save()
    return assessment


@transaction.atomic
def case_close(*, case: Case, closed_date: date, reason: str, by: User | None) -> Case:
    case = _lock(case)
    if case.closed_date is not None:
        raise ValidationError("This case is already closed.")
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": "Choose why the case is closing."})
    if case.start_date is not None and closed_date < case.start_date:
        raise ValidationError({"closed_date": "A case cannot close before it started."})
    case.closed_date = closed_date
    case.closure_reason = reason
    case.full_clean()
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    logger.info("caseload.case_closed", case_id=case.pk, reason=reason)
    return case
