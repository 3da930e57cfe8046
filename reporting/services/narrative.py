"""The manager's narrative of a draft return, and what must be written before it can be
signed off."""

from __future__ import annotations

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction

from core import history
from core.models import User
from reporting.models import QuarterlyReturn
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
    case_updates: list[dict[str, str]],
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
    locked.case_updates = clean_case_updates(case_updates, locked.active_cases)
    history.save(locked, by=by)
    logger.info("reporting.narrative_saved", return_id=locked.pk, user_id=by.pk)
    return locked


UPDATE_PARTS = ("objectives", "achieved", "next_steps")


def clean_case_updates(updates: list[dict[str, str]], active: list[str]) -> list[dict[str, str]]:
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
