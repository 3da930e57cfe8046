from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import Role, User
from core.system_user import SYSTEM_EMAIL

pytestmark = pytest.mark.django_db


def test_create_user_reads_the_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("E4E_PASSWORD", "a sufficiently long password")
    call_command(
        "create_user",
        "--email",
        "Lead@Example.org",
        "--name",
        "Lee Lead",
        "--role",
        "manager",
        "--fte",
        "0.5",
        stdout=StringIO(),
    )
    user = User.objects.get(email="lead@example.org")
    assert (user.role, user.capacity) == (Role.MANAGER, 12)
    assert user.check_password("a sufficiently long password")
    assert user.history.latest().history_user.email == SYSTEM_EMAIL


def test_create_user_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E4E_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_user", "--email", "w@example.org", "--name", "W", "--role", "opcc")
    assert not User.objects.filter(email="w@example.org").exists()


def test_create_user_without_a_password_leaves_the_account_to_be_invited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("E4E_PASSWORD", raising=False)
    call_command(
        "create_user",
        "--email",
        "i@example.org",
        "--name",
        "I",
        "--role",
        "evaluator",
        stdout=StringIO(),
    )
    assert not User.objects.get(email="i@example.org").has_usable_password()


def test_create_user_needs_an_fte_for_a_specialist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("E4E_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="full-time equivalent"):
        call_command(
            "create_user", "--email", "s@example.org", "--name", "S", "--role", "specialist"
        )


def test_seed_demo_refuses_to_run_without_debug(settings: pytest.FixtureRequest) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(email__endswith="demo.e4e.invalid").exists()


def test_seed_demo_creates_one_account_per_role_and_can_run_twice(
    settings: pytest.FixtureRequest,
) -> None:
    settings.DEBUG = True
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)
    demo = User.objects.filter(email__endswith="demo.e4e.invalid")
    assert {u.role for u in demo} == set(Role.values)
    assert demo.count() == 6


def test_no_default_admin_or_root_accounts_exist_after_migrating() -> None:
    assert not User.objects.filter(email__regex=r"^(admin|root)@").exists()
    assert not User.objects.exclude(password__startswith="!").exists()
