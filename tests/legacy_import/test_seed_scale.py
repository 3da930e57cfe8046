"""seed_scale: a synthetic history in proportion to the clients asked for, that keeps the
invariants, and is refused where it could mix made-up people with real ones."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q

from caseload.models import (
    Case,
    Contact,
    DistanceAssessment,
    InitialAssessment,
    Outcome,
    RiskAssessment,
    Task,
)
from core.invariants import all_problems
from core.models import Role, User
from enterprise_fund.models import FundApplication
from referrals.models import Referral
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def test_twenty_clients_make_a_history_in_proportion_that_keeps_the_invariants(
    settings: Any,
) -> None:
    settings.DEBUG = True

    out = seed("--clients", "20", "--seed", "3")

    assert Referral.objects.count() == 20
    cases = Case.objects.count()
    assert 10 <= cases <= 20
    started = Case.objects.filter(start_date__isnull=False).count()
    assert InitialAssessment.objects.count() == started
    assert RiskAssessment.objects.count() >= started
    assert DistanceAssessment.objects.count() >= started
    # About 100 contacts per client, every one within its case's dates.
    assert 1_000 <= Contact.objects.count() <= 3_000
    assert not Contact.objects.filter(
        Q(date__lt=F("case__accepted_date")) | Q(date__gt=F("case__closed_date"))
    ).exists()
    assert Case.objects.filter(contacts__isnull=False).distinct().count() >= started
    assert Outcome.objects.count() <= started
    assert Task.objects.filter(outcome__isnull=False).count() == Task.objects.count()
    assert FundApplication.objects.count() <= started
    # Every row has the creation row of its history, by the worker who made it.
    assert Contact.history.filter(history_type="+").count() == Contact.objects.count()
    assert not Contact.history.exclude(history_user=F("worker")).exists()
    assert all_problems() == []
    specialists = User.objects.filter(role=Role.SPECIALIST).count()
    assert specialists >= 2
    for label in ("referrals", "cases", "contacts", "fund bids", "in all"):
        assert any(line.strip().startswith(label) for line in out.splitlines()), label


def test_a_second_history_needs_another_seed(settings: Any) -> None:
    settings.DEBUG = True
    seed("--clients", "5", "--seed", "4")

    with pytest.raises(CommandError, match="already holds the synthetic history of seed 4"):
        seed("--clients", "5", "--seed", "4")
    seed("--clients", "5", "--seed", "5")

    assert Referral.objects.count() == 10
    assert all_problems() == []


def test_it_is_refused_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG=true, or with --yes-i-mean-it"):
        seed("--clients", "5")

    assert not Referral.objects.exists()


def test_it_is_refused_on_a_database_with_other_referrals(settings: Any) -> None:
    settings.DEBUG = True
    ReferralFactory()

    with pytest.raises(CommandError, match="holds 1 other referrals"):
        seed("--clients", "5")

    assert Referral.objects.count() == 1
    seed("--clients", "5", "--yes-i-mean-it")
    assert Referral.objects.count() == 6
