"""Administrators invite users, change roles and FTE, and deactivate accounts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(signed_in: Callable[..., Client], admin_user: User) -> Client:
    return signed_in(admin_user)


def test_inviting_a_specialist_creates_the_account_and_emails_a_link(
    admin: Client, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("users:invite"),
            {
                "full_name": "Jo Bloggs",
                "email": "Jo@Example.org",
                "role": Role.SPECIALIST,
                "fte": "0.8",
            },
        )
    user = User.objects.get(email="jo@example.org")
    assert response["Location"] == reverse("users:detail", args=[user.pk])
    assert user.fte == Decimal("0.8") and user.capacity == 20
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jo@example.org"]
    assert "/set-password/" in mail.outbox[0].body
    assert user.history.latest().history_user == admin_user


def test_a_specialist_without_an_fte_is_refused_with_the_reason(admin: Client) -> None:
    response = admin.post(
        reverse("users:invite"),
        {"full_name": "No Fte", "email": "nofte@example.org", "role": Role.SPECIALIST},
    )
    assert response.status_code == 200
    assert "Enter the FTE" in response.content.decode()
    assert not User.objects.filter(email="nofte@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("fte", ["0", "1.5", "-1", "lots"])
def test_an_fte_outside_0_to_1_is_refused(admin: Client, fte: str) -> None:
    response = admin.post(
        reverse("users:invite"),
        {"full_name": "Bad Fte", "email": "badfte@example.org", "role": Role.MANAGER, "fte": fte},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not User.objects.filter(email="badfte@example.org").exists()


def test_an_fte_is_dropped_for_roles_without_a_caseload(admin: Client) -> None:
    admin.post(
        reverse("users:invite"),
        {"full_name": "Op Staff", "email": "op@example.org", "role": Role.OPCC, "fte": "1"},
    )
    assert User.objects.get(email="op@example.org").fte is None


def test_inviting_an_existing_email_is_refused(admin: Client, specialist: User) -> None:
    response = admin.post(
        reverse("users:invite"),
        {"full_name": "Dup", "email": specialist.email.upper(), "role": Role.OPCC},
    )
    assert "already an account" in response.content.decode()
    assert User.objects.filter(email__iexact=specialist.email).count() == 1


def test_changing_role_and_fte_is_recorded_in_history(
    admin: Client, specialist: User, admin_user: User
) -> None:
    admin.post(
        reverse("users:edit", args=[specialist.pk]),
        {"full_name": specialist.full_name, "role": Role.MANAGER, "fte": "0.5"},
    )
    specialist.refresh_from_db()
    assert (specialist.role, specialist.fte, specialist.capacity) == (
        Role.MANAGER,
        Decimal("0.5"),
        12,
    )
    latest = specialist.history.latest()
    assert latest.history_user == admin_user and latest.role == Role.MANAGER


def test_deactivation_asks_for_confirmation_first(admin: Client, specialist: User) -> None:
    page = admin.get(reverse("users:deactivate", args=[specialist.pk]))
    assert "Deactivate Sam Owner?" in page.content.decode()
    specialist.refresh_from_db()
    assert specialist.is_active
    admin.post(reverse("users:deactivate", args=[specialist.pk]))
    specialist.refresh_from_db()
    assert not specialist.is_active


def test_an_admin_cannot_deactivate_themselves(admin: Client, admin_user: User) -> None:
    response = admin.post(reverse("users:deactivate", args=[admin_user.pk]))
    assert "cannot deactivate your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_deactivated_user_can_be_reactivated(admin: Client, specialist: User) -> None:
    admin.post(reverse("users:deactivate", args=[specialist.pk]))
    admin.post(reverse("users:reactivate", args=[specialist.pk]))
    specialist.refresh_from_db()
    assert specialist.is_active


def test_posting_without_a_csrf_token_is_refused(admin_user: User, specialist: User) -> None:
    from tests.conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), admin_user)
    response = client.post(reverse("users:deactivate", args=[specialist.pk]))
    assert response.status_code == 403
    specialist.refresh_from_db()
    assert specialist.is_active


def test_a_specialist_cannot_change_roles(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User
) -> None:
    response = signed_in(specialist).post(
        reverse("users:edit", args=[other_specialist.pk]),
        {"full_name": "x", "role": Role.ADMIN},
    )
    assert response.status_code == 403
    other_specialist.refresh_from_db()
    assert other_specialist.role == Role.SPECIALIST


def test_resetting_two_factor_removes_the_app_and_signs_the_person_out(
    admin: Client, signed_in: Callable[..., Client], specialist: User
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    phone = signed_in(specialist)
    assert TOTPDevice.objects.filter(user=specialist).exists()
    page = admin.get(reverse("users:reset-2fa", args=[specialist.pk]))
    assert "Reset two-factor sign-in for Sam Owner?" in page.content.decode()
    assert TOTPDevice.objects.filter(user=specialist).exists()
    admin.post(reverse("users:reset-2fa", args=[specialist.pk]))
    assert not TOTPDevice.objects.filter(user=specialist).exists()
    assert phone.get("/cases/")["Location"].startswith("/sign-in/")


def test_navigation_shows_only_what_the_role_may_use(
    admin: Client, signed_in: Callable[..., Client], specialist: User
) -> None:
    admin_nav = [item["label"] for item in admin.get(reverse("users:list")).context["nav_items"]]
    assert admin_nav == ["Home", "Your account"]
    page = signed_in(specialist).get("/cases/")
    labels = [item["label"] for item in page.context["nav_items"]]
    assert "Users" not in labels and labels[0] == "Home" and labels[-1] == "Your account"
    assert reverse("users:list") not in page.content.decode()
