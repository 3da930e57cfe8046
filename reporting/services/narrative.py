"""The manager's narrative of a draft return, and what must be done before it can be signed
off (the narrative written, every active case's update reviewed)."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from core import history
from core.models import User
from reporting.models import CaseUpdate, QuarterlyReturn
from reporting.services.common import FROZEN_MESSAGE, lock_return, require_manager

logger = structlog.get_logger("e4e.reporting")


@transaction.atomic
def return_narrative_update(
    *,
    quarterly_return: QuarterlyReturn,
    progress: str,
    challenges: str,
    service_user_feedback: str,
    case_studies: str,
    case_studies_consent: bool,
    by: User,
) -> QuarterlyReturn:
    """Save the manager's narrative on a draft. A signed-off return refuses any change."""
    require_manager(by)
    locked = lock_return(quarterly_return)
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
    history.save(locked, by=by)
    logger.info("reporting.narrative_saved", return_id=locked.pk, user_id=by.pk)
    return locked


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
    waiting = updates_not_reviewed(quarterly_return)
    if waiting.total:
        problems.append(waiting.message())
    return problems


@dataclass(frozen=True)
class NotReviewed:
    """The active cases whose update is not reviewed yet, by how far each has got."""

    not_submitted: int
    submitted: int

    @property
    def total(self) -> int:
        return self.not_submitted + self.submitted

    def message(self) -> str:
        noun = "update is" if self.total == 1 else "updates are"
        return (
            f"{self.total} case {noun} not reviewed yet ({self.not_submitted} not submitted "
            f"by the specialist, {self.submitted} waiting for a manager's review). Every "
            "active case's update must be reviewed."
        )


def updates_not_reviewed(quarterly_return: QuarterlyReturn) -> NotReviewed:
    """How many of the return's active cases have an update not yet submitted (or none at
    all) and how many one submitted but not reviewed. One query."""
    counts = dict(
        quarterly_return.updates.values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    active = len(quarterly_return.active_cases)
    reviewed = counts.get(CaseUpdate.Status.REVIEWED, 0)
    submitted = counts.get(CaseUpdate.Status.SUBMITTED, 0)
    return NotReviewed(not_submitted=max(0, active - reviewed - submitted), submitted=submitted)
