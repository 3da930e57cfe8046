"""AL-1: changes to people's accounts are recorded with who made them."""

from __future__ import annotations

import pytest

from core import services
from core.models import Role, User
from core.system_user import SYSTEM_EMAIL, system_user

pytestmark = pytest.mark.django_db


def test_a_service_change_records_the_acting_user(admin_user: User, specialist: User) -> None:
    services.user_deactivate(user=specialist, by=admin_user)
    record = specialist.history.latest()
    assert record.history_user == admin_user
    assert record.is_active is False


def test_changes_made_outside_a_request_are_recorded_as_the_system_user() -> None:
    user = services.user_create(
        email="task@example.org", full_name="Made By Task", role=Role.OPCC, by=system_user()
    )
    assert user.history.latest().history_user.email == SYSTEM_EMAIL


def test_history_never_keeps_password_hashes(specialist: User) -> None:
    field_names = {f.name for f in User.history.model._meta.get_fields()}
    assert "password" not in field_names
