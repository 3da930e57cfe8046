"""Drafts, their budget, and submission: the specialist drafts a bid with the client, and
submission locks its content."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import Case
from core import history
from core.models import User
from core.money import format_pounds
from enterprise_fund.models import BudgetItem, FundApplication
from enterprise_fund.selectors import current_fund
from enterprise_fund.services.common import (
    LOCKED,
    check_version,
    lock_application,
    logger,
    save_checked,
)

#: A line of an application's budget: {"item": str, "cost_pence": int, "supplier": str}.
BudgetLine = Mapping[str, Any]


def _set_budget(application: FundApplication, budget: Sequence[BudgetLine], by: User) -> bool:
    """Replace the budget's lines with `budget`; False when they were already the same."""
    wanted = [(line["item"], int(line["cost_pence"]), line.get("supplier", "")) for line in budget]
    current = list(application.budget_items.all())
    if [(i.item, i.cost_pence, i.supplier) for i in current] == wanted:
        return False
    for old in current:
        history.delete(old, by=by)
    for item, cost_pence, supplier in wanted:
        save_checked(
            BudgetItem(
                application=application, item=item, cost_pence=cost_pence, supplier=supplier
            ),
            by,
        )
    return True


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
    save_checked(application, by, "Draft started")
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
    application = lock_application(application)
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
        save_checked(application, by, "Application changed")
    return application


@transaction.atomic
def fund_application_submit(
    *, application: FundApplication, by: User, version: int | None
) -> FundApplication:
    """Submit a complete draft (or resubmit one sent back): its content is locked from now."""
    application = lock_application(application)
    check_version(application, version)
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
    save_checked(
        application, by, "Resubmitted with more information" if resubmitting else "Submitted"
    )
    logger.info("fund.application_submitted", application_id=application.pk, by=by.pk)
    return application
