"""The fund's importer-only write paths: only the legacy importer calls them.

A legacy bid arrives with the status, amounts and dates it had in the old system, so it is
recorded as it stands instead of going through the workflow every screen follows (drafting,
the checks at submission, an independent assessment and decision). A screen calling these
would skip those rules, so the import-linter contract "Only the importer uses the fund's
importer-only write paths" (pyproject.toml) lets no package but legacy_import import this
module. An approved legacy bid still gets its award under the fund row lock, within the
balance and in the ledger: one by one from services.funds.fund_award, or, for the bids an
import creates, all together from `fund_applications_create`, which checks them in sets and
writes them in bulk (core.bulk), each with its creation history row.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import get_history_manager_for_model

from caseload.models import Case
from core import history
from core.bulk import InvalidRecords, build, insert_with_history, validate_in_sets
from core.models import User
from enterprise_fund.models import Fund, FundApplication, LedgerEntry
from enterprise_fund.services.common import logger
from enterprise_fund.services.funds import InsufficientBalance

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


@dataclass(frozen=True)
class NewApplication:
    legacy_id: str
    case: Case
    submitted_date: date | None
    amount_requested_pence: int
    purpose: str
    status: str
    decision_date: date | None
    amount_awarded_pence: int | None


@transaction.atomic(savepoint=False)  # a problem fails the whole import: no savepoint
def fund_applications_create(
    *, fund: Fund, applications: Sequence[NewApplication], by: User
) -> list[FundApplication]:
    """Record legacy bids, each as fund_application_record and, for an approval, fund_award
    leave it: the awards one after another in the order given, under the fund row lock and
    within its balance, each in the ledger. The fund's balance is saved once for all the
    awards, with a history row for each, as fund_award leaves it."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    problems: dict[int, list[str]] = defaultdict(list)
    objs: list[FundApplication] = []
    balances: list[Fund] = []  # the fund after each award, for its history
    for index, new in enumerate(applications):
        fields = {**vars(new), "case_id": new.case.pk, "fund_id": fund.pk}
        del fields["case"]
        (application,) = build(FundApplication, [fields])
        if application.status == FundApplication.Status.APPROVED:
            amount = application.amount_awarded_pence or 0
            if application.decision_date is None:
                problems[index].append("An approval needs the date it was decided.")
            if amount <= 0 or amount > application.amount_requested_pence:
                problems[index].append(
                    "The award must be more than £0 and no more than the amount asked for."
                )
            elif amount > fund.remaining_pence:
                problems[index] += InsufficientBalance(fund, amount).messages
            else:
                fund.remaining_pence -= amount
                balances.append(copy.copy(fund))
        else:
            if application.status in _UNDECIDED:
                application.decision_date = None
            application.amount_awarded_pence = None
        objs.append(application)
    try:
        validate_in_sets(objs, exclude={"fund", "case"})
    except InvalidRecords as invalid:
        for index, messages in invalid.by_record.items():
            problems[index] += messages
    if problems:
        raise InvalidRecords(problems)
    try:
        insert_with_history(FundApplication, objs, by)
        # As fund_award's LedgerEntry.objects.create records it: no history user.
        insert_with_history(LedgerEntry, _awards(fund, objs, by), None)
    except IntegrityError as error:
        raise ValidationError(f"fund applications: {error}") from error
    if balances:
        # One save of the balance; and, as fund_award saves it, a history row for each
        # award, with the balance it left (written together: as many queries for one award
        # as for a thousand).
        saving: Any = fund  # simple_history's documented switch, undeclared on models
        saving.skip_history_when_saving = True  # the rows are written below
        fund.save(update_fields=["remaining_pence", "updated_at"])
        del saving.skip_history_when_saving
        for balance in balances:
            balance.updated_at = fund.updated_at
        fund_history = get_history_manager_for_model(Fund)
        fund_history.bulk_history_create(balances, update=True, default_user=by)
    logger.info("fund.applications_recorded", count=len(objs), awards=len(balances))
    return objs


def _awards(fund: Fund, applications: list[FundApplication], by: User) -> list[LedgerEntry]:
    """The ledger's entry of each approval, as fund_award makes it."""
    return build(
        LedgerEntry,
        [
            {
                "fund_id": fund.pk,
                "kind": LedgerEntry.Kind.AWARD,
                "application_id": application.pk,
                "date": application.decision_date,
                "amount_pence": application.amount_awarded_pence,
                "by_id": by.pk,
            }
            for application in applications
            if application.status == FundApplication.Status.APPROVED
        ],
    )
