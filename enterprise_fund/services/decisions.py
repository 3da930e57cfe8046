"""Decisions on a bid, with separation of duties: the managers who assess and decide a bid
are neither its submitter nor the case's specialist, an award takes the fund row lock
(fund_award), and an award above the threshold needs two managers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Role, User
from core.money import format_pounds
from enterprise_fund.models import Decision, Fund, FundApplication
from enterprise_fund.services.common import check_version, lock_application, logger, save_checked
from enterprise_fund.services.funds import InsufficientBalance, fund_award


class ConflictOfInterest(ValidationError):
    """Separation of duties: a manager may not assess or decide a bid they submitted, or one
    on their own case."""


def check_independent(application: FundApplication, user: User, action: str) -> None:
    if user.role != Role.MANAGER:
        raise ValidationError(f"Only a manager can {action} a fund application.")
    if application.case.worker_id == user.pk:
        raise ConflictOfInterest(
            f"You are the employment specialist on this case, so you cannot {action} its fund "
            "application: another manager must."
        )
    submitters = set(
        application.history.filter(status=FundApplication.Status.SUBMITTED).values_list(
            "history_user_id", flat=True
        )
    ) | {application.submitted_by_id}
    if user.pk in submitters:
        raise ConflictOfInterest(
            f"You submitted this application, so you cannot {action} it: another manager must."
        )


def check_second_approver(application: FundApplication, user: User) -> None:
    """An award over the threshold is approved by two different managers: the one who gave
    the first approval cannot give the second. The decision page asks this too, to say so
    before the form is sent."""
    awaiting_second = application.status == FundApplication.Status.AWAITING_SECOND_APPROVAL
    if awaiting_second and application.first_approved_by_id == user.pk:
        threshold = settings.E4E_FUND_SECOND_APPROVAL_PENCE
        raise ConflictOfInterest(
            f"You gave the first approval. Awards over {format_pounds(threshold)} need a "
            "second approval from a different manager."
        )


def _log_decision(application: FundApplication, by: User, **fields: Any) -> Decision:
    decision = Decision(application=application, by=by, **fields)
    save_checked(decision, by)
    return decision


def _log_approval(
    application: FundApplication,
    by: User,
    amount_pence: int,
    conditions: str,
    *,
    first_of_two: bool = False,
) -> Decision:
    """An approval in the decision log: with conditions when there are any."""
    return _log_decision(
        application,
        by,
        kind=Decision.Kind.APPROVED_WITH_CONDITIONS if conditions else Decision.Kind.APPROVED,
        first_of_two=first_of_two,
        amount_pence=amount_pence,
        conditions=conditions,
    )


@transaction.atomic
def fund_application_decide(
    *,
    application: FundApplication,
    by: User,
    decision: str,
    version: int | None,
    amount_pence: int | None = None,
    conditions: str = "",
    reason: str = "",
    decided_on: date | None = None,
) -> FundApplication:
    """Approve (up to the amount asked and the fund's balance), approve with conditions, ask
    for more information, or reject with a reason.

    The fund row and then the application row are locked (fund_award's order), and the form's
    `version` must be the application's: the same approval posted twice makes one award.
    An award above settings.E4E_FUND_SECOND_APPROVAL_PENCE is made at the second of two
    approvals by different managers; the first is recorded as waiting for the second.
    """
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    application = lock_application(application)
    check_version(application, version)
    if not application.is_awaiting_decision:
        raise ValidationError("This application is not waiting for a decision.")
    check_independent(application, by, "decide")
    today = decided_on or timezone.localdate()
    conditions, reason = conditions.strip(), reason.strip()
    if decision in (Decision.Kind.MORE_INFORMATION, Decision.Kind.REJECTED):
        return _refuse(application, by, decision, reason, today)
    if decision not in Decision.APPROVALS:
        raise ValidationError({"decision": "Choose a decision"})
    if decision == Decision.Kind.APPROVED_WITH_CONDITIONS and not conditions:
        raise ValidationError({"conditions": "Write down the conditions of the award"})
    if amount_pence is None or amount_pence <= 0:
        raise ValidationError({"amount": "Enter the amount to award"})
    if amount_pence > application.amount_requested_pence:
        raise ValidationError(
            {
                "amount": "The award cannot be more than the "
                f"{format_pounds(application.amount_requested_pence)} asked for"
            }
        )
    if not application.assessments.exists():
        raise ValidationError("Assess the application against the criteria before approving it.")
    if amount_pence > fund.remaining_pence:
        raise InsufficientBalance(fund, amount_pence)
    threshold = settings.E4E_FUND_SECOND_APPROVAL_PENCE
    if application.status == FundApplication.Status.AWAITING_SECOND_APPROVAL:
        first = application.first_approved_pence or 0
        check_second_approver(application, by)
        if amount_pence > first:
            raise ValidationError(
                {
                    "amount": f"The first approval was for {format_pounds(first)}: the second "
                    "cannot award more"
                }
            )
        conditions = "\n".join(dict.fromkeys(c for c in (application.conditions, conditions) if c))
    elif amount_pence > threshold:
        application.status = FundApplication.Status.AWAITING_SECOND_APPROVAL
        application.first_approved_by = by
        application.first_approved_pence = amount_pence
        application.conditions = conditions
        application.version += 1
        save_checked(application, by)
        _log_approval(application, by, amount_pence, conditions, first_of_two=True)
        logger.info("fund.first_approval", application_id=application.pk, by=by.pk)
        return application
    awarded = fund_award(
        application=application, amount_pence=amount_pence, decided_on=today, by=by
    )
    awarded.decided_by = by
    awarded.conditions = conditions
    awarded.version += 1
    save_checked(awarded, by)
    _log_approval(awarded, by, amount_pence, conditions)
    return awarded


def _refuse(
    application: FundApplication, by: User, decision: str, reason: str, today: date
) -> FundApplication:
    if not reason:
        raise ValidationError(
            {
                "reason": "Say what more information is needed"
                if decision == Decision.Kind.MORE_INFORMATION
                else "Give the reason for rejecting the application"
            }
        )
    if decision == Decision.Kind.REJECTED:
        application.status = FundApplication.Status.REJECTED
        application.decision_date = today
        application.decided_by = by
    else:
        application.status = FundApplication.Status.MORE_INFORMATION
    # A first approval waiting for its second no longer stands.
    application.first_approved_by = None
    application.first_approved_pence = None
    application.conditions = ""
    application.version += 1
    save_checked(application, by)
    _log_decision(application, by, kind=decision, reason=reason)
    logger.info("fund.application_refused", application_id=application.pk, decision=decision)
    return application
