"""Demo data: a £60,000 fund and a few bids in different states (seed_demo, DEBUG only).

Everything goes through the services, so the history and the ledger read as the demo's own.
Idempotent: a fund with the demo's name is made once, and the bids only when none of the
demo specialists' cases has one.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from caseload.models import Case
from core.models import User
from enterprise_fund.models import Fund, FundApplication
from enterprise_fund.services import (
    applications,
    assessments,
    decisions,
    follow_up,
    funds,
    payments,
)

DEMO_FUND = "Enterprise fund (demo)"
SPECIALISTS = ("specialist@demo.e4e.invalid", "parttime@demo.e4e.invalid")
#: A minimal PDF, standing in for a receipt.
RECEIPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SCORES = {"viability": 4, "readiness": 4, "value_for_money": 3, "risk": 4, "other_support": 3}

BIDS = [
    ("Market stall selling refurbished phones", 80_000, "draft"),
    ("Mobile car valeting van", 120_000, "submitted"),
    ("Barbering kit for a home-visit barber's", 65_000, "approved"),
    ("Catering trailer for events", 250_000, "awaiting_second"),
    ("Music studio equipment", 400_000, "rejected"),
    ("Decorating tools and a ladder rack", 90_000, "more_information"),
]


def seed_demo_data(*, users: dict[str, User], by: User) -> None:
    manager = users["manager@demo.e4e.invalid"]
    today = timezone.localdate()
    if not Fund.objects.filter(name=DEMO_FUND).exists():
        fund = funds.fund_create(name=DEMO_FUND, total_pence=6_000_000, by=manager)
        year = today.year if today.month >= 4 else today.year - 1
        funds.fund_set_details(
            fund=fund,
            name=DEMO_FUND,
            period_start=datetime.date(year, 4, 1),
            period_end=datetime.date(year + 1, 3, 31),
            by=manager,
        )
    cases = list(
        Case.objects.filter(
            worker__email__in=SPECIALISTS, closed_date__isnull=True, start_date__isnull=False
        ).order_by("pk")
    )
    if len(cases) < len(BIDS) or FundApplication.objects.filter(case__in=cases).exists():
        return
    for case, (idea, amount, state) in zip(cases, BIDS, strict=False):
        _demo_bid(case, idea, amount, state, manager, today)


def _demo_bid(
    case: Case, idea: str, amount: int, state: str, manager: User, today: datetime.date
) -> None:
    specialist = case.worker
    application = applications.fund_application_create(
        case=case,
        by=specialist,
        purpose=f"{idea}. The applicant has done the work informally and wants to go legitimate.",
        amount_requested_pence=amount,
        business_plan_summary="Customers from word of mouth and social media; prices checked "
        "against three local competitors; break-even in the fourth month.",
        other_support="Start-up advice from the Prince's Trust; a business mentor.",
        budget=[
            {"item": "Equipment", "cost_pence": amount * 3 // 4, "supplier": "Demo Supplies Ltd"},
            {"item": "Insurance and licences", "cost_pence": amount - amount * 3 // 4},
        ],
    )
    if state == "draft":
        return
    application = applications.fund_application_submit(
        application=application, by=specialist, version=application.version
    )
    if state == "submitted":
        return
    assessments.fund_application_assess(
        application=application,
        by=manager,
        scores=SCORES,
        notes={"viability": "Realistic prices; customers already asking."},
        summary="A sound bid.",
    )
    decision = {"rejected": "rejected", "more_information": "more_information"}.get(
        state, "approved"
    )
    application = decisions.fund_application_decide(
        application=application,
        by=manager,
        decision=decision,
        version=application.version,
        amount_pence=amount if decision == "approved" else None,
        reason={
            "rejected": "A studio is not a business plan yet: come back with bookings.",
            "more_information": "Send a quote for the tools, and who the first customers are.",
        }.get(state, ""),
    )
    if state != "approved":
        return
    payments.fund_payment_record(
        application=application,
        by=manager,
        version=application.version,
        date=today,
        amount_pence=amount // 2,
        payee="supplier",
        payee_name="Demo Supplies Ltd",
        reference="DEMO-0001",
        evidence_kind="invoice",
        evidence=SimpleUploadedFile("invoice.pdf", RECEIPT, content_type="application/pdf"),
    )
    follow_up.fund_business_start(
        application=application,
        by=specialist,
        start_date=max(case.start_date or today, today - datetime.timedelta(days=30)),
        business_name="Fresh Cuts (demo)",
        hours_per_week=20,
    )
