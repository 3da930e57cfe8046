"""Administration cannot break the caseload cap: lowering a worker's FTE below the cases
they hold, giving them a role without a caseload, or deactivating them is refused with the
cases to reassign first, on every path that saves a worker (the Users page, the import)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Case
from core.models import Role, User
from legacy_import.importer import import_legacy
from tests.factories import CaseFactory
from tests.legacy_import.import_helpers import write_history

pytestmark = pytest.mark.django_db


def holding(worker: User, cases: int) -> list[Case]:
    return [CaseFactory(worker=worker) for _ in range(cases)]


def test_lowering_the_fte_below_the_cases_held_is_refused_with_the_cases_named(
    signed_in: Callable[..., Client], admin_user: User, specialist: User
) -> None:
    cases = holding(specialist, 13)  # capacity at 0.5 FTE: 12
    client = signed_in(admin_user)
    page = client.post(
        reverse("users:edit", args=[specialist.pk]),
        {"full_name": specialist.full_name, "role": Role.SPECIALIST, "fte": "0.5"},
    ).content.decode()

    assert "holds 13 open cases" in page and "reassign 1 of them first" in page
    first = sorted(case.referral.reference for case in cases)[0]
    assert first in page and "and 3 more" in page
    specialist.refresh_from_db()
    assert specialist.fte == Decimal("1.00")  # nothing saved


def test_lowering_the_fte_within_the_cases_held_is_allowed(
    signed_in: Callable[..., Client], admin_user: User, specialist: User
) -> None:
    holding(specialist, 12)
    client = signed_in(admin_user)
    client.post(
        reverse("users:edit", args=[specialist.pk]),
        {"full_name": specialist.full_name, "role": Role.SPECIALIST, "fte": "0.5"},
    )
    specialist.refresh_from_db()
    assert specialist.fte == Decimal("0.50")


def test_a_role_without_a_caseload_is_refused_while_cases_are_held(
    signed_in: Callable[..., Client], admin_user: User, specialist: User
) -> None:
    holding(specialist, 1)
    client = signed_in(admin_user)
    page = client.post(
        reverse("users:edit", args=[specialist.pk]),
        {"full_name": specialist.full_name, "role": Role.EVALUATOR, "fte": ""},
    ).content.decode()
    assert "cannot be given a role without a caseload: reassign 1 of them first" in page
    specialist.refresh_from_db()
    assert specialist.role == Role.SPECIALIST


def test_deactivating_a_worker_who_holds_cases_is_refused(
    signed_in: Callable[..., Client], admin_user: User, specialist: User
) -> None:
    holding(specialist, 2)
    client = signed_in(admin_user)
    page = client.post(reverse("users:deactivate", args=[specialist.pk])).content.decode()
    assert "holds 2 open cases, so cannot be deactivated: reassign 2 of them first" in page
    specialist.refresh_from_db()
    assert specialist.is_active


def test_a_closed_case_does_not_hold_a_place(
    signed_in: Callable[..., Client], admin_user: User, specialist: User
) -> None:
    (case,) = holding(specialist, 1)
    case.closed_date = case.start_date
    case.closure_reason = "moved_away"
    case.save()
    signed_in(admin_user).post(reverse("users:deactivate", args=[specialist.pk]))
    specialist.refresh_from_db()
    assert not specialist.is_active


def test_the_import_cannot_lower_a_workers_fte_below_their_cases(tmp_path: Path) -> None:
    history = {
        "workers.csv": """
            worker_id,email,name,fte,role
            W1,w1@example.org,Wendy One,1.0,specialist
        """,
        "referrals.csv": """
            referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,cohort,decision,decision_date
            R1,P1,2025-10-01,self,Ann,Ash,1999-01-01,at_risk,accepted,2025-10-02
            R2,P2,2025-10-01,self,Bo,Birch,1999-01-01,at_risk,accepted,2025-10-02
        """,
        "cases.csv": """
            case_id,referral_id,worker_id,start_date
            C1,R1,W1,2025-10-03
            C2,R2,W1,2025-10-03
        """,
    }
    folder = write_history(tmp_path / "history", history)
    assert import_legacy(folder).ok
    lowered = history["workers.csv"].replace("Wendy One,1.0", "Wendy One,0.04")
    write_history(folder, {"workers.csv": lowered})

    result = import_legacy(folder)

    assert not result.ok
    assert any("holds 2 open cases" in error for error in result.errors), result.errors
    assert User.objects.get(legacy_id="W1").fte == Decimal("1.00")
