"""Writes to the fund. Every award takes the fund row lock, so the balance never goes below
zero, even when two managers approve at the same moment."""

from __future__ import annotations

from datetime import date
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction

from e4e.models import User
from enterprise_fund.models import Fund, FundApplication, LedgerEntry

logger = structlog.get_logger("e4e.fund")


class InsufficientBalance(ValidationError):
    def __init__(self, fund: Fund, amount_pence: int) -> None:
        super().__init__(
            f"The fund has £{fund.remaining_pence / 100:,.2f} left, less than the "
            f"£{amount_pence / 100:,.2f} to award. Award less, or ask for the fund to be topped up."
        )


def pounds_to_pence(amount: object) -> int:
    from decimal import Decimal

    return int((Decimal(str(amount)) * 100).to_integral_value())


@transaction.atomic
def fund_create(*, name: str, total_pence: int, by: User) -> Fund:
    fund = Fund(name=name, total_pence=total_pence, remaining_pence=total_pence)
    fund.full_clean()
    fund._history_user = by  # type: ignore[attr-defined]
    fund.save()
    return fund


@transaction.atomic
def fund_set_total(
    *, fund: Fund, total_pence: int, by: User, reason: str, on: date | None = None
) -> Fund:
    """Change the fund's total allocation (a top-up or a reduction), recorded in the ledger."""
    from django.utils import timezone

    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    change = total_pence - fund.total_pence
    if change == 0:
        return fund
    awarded = fund.total_pence - fund.remaining_pence
    if total_pence < awarded:
        raise ValidationError(
            f"£{awarded / 100:,.2f} has already been awarded: the total cannot be less than that."
        )
    fund.total_pence = total_pence
    fund.remaining_pence = total_pence - awarded
    fund.full_clean()
    fund._history_user = by  # type: ignore[attr-defined]
    fund.save()
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
    fund._history_user = by  # type: ignore[attr-defined]
    fund.save(update_fields=["remaining_pence", "updated_at"])
    application.status = FundApplication.Status.APPROVED
    application.amount_awarded_pence = amount_pence
    application.decision_date = decided_on
    application._history_user = by  # type: ignore[attr-defined]
    application.save()
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


_UNDECIDED = frozenset(
    {
        FundApplication.Status.DRAFT,
        FundApplication.Status.SUBMITTED,
        FundApplication.Status.MORE_INFORMATION,
    }
)
#: What an approval fixed: changed only by a decision made under the fund row lock.
_AWARD_FIELDS = frozenset(
    {"fund", "status", "decision_date", "amount_requested_pence", "amount_awarded_pence"}
)


@transaction.atomic
def fund_application_record(
    *, by: User | None, application: FundApplication | None = None, **fields: Any
) -> FundApplication:
    """Record a fund application (a legacy bid, say), or correct one.

    An approval moves money, so it is made with fund_award, and what it fixed (the status,
    the amounts, the decision date) cannot be changed here. Saves only when something changed.
    """
    approving = fields.get("status") == FundApplication.Status.APPROVED
    if approving and (application is None or application.status != FundApplication.Status.APPROVED):
        raise ValidationError({"status": "Approve an application with its award (fund_award)."})
    if application is None:
        application = FundApplication(**fields)
        changed = set(fields)
    else:
        application = FundApplication.objects.select_for_update().get(pk=application.pk)
        changed = {
            name
            for name, value in fields.items()
            if getattr(application, f"{name}_id" if name in ("fund", "case") else name)
            != getattr(value, "pk", value)
        }
        if not changed:
            return application
        if application.status == FundApplication.Status.APPROVED and changed & _AWARD_FIELDS:
            raise ValidationError("This application has been approved: its award stands.")
        for name in changed:
            setattr(application, name, fields[name])
    if application.status != FundApplication.Status.APPROVED:
        if application.status in _UNDECIDED:
            application.decision_date = None
        application.amount_awarded_pence = None
    application.full_clean()
    application._history_user = by  # type: ignore[attr-defined]
    application.save()
    logger.info("fund.application_recorded", application_id=application.pk, fields=sorted(changed))
    return application
