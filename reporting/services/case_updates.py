"""The written update on each case active in a return's quarter (statement of requirement
8.1), after the snapshot job has drafted it (reporting.services.case_update_drafts): the
case's specialist writes it and submits it; a manager reviews it, editing it if need be
(the history keeps every version, the specialist's included). Only reviewed updates go to
the OPCC, and a return is signed off only when all of them are reviewed.

Every write locks the return first, as sign-off does, so none lands after the sign-off:
once the return is signed off its updates never change.
"""

from __future__ import annotations

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import history
from core.models import Role, User
from reporting.models import CaseUpdate
from reporting.services.common import FROZEN_MESSAGE, lock_return

logger = structlog.get_logger("e4e.reporting")

#: What an empty part says, on its field (GOV.UK: "Enter ...").
MISSING = {
    "objectives": "Enter the objectives",
    "achieved": "Enter what was achieved",
    "next_steps": "Enter the next steps",
}
REVIEWED_MESSAGE = (
    "A manager has reviewed this update, so it can no longer be changed here. Ask a manager "
    "if it needs to change."
)


def _lock(update: CaseUpdate, by: User) -> CaseUpdate:
    """The update, locked with its return, once `by` may change it."""
    locked_return = lock_return(update.quarterly_return)
    if locked_return.is_signed_off:
        raise ValidationError(FROZEN_MESSAGE, code="frozen")
    locked = CaseUpdate.objects.select_for_update().get(pk=update.pk)
    locked.quarterly_return = locked_return
    if by.role == Role.MANAGER:
        return locked
    if by.role != Role.SPECIALIST or not _sees_case(by, locked):
        raise ValidationError("Only the case's specialist or a manager can do this.", code="who")
    if locked.is_reviewed:
        raise ValidationError(REVIEWED_MESSAGE, code="reviewed")
    return locked


def _sees_case(user: User, update: CaseUpdate) -> bool:
    from caseload.selectors import cases_visible_to

    return update.case_id is not None and (
        cases_visible_to(user).filter(pk=update.case_id).exists()
    )


def _texts(objectives: str, achieved: str, next_steps: str) -> dict[str, str]:
    return {
        "objectives": objectives.strip(),
        "achieved": achieved.strip(),
        "next_steps": next_steps.strip(),
    }


def _require_complete(texts: dict[str, str]) -> None:
    missing = {part: message for part, message in MISSING.items() if not texts[part]}
    if missing:
        raise ValidationError(missing, code="incomplete")


def _save_if_changed(update: CaseUpdate, texts: dict[str, str], *, by: User, reason: str) -> bool:
    """Set the text and save when it or the status changed (no history row for nothing)."""
    changed = any(getattr(update, part) != text for part, text in texts.items())
    for part, text in texts.items():
        setattr(update, part, text)
    stored = CaseUpdate.objects.filter(pk=update.pk).values_list("status", flat=True).get()
    if changed or stored != update.status:
        history.save(update, by=by, reason=reason)
        return True
    return False


@transaction.atomic
def case_update_save(
    *, update: CaseUpdate, objectives: str, achieved: str, next_steps: str, by: User
) -> CaseUpdate:
    """Save the text as it is, part-done if need be. A submitted update its specialist
    changes goes back to being a draft until they submit it again; a manager's edit keeps
    the status it has."""
    locked = _lock(update, by)
    texts = _texts(objectives, achieved, next_steps)
    changed = any(getattr(locked, part) != text for part, text in texts.items())
    if by.role == Role.SPECIALIST and changed:
        locked.status = CaseUpdate.Status.DRAFT
        locked.submitted_by, locked.submitted_at = None, None
    if locked.is_reviewed:
        # A manager's edit of a reviewed update: still reviewed, now by them.
        _require_complete(texts)
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
    if _save_if_changed(locked, texts, by=by, reason="Edited"):
        logger.info("reporting.case_update_saved", update_id=locked.pk, user_id=by.pk)
    return locked


@transaction.atomic
def case_update_submit(
    *, update: CaseUpdate, objectives: str, achieved: str, next_steps: str, by: User
) -> CaseUpdate:
    """The specialist's: save the update and send it to a manager to review. Every part
    must be written."""
    if by.role != Role.SPECIALIST:
        raise ValidationError("Only the case's specialist submits its update.", code="who")
    locked = _lock(update, by)
    texts = _texts(objectives, achieved, next_steps)
    _require_complete(texts)
    if locked.status != CaseUpdate.Status.SUBMITTED:
        locked.status = CaseUpdate.Status.SUBMITTED
        locked.submitted_by, locked.submitted_at = by, timezone.now()
    if _save_if_changed(locked, texts, by=by, reason="Submitted"):
        logger.info("reporting.case_update_submitted", update_id=locked.pk, user_id=by.pk)
    return locked


@transaction.atomic
def case_update_review(
    *, update: CaseUpdate, objectives: str, achieved: str, next_steps: str, by: User
) -> CaseUpdate:
    """The manager's: save the update as they leave it and mark it reviewed, ready for the
    OPCC. Every part must be written. An update its specialist has not submitted may be
    reviewed too (someone must, when its specialist is away)."""
    if by.role != Role.MANAGER:
        raise ValidationError("Only a manager reviews an update.", code="who")
    locked = _lock(update, by)
    texts = _texts(objectives, achieved, next_steps)
    _require_complete(texts)
    if not locked.is_reviewed:
        locked.status = CaseUpdate.Status.REVIEWED
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
    if _save_if_changed(locked, texts, by=by, reason="Reviewed"):
        logger.info("reporting.case_update_reviewed", update_id=locked.pk, user_id=by.pk)
    return locked
