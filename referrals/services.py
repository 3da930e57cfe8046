"""Writes to referrals: intake, screening decisions and acceptance under the capacity lock."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import Case
from caseload.selectors import open_case_count
from e4e.codes import RejectionReason
from e4e.models import Role, User
from referrals.models import Referral

logger = structlog.get_logger("e4e.referrals")

# No 0/O or 1/I: references are read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class CapacityReached(ValidationError):
    def __init__(self, worker: User) -> None:
        super().__init__(
            f"{worker.full_name} already has {worker.capacity} open cases, their full capacity. "
            "Choose someone else or put the referral on the waiting list."
        )
        self.worker = worker


class AlreadyDecided(ValidationError):
    def __init__(self, referral: Referral) -> None:
        super().__init__(
            f"Referral {referral.reference} has already been decided "
            f"({referral.get_status_display().lower()})."
        )


def new_reference() -> str:
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        reference = f"E4E-{code[:4]}-{code[4:]}"
        if not Referral.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def referral_create(*, by: User | None, **fields: Any) -> Referral:
    """Record a referral (staff entry, partner link or import). Validates every field."""
    referral = Referral(**fields)
    if not referral.reference:
        referral.reference = new_reference()
    if not referral.person_key:
        referral.person_key = f"p-{secrets.token_hex(8)}"
    referral.full_clean()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    logger.info("referrals.created", referral_id=referral.pk, source=referral.source)
    return referral


def _lock_undecided(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.is_decided:
        raise AlreadyDecided(locked)
    return locked


@transaction.atomic
def referral_accept(
    *, referral: Referral, worker: User, by: User | None, decided_on: date | None = None
) -> Case:
    """Accept the referral to `worker` and open their case, awaiting its initial assessment.

    The worker row is locked first, so two acceptances at the same moment cannot both
    take the last place: the cap is floor(25 * FTE) cases accepted and not closed.
    """
    worker = User.objects.select_for_update().get(pk=worker.pk)
    if worker.role not in Role.with_caseload() or not worker.is_active:
        raise ValidationError(f"{worker.full_name} does not hold a caseload.")
    referral = _lock_undecided(referral)
    if open_case_count(worker) >= worker.capacity:
        raise CapacityReached(worker)
    decided_on = decided_on or timezone.localdate()
    referral.status = Referral.Status.ACCEPTED
    referral.decision_date = decided_on
    referral.decided_by = by
    referral.rejection_reason = ""
    referral.rejection_rationale = ""
    referral.full_clean()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    case = Case(referral=referral, worker=worker, accepted_date=decided_on)
    case.full_clean()
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    logger.info("referrals.accepted", referral_id=referral.pk, case_id=case.pk, worker=worker.pk)
    return case


@transaction.atomic
def referral_reject(
    *,
    referral: Referral,
    reason: str,
    rationale: str,
    by: User | None,
    decided_on: date | None = None,
) -> Referral:
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": "Choose a reason for rejecting the referral."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Write down why the referral is rejected."})
    referral = _lock_undecided(referral)
    referral.status = Referral.Status.REJECTED
    referral.decision_date = decided_on or timezone.localdate()
    referral.decided_by = by
    referral.rejection_reason = reason
    referral.rejection_rationale = rationale.strip()
    referral.full_clean()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    logger.info("referrals.rejected", referral_id=referral.pk, reason=reason)
    return referral


@transaction.atomic
def referral_withdraw(
    *, referral: Referral, by: User | None, decided_on: date | None = None
) -> Referral:
    referral = _lock_undecided(referral)
    referral.status = Referral.Status.WITHDRAWN
    referral.decision_date = decided_on or timezone.localdate()
    referral.decided_by = by
    referral.full_clean()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    logger.info("referrals.withdrawn", referral_id=referral.pk)
    return referral


@transaction.atomic
def referral_set_status(*, referral: Referral, status: str, by: User | None) -> Referral:
    """Move an undecided referral between received, screening and the waiting list."""
    allowed = {Referral.Status.RECEIVED, Referral.Status.SCREENING, Referral.Status.WAITING_LIST}
    if status not in allowed:
        raise ValidationError("Use accept, reject or withdraw to decide a referral.")
    referral = _lock_undecided(referral)
    referral.status = status
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    return referral
