"""AL-1: changes are recorded with who made them and, when one is given, why."""

from __future__ import annotations

import pytest

from core import history, services
from core.models import Role, User
from core.system_user import SYSTEM_EMAIL, system_user
from referrals.models import Referral
from tests.factories import ReferralFactory

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


def test_a_save_records_who_changed_the_record_and_why(manager: User) -> None:
    referral = ReferralFactory(postcode="B12 9LP")
    referral.postcode = "B13 8AA"
    assert history.save(referral, by=manager, reason="Moved house") is referral
    record = referral.history.latest()
    assert (record.postcode, record.history_user, record.history_change_reason) == (
        "B13 8AA",
        manager,
        "Moved house",
    )


def test_a_save_without_a_reason_records_none_even_after_one_with_a_reason(
    manager: User, specialist: User
) -> None:
    referral = ReferralFactory()
    history.save(referral, by=manager, reason="Moved house")
    referral.postcode = "B14 7QH"
    history.save(referral, by=specialist, update_fields=["postcode"])
    record = referral.history.latest()
    assert (record.postcode, record.history_user, record.history_change_reason) == (
        "B14 7QH",
        specialist,
        None,
    )


def test_a_delete_records_who_removed_the_record_and_why(manager: User) -> None:
    referral = ReferralFactory()
    pk = referral.pk
    history.delete(referral, by=manager, reason="Entered twice")
    assert not Referral.objects.filter(pk=pk).exists()
    record = Referral.history.filter(id=pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        manager,
        "Entered twice",
    )
