"""Writes to the fund. Every award takes the fund row lock, so the balance never goes below
zero, even when two managers approve at the same moment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import Case, Outcome
from core import history
from core.models import Role, User
from core.money import format_pounds
from enterprise_fund.files import check_upload, display_name
from enterprise_fund.models import (
    Assessment,
    Attachment,
    BudgetItem,
    Decision,
    Fund,
    FundApplication,
    IncomeReport,
    LedgerEntry,
    Payment,
)

logger = structlog.get_logger("e4e.fund")


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
    from django.utils import timezone

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


#: What fund_application_record may set: approval goes through fund_award, under the lock.
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
    history.save(application, by=by)
    logger.info("fund.application_recorded", application_id=application.pk, fields=sorted(changed))
    return application


# --- Applications: drafts, submission, assessment, decisions, payments and follow-up -------
# The specialist drafts a bid with the client; submission locks its content; managers who
# are neither its submitter nor the case's specialist assess and decide it; an award takes
# the fund row lock (fund_award), and an award above the threshold needs two managers.

#: A line of an application's budget: {"item": str, "cost_pence": int, "supplier": str}.
BudgetLine = Mapping[str, Any]

LOCKED = (
    "This application has been submitted, so its content cannot change. A manager can ask "
    "for more information, which opens it for changes again."
)


class StaleForm(ValidationError):
    """The form was made for an earlier state of the application (posted twice, or someone
    else acted first): refused, so that one click never does a thing twice (CI-4)."""

    def __init__(self) -> None:
        super().__init__(
            "This application has changed since you opened this page: someone may have acted "
            "on it already, or the form was sent twice. Check the application and try again.",
            code="stale",
        )


class ConflictOfInterest(ValidationError):
    """Separation of duties: a manager may not assess or decide a bid they submitted, or one
    on their own case."""


def _lock_application(application: FundApplication) -> FundApplication:
    return FundApplication.objects.select_for_update().get(pk=application.pk)


def _save(instance: Any, by: User | None, reason: str = "") -> None:
    instance.full_clean()
    history.save(instance, by=by, reason=reason[:100])


def _check_version(application: FundApplication, version: int | None) -> None:
    if version is None or version != application.version:
        raise StaleForm


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


def _set_budget(application: FundApplication, budget: Sequence[BudgetLine], by: User) -> bool:
    """Replace the budget's lines with `budget`; False when they were already the same."""
    wanted = [(line["item"], int(line["cost_pence"]), line.get("supplier", "")) for line in budget]
    current = list(application.budget_items.all())
    if [(i.item, i.cost_pence, i.supplier) for i in current] == wanted:
        return False
    for old in current:
        history.delete(old, by=by)
    for item, cost_pence, supplier in wanted:
        _save(
            BudgetItem(
                application=application, item=item, cost_pence=cost_pence, supplier=supplier
            ),
            by,
        )
    return True


@transaction.atomic
def fund_set_details(
    *, fund: Fund, name: str, period_start: date | None, period_end: date | None, by: User
) -> Fund:
    """Name the fund and set the period it covers."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": "The period must end after it starts."})
    fund.name, fund.period_start, fund.period_end = name, period_start, period_end
    _save(fund, by)
    return fund


@transaction.atomic
def fund_application_create(
    *,
    case: Case,
    by: User,
    purpose: str,
    amount_requested_pence: int,
    business_plan_summary: str = "",
    other_support: str = "",
    budget: Sequence[BudgetLine] = (),
) -> FundApplication:
    """Start a draft bid on an open case against the current fund."""
    from enterprise_fund.selectors import current_fund

    case = Case.objects.get(pk=case.pk)
    if case.closed_date is not None:
        raise ValidationError("This case is closed. Reopen it to start a fund bid.")
    if case.start_date is None:
        raise ValidationError("Record the initial assessment before starting a fund bid.")
    fund = current_fund()
    if fund is None:
        raise ValidationError(
            "No enterprise fund has been set up yet: a manager sets it up on the fund page."
        )
    application = FundApplication(
        fund=fund,
        case=case,
        status=FundApplication.Status.DRAFT,
        purpose=purpose,
        amount_requested_pence=amount_requested_pence,
        business_plan_summary=business_plan_summary,
        other_support=other_support,
    )
    _save(application, by, "Draft started")
    _set_budget(application, budget, by)
    logger.info("fund.application_created", application_id=application.pk, case_id=case.pk)
    return application


@transaction.atomic
def fund_application_update(
    *,
    application: FundApplication,
    by: User,
    purpose: str,
    amount_requested_pence: int,
    business_plan_summary: str,
    other_support: str,
    budget: Sequence[BudgetLine],
) -> FundApplication:
    """Change a draft (or an application sent back for more information)."""
    application = _lock_application(application)
    if not application.is_editable:
        raise ValidationError(LOCKED)
    fields = {
        "purpose": purpose,
        "amount_requested_pence": amount_requested_pence,
        "business_plan_summary": business_plan_summary,
        "other_support": other_support,
    }
    changed = {name for name, value in fields.items() if getattr(application, name) != value}
    budget_changed = _set_budget(application, budget, by)
    if changed or budget_changed:
        for name in changed:
            setattr(application, name, fields[name])
        application.version += 1
        _save(application, by, "Application changed")
    return application


def _remove_file(attachment: Attachment) -> None:
    if attachment.file.name:
        attachment.file.storage.delete(attachment.file.name)


def _store_attachment(application: FundApplication, kind: str, upload: Any, by: User) -> Attachment:
    """Check the file by its content and size, then store it under a generated name. Nothing
    is written unless the file is accepted; the file is removed again if its row fails."""
    file_type = check_upload(upload)
    attachment = Attachment(
        application=application,
        kind=kind,
        content_type=file_type.content_type,
        size=upload.size,
        original_name=display_name(str(upload.name)),
        uploaded_by=by,
    )
    attachment.file.save(f"upload{file_type.extension}", upload, save=False)
    try:
        _save(attachment, by)
    except BaseException:
        _remove_file(attachment)
        raise
    return attachment


@transaction.atomic
def fund_attachment_add(
    *, application: FundApplication, kind: str, upload: Any, by: User
) -> Attachment:
    """Attach a quote, plan or other document (PDF, PNG or JPEG, at most 10 MB) to a draft."""
    application = _lock_application(application)
    if kind not in Attachment.APPLICATION_KINDS:
        raise ValidationError({"kind": "Choose what the file is"})
    if not application.is_editable:
        raise ValidationError(LOCKED)
    attachment = _store_attachment(application, kind, upload, by)
    try:
        application.version += 1
        _save(application, by, f"{Attachment.Kind(kind).label} attached")
    except BaseException:
        _remove_file(attachment)
        raise
    return attachment


@transaction.atomic
def fund_application_submit(
    *, application: FundApplication, by: User, version: int | None
) -> FundApplication:
    """Submit a complete draft (or resubmit one sent back): its content is locked from now."""
    application = _lock_application(application)
    _check_version(application, version)
    if not application.is_editable:
        raise ValidationError("This application has already been submitted.")
    if application.case.closed_date is not None:
        raise ValidationError("This case is closed. Reopen it before submitting the bid.")
    problems = []
    if not application.business_plan_summary.strip():
        problems.append("Summarise the business plan before submitting")
    budget_total = sum(item.cost_pence for item in application.budget_items.all())
    if budget_total == 0:
        problems.append("Add at least one item to the budget before submitting")
    elif application.amount_requested_pence > budget_total:
        problems.append(
            f"The amount asked for ({format_pounds(application.amount_requested_pence)}) is "
            f"more than the budget's total ({format_pounds(budget_total)})"
        )
    if problems:
        raise ValidationError(problems)
    resubmitting = application.status == FundApplication.Status.MORE_INFORMATION
    application.status = FundApplication.Status.SUBMITTED
    if application.submitted_date is None:
        application.submitted_date = timezone.localdate()
        application.submitted_by = by
    application.version += 1
    _save(application, by, "Resubmitted with more information" if resubmitting else "Submitted")
    logger.info("fund.application_submitted", application_id=application.pk, by=by.pk)
    return application


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
    from enterprise_fund.models import CRITERIA

    application = _lock_application(application)
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
    _save(assessment, by)
    logger.info("fund.application_assessed", application_id=application.pk, by=by.pk)
    return assessment


def _log_decision(application: FundApplication, by: User, **fields: Any) -> Decision:
    decision = Decision(application=application, by=by, **fields)
    _save(decision, by)
    return decision


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
    application = _lock_application(application)
    _check_version(application, version)
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
        if application.first_approved_by_id == by.pk:
            raise ConflictOfInterest(
                f"You gave the first approval. Awards over {format_pounds(threshold)} need a "
                "second approval from a different manager."
            )
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
        _save(application, by)
        _log_decision(
            application,
            by,
            kind=Decision.Kind.APPROVED_WITH_CONDITIONS if conditions else Decision.Kind.APPROVED,
            first_of_two=True,
            amount_pence=amount_pence,
            conditions=conditions,
        )
        logger.info("fund.first_approval", application_id=application.pk, by=by.pk)
        return application
    awarded = fund_award(
        application=application, amount_pence=amount_pence, decided_on=today, by=by
    )
    awarded.decided_by = by
    awarded.conditions = conditions
    awarded.version += 1
    _save(awarded, by)
    _log_decision(
        awarded,
        by,
        kind=Decision.Kind.APPROVED_WITH_CONDITIONS if conditions else Decision.Kind.APPROVED,
        amount_pence=amount_pence,
        conditions=conditions,
    )
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
    _save(application, by)
    _log_decision(application, by, kind=decision, reason=reason)
    logger.info("fund.application_refused", application_id=application.pk, decision=decision)
    return application


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
    application = _lock_application(application)
    _check_version(application, version)
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
    attachment = _store_attachment(application, evidence_kind, evidence, by)
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
        _save(payment, by)
        _save(
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
        _save(application, by)
    except BaseException:
        _remove_file(attachment)
        raise
    logger.info("fund.payment_recorded", application_id=application.pk, amount_pence=amount_pence)
    return payment


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

    application = _lock_application(application)
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
    _save(application, by, "Business started")
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
    application = _lock_application(application)
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
    _save(report, by)
    return report


@transaction.atomic
def fund_business_stop(
    *, application: FundApplication, by: User, end_date: date, reason: str
) -> FundApplication:
    """The business has stopped trading: ends the case's self-employment outcome (and the
    trading checks after the end), with the reason."""
    from caseload.services.outcomes import outcome_end

    application = _lock_application(application)
    outcome = application.business_outcome
    if outcome is None:
        raise ValidationError("Record the business start first.")
    if outcome.end_date is not None:
        raise ValidationError("The business has already been recorded as stopped.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the business stopped"})
    outcome_end(outcome=outcome, end_date=end_date, reason=reason, by=by)
    application.version += 1
    _save(application, by, "Business stopped")
    return application
