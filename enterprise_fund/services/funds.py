"""The fund and its ledger. Every award takes the fund row lock, so the balance never goes
below zero, even when two managers approve at the same moment."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import history
from core.models import User
from core.money import format_pounds
from enterprise_fund.models import Fund, FundApplication, LedgerEntry
from enterprise_fund.services.common import logger, save_checked


class InsufficientBalance(ValidationError):
    def __init__(self, fund: Fund, amount_pence: int) -> None:
        super().__init__(
            f"The fund has {format_pounds(fund.remaining_pence)} left, less than the "
            f"{format_pounds(amount_pence)} to award. Award less, or ask for the fund to be "
            "topped up."
        )


@transaction.atomic
def fund_create(*, name: str, total_pence: int, by: User) -> Fund:
    fund = Fund(name=name, total_pence=total_pence, remaining_pence=total_pence)
    fund.full_clean()
    history.save(fund, by=by)
    return fund


@transaction.atomic
def fund_set_total(
    *, fund: Fund, total_pence: int, by: User, reason: str, on: date | None = None
) -> Fund:
    """Change the fund's total allocation (a top-up or a reduction), recorded in the ledger."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    change = total_pence - fund.total_pence
    if change == 0:
        return fund
    awarded = fund.total_pence - fund.remaining_pence
    if total_pence < awarded:
        raise ValidationError(
            f"{format_pounds(awarded)} has already been awarded: the total cannot be less "
            "than that."
        )
    fund.total_pence = total_pence
    fund.remaining_pence = total_pence - awarded
    fund.full_clean()
    history.save(fund, by=by)
    LedgerEntry.objects.create(
        fund=fund,
        kind=LedgerEntry.Kind.ADJUSTMENT,
        date=on or timezone.localdate(),
        amount_pence=change,
        reason=reason,
        by=by,
    )
    logger.info("fund.total_changed", fund_id=fund.pk, change_pence=change, by=by.pk)
    return fund


@transaction.atomic
def fund_award(
    *, application: FundApplication, amount_pence: int, decided_on: date, by: User
) -> FundApplication:
    """Approve `application` for `amount_pence` under the fund row lock."""
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == FundApplication.Status.APPROVED:
        raise ValidationError("This application has already been approved.")
    if amount_pence <= 0 or amount_pence > application.amount_requested_pence:
        raise ValidationError(
            {"amount": "The award must be more than £0 and no more than the amount asked for."}
        )
    if amount_pence > fund.remaining_pence:
        raise InsufficientBalance(fund, amount_pence)
    fund.remaining_pence -= amount_pence
    history.save(fund, by=by, update_fields=["remaining_pence", "updated_at"])
    application.status = FundApplication.Status.APPROVED
    application.amount_awarded_pence = amount_pence
    application.decision_date = decided_on
    history.save(application, by=by)
    LedgerEntry.objects.create(
        fund=fund,
        kind=LedgerEntry.Kind.AWARD,
        application=application,
        date=decided_on,
        amount_pence=amount_pence,
        by=by,
    )
    logger.info("fund.awarded", application_id=application.pk, amount_pence=amount_pence)
    return application


@transaction.atomic
def fund_set_details(
    *, fund: Fund, name: str, period_start: date | None, period_end: date | None, by: User
) -> Fund:
    """Name the fund and set the period it covers."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": "The period must end after it starts."})
    fund.name, fund.period_start, fund.period_end = name, period_start, period_end
    save_checked(fund, by)
    return fund
