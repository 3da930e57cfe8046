"""Assessment of a submitted bid against the published criteria, by an independent manager."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import User
from enterprise_fund.models import CRITERIA, Assessment, FundApplication
from enterprise_fund.services.common import lock_application, logger, save_checked
from enterprise_fund.services.decisions import check_independent


@transaction.atomic
def fund_application_assess(
    *,
    application: FundApplication,
    by: User,
    scores: Mapping[str, int],
    notes: Mapping[str, str],
    summary: str = "",
    on: date | None = None,
) -> Assessment:
    """Score a submitted application 1-5 against each published criterion, with notes."""
    application = lock_application(application)
    if not application.is_awaiting_decision:
        raise ValidationError("Only an application waiting for a decision can be assessed.")
    check_independent(application, by, "assess")
    assessment = Assessment(
        application=application,
        assessor=by,
        date=on or timezone.localdate(),
        summary=summary,
        **{name: scores.get(name) for name, _title, _guidance in CRITERIA},
        **{f"{name}_notes": notes.get(name, "") for name, _title, _guidance in CRITERIA},
    )
    save_checked(assessment, by)
    logger.info("fund.application_assessed", application_id=application.pk, by=by.pk)
    return assessment
