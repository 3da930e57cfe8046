"""The demo data: a £60,000 fund and bids in different states, made through the services."""

from __future__ import annotations

import pytest

from core.models import User
from core.system_user import system_user
from enterprise_fund.demo import DEMO_FUND, seed_demo_data
from enterprise_fund.models import Fund, FundApplication, LedgerEntry
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users() -> dict[str, User]:
    from core.management.commands.seed_demo import DEMO_USERS

    users = {
        email: UserFactory(email=email, full_name=name, role=role, fte=fte)
        for email, name, role, fte in DEMO_USERS
    }
    # caseload.demo gives the demo specialists their cases; a few are enough here.
    for email in ("specialist@demo.e4e.invalid", "parttime@demo.e4e.invalid"):
        CaseFactory.create_batch(3, worker=users[email])
    return users


def test_the_demo_fund_has_bids_in_different_states(demo_users: dict[str, User]) -> None:
    seed_demo_data(users=demo_users, by=system_user())
    fund = Fund.objects.get(name=DEMO_FUND)
    assert fund.total_pence == 6_000_000
    statuses = set(FundApplication.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "submitted",
        "approved",
        "awaiting_second",
        "rejected",
        "more_information",
    }
    approved = FundApplication.objects.get(status="approved")
    assert approved.amount_paid_pence > 0
    assert approved.business_outcome is not None
    awarded = sum(e.amount_pence for e in LedgerEntry.objects.filter(kind="award"))
    fund.refresh_from_db()
    assert awarded + fund.remaining_pence == fund.total_pence


def test_seeding_twice_adds_nothing(demo_users: dict[str, User]) -> None:
    seed_demo_data(users=demo_users, by=system_user())
    counts = (Fund.objects.count(), FundApplication.objects.count(), LedgerEntry.objects.count())
    seed_demo_data(users=demo_users, by=system_user())
    assert (
        Fund.objects.count(),
        FundApplication.objects.count(),
        LedgerEntry.objects.count(),
    ) == counts
