"""The demo data: referrals in every status, some accepted to the demo specialists."""

from __future__ import annotations

import pytest

from core.models import User
from core.system_user import system_user
from referrals.demo import MANAGER, PART_TIME, SPECIALIST, seed_demo_data
from referrals.models import PartnerLink, Referral
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users() -> dict[str, User]:
    from core.management.commands.seed_demo import DEMO_USERS

    return {
        email: UserFactory(email=email, full_name=name, role=role, fte=fte)
        for email, name, role, fte in DEMO_USERS
    }


def test_demo_referrals_cover_every_status_and_both_specialists(
    demo_users: dict[str, User],
) -> None:
    from caseload.demo import seed_demo_data as seed_cases

    seed_demo_data(users=demo_users, by=system_user())
    seed_cases(users=demo_users, by=system_user())  # it accepts the accepted ones
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)
    workers = set(
        Referral.objects.filter(case__isnull=False).values_list("case__worker__email", flat=True)
    )
    assert {SPECIALIST, PART_TIME} <= workers
    assert PartnerLink.objects.filter(created_by=demo_users[MANAGER]).exists()
    assert Referral.objects.filter(partner_submission__isnull=False).count() == 1


def test_seeding_twice_adds_nothing(demo_users: dict[str, User]) -> None:
    seed_demo_data(users=demo_users, by=system_user())
    counts = (Referral.objects.count(), PartnerLink.objects.count())
    seed_demo_data(users=demo_users, by=system_user())
    assert (Referral.objects.count(), PartnerLink.objects.count()) == counts
