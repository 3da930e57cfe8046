"""The invariants that must never break (CI-5), recomputed from the source rows.

The services keep them under row locks (the caseload cap, the fund balance); this checks,
independently, that the stored counters agree with the rows they summarise. It runs at the
end of the race tests, nightly from the beat schedule (an error in the log on any
mismatch), and on demand with `manage.py check_invariants` (after restoring a backup too).
Each problem names ids only.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from caseload.models import Case
from core.models import Role, User
from enterprise_fund.models import Fund, FundApplication, LedgerEntry


def caseload_problems() -> list[str]:
    """Workers holding more open cases than their capacity, floor(25 x FTE)."""
    workers = (
        User.objects.filter(role__in=Role.with_caseload(), fte__isnull=False)
        .annotate(open_cases=Count("cases", filter=Q(cases__closed_date__isnull=True)))
        .order_by("pk")
    )
    return [
        f"Worker {worker.pk} holds {worker.open_cases} open cases, over a capacity of "
        f"{worker.capacity}."
        for worker in workers
        if worker.open_cases > worker.capacity
    ]


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


def case_problems() -> list[str]:
    """Cases whose dates contradict each other (the database's checks should stop these)."""
    broken = Case.objects.filter(
        Q(start_date__lt=F("accepted_date")) | Q(closed_date__lt=F("start_date"))
    ).order_by("pk")
    return [f"Case {pk} has dates out of order." for pk in broken.values_list("pk", flat=True)]


def all_problems() -> list[str]:
    return [*caseload_problems(), *fund_problems(), *case_problems()]
