"""Building fund applications in each state through the services, for the fund's tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from caseload.models import Case
from core.models import User
from enterprise_fund.models import Assessment, Fund, FundApplication
from enterprise_fund.services import applications, assessments, decisions, follow_up, funds

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64

SCORES = {"viability": 4, "readiness": 5, "value_for_money": 4, "risk": 4, "other_support": 3}


def upload(name: str = "quote.pdf", content: bytes = PDF, content_type: str = "") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type or "application/pdf")


def make_fund(by: User, total_pence: int = 6_000_000) -> Fund:
    return funds.fund_create(name="Enterprise fund 2026-27", total_pence=total_pence, by=by)


def make_draft(case: Case, by: User, amount_pence: int = 50_000, **fields: Any) -> FundApplication:
    arguments: dict[str, Any] = {
        "purpose": "A mobile barber's: cuts at home for people who cannot get to a shop.",
        "amount_requested_pence": amount_pence,
        "business_plan_summary": "Ten cuts a week at £15 in the first month, rising to thirty.",
        "other_support": "Prince's Trust enterprise programme",
        "budget": [{"item": "Clippers and kit", "cost_pence": amount_pence, "supplier": "Acme"}],
    }
    return applications.fund_application_create(case=case, by=by, **(arguments | fields))


def make_submitted(case: Case, by: User, amount_pence: int = 50_000) -> FundApplication:
    draft = make_draft(case, by, amount_pence)
    return applications.fund_application_submit(application=draft, by=by, version=draft.version)


def make_assessment(application: FundApplication, by: User) -> Assessment:
    return assessments.fund_application_assess(
        application=application, by=by, scores=SCORES, notes={}, summary="A sound plan."
    )


def approve(
    application: FundApplication, by: User, amount_pence: int | None = None
) -> FundApplication:
    application.refresh_from_db()
    return decisions.fund_application_decide(
        application=application,
        by=by,
        decision="approved",
        version=application.version,
        amount_pence=amount_pence or application.amount_requested_pence,
    )


def make_approved(
    case: Case, specialist: User, manager: User, amount_pence: int = 50_000
) -> FundApplication:
    application = make_submitted(case, specialist, amount_pence)
    make_assessment(application, manager)
    return approve(application, manager)


def start_business(application: FundApplication, by: User) -> FundApplication:
    return follow_up.fund_business_start(
        application=application,
        by=by,
        start_date=datetime.date.today(),
        business_name="Fresh Cuts",
        hours_per_week=20,
    )
