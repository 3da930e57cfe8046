"""A referral becomes a case: accepted to a worker with a place, under the cap."""

from __future__ import annotations

from datetime import date

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.capacity import take_place
from caseload.case_access import follow_worker
from caseload.models import Case
from core import history
from core.models import User
from referrals.eligibility import Check, eligibility_checks
from referrals.models import Referral
from referrals.services import referral_mark_accepted

logger = structlog.get_logger("e4e.referrals")


def failed_checks(referral: Referral) -> list[Check]:
    """The eligibility checks the referral does not meet (those that cannot be told are
    shown to the screener, but do not stop acceptance)."""
    return [check for check in eligibility_checks(referral) if check.passed is False]


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    worker: User,
    by: User | None,
    decided_on: date | None = None,
    notify_referrer: bool = False,
    eligibility_override: str = "",
) -> Case:
    """Accept the referral to `worker` and open their case, awaiting its initial assessment.

    A referral that fails an eligibility check (referrals.eligibility: a check "Not met")
    is accepted only with `eligibility_override`, the reason, kept on the referral and in
    its history. The worker row is locked first (`take_place`), so two acceptances at the
    same moment cannot both take the last place. `notify_referrer`: see
    `referral_mark_accepted`.
    """
    failed = failed_checks(referral)
    if failed and not eligibility_override.strip():
        names = "; ".join(f"{check.name.lower()} ({check.reason})" for check in failed)
        raise ValidationError(
            {
                "eligibility_override": f"This referral does not meet every check: {names} "
                "Give the reason for accepting it anyway, or reject it."
            }
        )
    worker = take_place(worker)
    referral = referral_mark_accepted(
        referral=referral,
        by=by,
        decided_on=decided_on,
        notify_referrer=notify_referrer,
        eligibility_override=eligibility_override if failed else "",
    )
    assert referral.decision_date is not None
    case = Case(referral=referral, worker=worker, accepted_date=referral.decision_date)
    case.full_clean()
    history.save(case, by=by)
    follow_worker(case)
    logger.info("referrals.accepted", referral_id=referral.pk, case_id=case.pk, worker=worker.pk)
    return case
