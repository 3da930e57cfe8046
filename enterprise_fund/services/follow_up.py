"""After the award: the business starting, its income, and its stopping, which the case's
self-employment outcome and its trading checks follow."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.models import Outcome
from core.models import User
from enterprise_fund.models import FundApplication, IncomeReport
from enterprise_fund.services.common import lock_application, save_checked


@transaction.atomic
def fund_business_start(
    *,
    application: FundApplication,
    by: User,
    start_date: date,
    business_name: str,
    hours_per_week: Any,
) -> FundApplication:
    """The funded business has started: the case's self-employment outcome, which puts the
    26- and 52-week trading checks on the specialist's task list."""
    from caseload.services.outcomes import outcome_start

    application = lock_application(application)
    if application.status != FundApplication.Status.APPROVED:
        raise ValidationError("Record the business start once the application is approved.")
    if application.business_outcome_id is not None:
        raise ValidationError("The business start has already been recorded.")
    if application.case.closed_date is not None:
        raise ValidationError("This case is closed. Reopen it to record the business start.")
    outcome = outcome_start(
        case=application.case,
        by=by,
        type=Outcome.Type.SELF_EMPLOYMENT,
        start_date=start_date,
        hours_per_week=hours_per_week,
        employer_name=business_name,
    )
    application.business_outcome = outcome
    application.version += 1
    save_checked(application, by, "Business started")
    return application


@transaction.atomic
def fund_income_record(
    *,
    application: FundApplication,
    by: User,
    period_start: date,
    period_end: date,
    income_pence: int,
    notes: str = "",
) -> IncomeReport:
    """What the business earned over a period, as reported."""
    application = lock_application(application)
    if application.business_outcome_id is None:
        raise ValidationError("Record the business start before reporting its income.")
    if period_end < period_start:
        raise ValidationError({"period_end": "The period must end on or after its start"})
    report = IncomeReport(
        application=application,
        period_start=period_start,
        period_end=period_end,
        income_pence=income_pence,
        notes=notes,
        by=by,
    )
    save_checked(report, by)
    return report


@transaction.atomic
def fund_business_stop(
    *, application: FundApplication, by: User, end_date: date, reason: str
) -> FundApplication:
    """The business has stopped trading: ends the case's self-employment outcome (and the
    trading checks after the end), with the reason."""
    from caseload.services.outcomes import outcome_end

    application = lock_application(application)
    outcome = application.business_outcome
    if outcome is None:
        raise ValidationError("Record the business start first.")
    if outcome.end_date is not None:
        raise ValidationError("The business has already been recorded as stopped.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the business stopped"})
    outcome_end(outcome=outcome, end_date=end_date, reason=reason, by=by)
    application.version += 1
    save_checked(application, by, "Business stopped")
    return application
