"""An upload never gives anyone access: it cannot create a manager, cannot change an existing
account's email or role, and the workers it creates cannot sign in (no password, and no
password reset) until an administrator invites them. The command line may import managers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from core.models import Role, User
from legacy_import.importer import import_legacy
from tests.legacy_import.import_helpers import SMALL_HISTORY, write_history

pytestmark = pytest.mark.django_db

WORKERS = "worker_id,email,name,fte,role\n"


REFERRALS = (
    "referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,"
    "gender,ethnicity,postcode,cohort,decision,decision_date,rejection_reason,"
    "rejection_rationale\n"
)
CASES = (
    "case_id,referral_id,worker_id,start_date,prior_similar_support,closed_date,closure_reason\n"
)


def _history(tmp_path: Path, workers: str, name: str = "h") -> Path:
    return write_history(
        tmp_path / name,
        {"workers.csv": WORKERS + workers, "referrals.csv": REFERRALS, "cases.csv": CASES},
    )


def test_an_upload_cannot_create_a_manager(tmp_path: Path) -> None:
    result = import_legacy(
        _history(tmp_path, "W99,x@attacker.invalid,Second Manager,0.2,manager\n"),
        from_upload=True,
    )
    assert not result.ok
    assert any("workers.csv:2:role: an upload cannot create a manager" in e for e in result.errors)
    assert not User.objects.filter(email="x@attacker.invalid").exists()


def test_an_upload_cannot_repoint_or_promote_an_existing_account(tmp_path: Path) -> None:
    assert import_legacy(_history(tmp_path, "W1,w1@example.org,Wendy,1.0,specialist\n")).ok
    for n, row in enumerate(
        [
            "W1,x@attacker.invalid,Wendy,1.0,specialist\n",  # a new email
            "W1,w1@example.org,Wendy,1.0,manager\n",  # a new role
        ]
    ):
        result = import_legacy(_history(tmp_path, row, f"again{n}"), from_upload=True)
        assert not result.ok
        assert any("cannot change an existing account's" in e for e in result.errors)
    user = User.objects.get(legacy_id="W1")
    assert (user.email, user.role) == ("w1@example.org", Role.SPECIALIST)


def test_workers_an_upload_creates_cannot_sign_in_or_reset_a_password(tmp_path: Path) -> None:
    result = import_legacy(
        _history(tmp_path, "W5,w5@example.org,Will Five,1.0,specialist\n"), from_upload=True
    )
    assert result.ok, result.errors
    worker = User.objects.get(legacy_id="W5")
    assert not worker.has_usable_password()
    Client().post("/forgotten-password/", {"email": worker.email})
    assert mail.outbox == []  # only an administrator's invitation gives a first password


def test_the_command_line_may_import_managers(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "small", SMALL_HISTORY)
    result = import_legacy(folder, fund_total_pence=60_000_00)
    assert result.ok, result.errors
    assert User.objects.get(legacy_id="W2").role == Role.MANAGER
