"""A referral becomes a case: accepted to a worker with a place, under the cap."""

from __future__ import annotations

from datetime import date

import structlog
from django.db import transaction

from caseload.capacity import take_place
from caseload.case_access import follow_worker
from caseload.models import Case
from core import history
from core.models import User
from referrals.models import Referral
from referrals.services import referral_mark_accepted

logger = structlog.get_logger("e4e.referrals")


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    worker: User,
    by: User | None,
    decided_on: date | None = None,
    notify_referrer: bool = False,
) -> Case:
    """Accept the referral to `worker` and open their case, awaiting its initial assessment.

    The worker row is locked first (`take_place`), so two acceptances at the same moment
    cannot both take the last place. `notify_referrer`: see `referral_mark_accepted`.
    """
    worker = take_place(worker)
    referral = referral_mark_accepted(
        referral=referral, by=by, decided_on=decided_on, notify_referrer=notify_referrer
    )
    assert referral.decision_date is not None
    case = Case(referral=referral, worker=worker, accepted_date=referral.decision_date)
    case.full_clean()
    history.save(case, by=by)
    follow_worker(case)
    logger.info("referrals.accepted", referral_id=referral.pk, case_id=case.pk, worker=worker.pk)
    return case
