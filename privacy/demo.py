"""Demo data of the core: two data-protection requests, one overdue (see seed_demo)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.models import User
from privacy import data_requests
from privacy.models import DataRequest
from referrals.models import Referral


def seed_demo_data(*, users: dict[str, User], by: User) -> None:
    if DataRequest.objects.exists():
        return
    manager = users["manager@demo.e4e.invalid"]
    today = timezone.localdate()
    person = Referral.objects.filter(reference__startswith="E4E-DEMO").order_by("pk").first()
    data_requests.data_request_log(
        kind=DataRequest.Kind.ACCESS,
        received_date=today - timedelta(days=40),
        referral_reference=person.reference if person else "",
        notes="Asked by email for a copy of everything held.",
        by=manager,
        today=today,
    )
    data_requests.data_request_log(
        kind=DataRequest.Kind.RECTIFICATION,
        received_date=today - timedelta(days=3),
        referral_reference="",
        notes="Says the date of birth on the referral is wrong; identity not yet checked.",
        by=manager,
        today=today,
    )
