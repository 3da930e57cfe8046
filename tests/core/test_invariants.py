"""CI-5: the caseload cap and the fund balances, recomputed from their rows, agree with the
counters; a mismatch is reported by id and fails the command."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.invariants import all_problems
from core.models import User
from core.tasks import check_invariants
from enterprise_fund.models import Fund
from enterprise_fund.services import payments
from tests.enterprise_fund.helpers import make_approved, make_fund, upload
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthy(specialist: User, manager: User, settings: Any, tmp_path: Path) -> Fund:
    """Cases within capacity, and a fund with an award partly paid: all through services."""
    settings.MEDIA_ROOT = str(tmp_path)
    CaseFactory.create_batch(3, worker=specialist)
    fund = make_fund(manager, total_pence=100_000)
    application = make_approved(CaseFactory(worker=specialist), specialist, manager, 30_000)
    application.refresh_from_db()
    payments.fund_payment_record(
        application=application,
        by=manager,
        version=application.version,
        date=datetime.date.today(),
        amount_pence=10_000,
        payee="supplier",
        payee_name="Acme Tools",
        reference="INV-1",
        evidence_kind="invoice",
        evidence=upload("invoice.pdf"),
    )
    return fund


def test_everything_done_through_the_services_holds(healthy: Fund, capsys: Any) -> None:
    assert all_problems() == []
    call_command("check_invariants")
    assert "Every invariant holds." in capsys.readouterr().out
    assert check_invariants() == []


def test_a_balance_changed_behind_the_services_back_is_reported(healthy: Fund) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enterprise_fund_fund SET remaining_pence = 90000 WHERE id = %s", [healthy.pk]
        )
    problems = check_invariants()
    assert f"Fund {healthy.pk}: total less balance is 10000 pence" in problems[0]
    with pytest.raises(CommandError, match="The invariants do not hold"):
        call_command("check_invariants")


def test_a_worker_over_capacity_is_reported(healthy: Fund, specialist: User) -> None:
    # capacity 2, with 4 open cases: no save allows it (caseload.capacity), so written past
    # the model, as a restore or a hand-made fix could
    User.objects.filter(pk=specialist.pk).update(fte=Decimal("0.1"))
    assert all_problems() == [f"Worker {specialist.pk} holds 4 open cases, over a capacity of 2."]


def test_the_check_runs_every_night() -> None:
    from e4e.celery import app

    entry = app.conf.beat_schedule["check-invariants"]
    assert entry["task"] == "core.tasks.check_invariants"


@pytest.mark.parametrize("change", ["deactivated", "made an evaluator"])
def test_an_open_case_held_by_someone_who_can_no_longer_hold_cases_is_reported(
    healthy: Fund, specialist: User, change: str
) -> None:
    if change == "deactivated":
        User.objects.filter(pk=specialist.pk).update(is_active=False)
    else:
        User.objects.filter(pk=specialist.pk).update(role="evaluator", fte=None)
    problems = all_problems()
    assert len(problems) == 4  # the specialist's four open cases
    assert all(f"with user {specialist.pk}, who cannot hold cases" in p for p in problems)
