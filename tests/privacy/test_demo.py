"""The core's demo data: an overdue subject access request and a recent one."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.models import User
from core.system_user import system_user
from privacy.demo import seed_demo_data
from privacy.models import DataRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_overdue_request_and_seeding_twice_adds_nothing() -> None:
    from core.management.commands.seed_demo import DEMO_USERS

    users: dict[str, User] = {
        email: UserFactory(email=email, full_name=name, role=role, fte=fte)
        for email, name, role, fte in DEMO_USERS
    }
    seed_demo_data(users=users, by=system_user())
    seed_demo_data(users=users, by=system_user())
    today = timezone.localdate()
    assert DataRequest.objects.count() == 2
    assert sum(request.due_date(today) < today for request in DataRequest.objects.all()) == 1
