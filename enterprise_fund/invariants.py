"""The fund's invariants, recomputed from the rows (see core/invariants.py)."""

from __future__ import annotations

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from enterprise_fund.models import Fund, FundApplication, LedgerEntry


def fund_problems() -> list[str]:
    """Each fund's balance against its awards, and each award's payments against its ledger."""
    problems: list[str] = []
    funds = Fund.objects.annotate(
        ledger_awards=Coalesce(
            Sum("ledger__amount_pence", filter=Q(ledger__kind=LedgerEntry.Kind.AWARD)), 0
        )
    ).order_by("pk")
    awarded = dict(
        FundApplication.objects.filter(status=FundApplication.Status.APPROVED)
        .values_list("fund")
        .annotate(total=Sum("amount_awarded_pence"))
        .values_list("fund", "total")
    )
    for fund in funds:
        spent = fund.total_pence - fund.remaining_pence
        if fund.remaining_pence < 0:
            problems.append(f"Fund {fund.pk} is overspent: {fund.remaining_pence} pence left.")
        if spent != fund.ledger_awards:
            problems.append(
                f"Fund {fund.pk}: total less balance is {spent} pence, but the ledger's awards "
                f"come to {fund.ledger_awards}."
            )
        if spent != awarded.get(fund.pk, 0):
            problems.append(
                f"Fund {fund.pk}: total less balance is {spent} pence, but approved bids were "
                f"awarded {awarded.get(fund.pk, 0)}."
            )
    payments = FundApplication.objects.annotate(
        ledger_paid=Coalesce(
            Sum("ledger__amount_pence", filter=Q(ledger__kind=LedgerEntry.Kind.PAYMENT)), 0
        )
    ).filter(
        ~Q(ledger_paid=F("amount_paid_pence"))
        | Q(amount_paid_pence__gt=Coalesce(F("amount_awarded_pence"), 0))
    )
    for application in payments.order_by("pk"):
        problems.append(
            f"Fund bid {application.pk}: {application.amount_paid_pence} pence recorded as "
            f"paid, {application.ledger_paid} in the ledger, of an award of "
            f"{application.amount_awarded_pence or 0}."
        )
    return problems


def problems() -> list[str]:
    return fund_problems()
