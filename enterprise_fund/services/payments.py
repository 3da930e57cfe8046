"""Payments out of an award, each with its receipt or invoice."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Role, User
from core.money import format_pounds
from enterprise_fund.models import Attachment, Fund, FundApplication, LedgerEntry, Payment
from enterprise_fund.services.attachments import remove_file, store_attachment
from enterprise_fund.services.common import check_version, lock_application, logger, save_checked


@transaction.atomic
def fund_payment_record(
    *,
    application: FundApplication,
    by: User,
    version: int | None,
    date: date,
    amount_pence: int,
    payee: str,
    payee_name: str,
    reference: str,
    evidence_kind: str,
    evidence: Any,
) -> Payment:
    """Pay part or all of an award to a supplier or the applicant, with a receipt or invoice.
    Under the fund and application row locks the total paid never exceeds the award."""
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    application = lock_application(application)
    check_version(application, version)
    if by.role != Role.MANAGER:
        raise ValidationError("Only a manager can record a payment.")
    if application.status != FundApplication.Status.APPROVED:
        raise ValidationError("Only an approved application can be paid.")
    if amount_pence <= 0:
        raise ValidationError({"amount": "Enter the amount paid"})
    left = application.amount_left_to_pay_pence
    if amount_pence > left:
        raise ValidationError(
            {
                "amount": f"{format_pounds(application.amount_paid_pence)} of the "
                f"{format_pounds(application.amount_awarded_pence)} award has been paid: at most "
                f"{format_pounds(left)} can be paid now"
            }
        )
    if application.decision_date and date < application.decision_date:
        awarded_on = f"{application.decision_date:%-d %B %Y}"
        raise ValidationError({"date": f"A payment cannot be before the award ({awarded_on})"})
    if evidence_kind not in Attachment.EVIDENCE_KINDS:
        raise ValidationError({"evidence_kind": "Say whether the evidence is a receipt or invoice"})
    attachment = store_attachment(application, evidence_kind, evidence, by)
    try:
        payment = Payment(
            application=application,
            date=date,
            amount_pence=amount_pence,
            payee=payee,
            payee_name=payee_name,
            reference=reference,
            evidence=attachment,
            by=by,
        )
        save_checked(payment, by)
        save_checked(
            LedgerEntry(
                fund=fund,
                kind=LedgerEntry.Kind.PAYMENT,
                application=application,
                date=date,
                amount_pence=amount_pence,
                reason=f"Paid to {payee_name}",
                by=by,
            ),
            by,
        )
        application.amount_paid_pence += amount_pence
        application.version += 1
        save_checked(application, by)
    except BaseException:
        remove_file(attachment)
        raise
    logger.info("fund.payment_recorded", application_id=application.pk, amount_pence=amount_pence)
    return payment
