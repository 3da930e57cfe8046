"""The fund's importer-only write paths: only the legacy importer calls them.

A legacy bid arrives with the status, amounts and dates it had in the old system, so it is
recorded as it stands instead of going through the workflow every screen follows (drafting,
the checks at submission, an independent assessment and decision). A screen calling these
would skip those rules, so the import-linter contract "Only the importer uses the fund's
importer-only write paths" (pyproject.toml) lets no package but legacy_import import this
module. An approved legacy bid still gets its award from services.funds.fund_award, under
the fund row lock, like every award.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import history
from core.models import User
from enterprise_fund.models import FundApplication
from enterprise_fund.services.common import logger

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
