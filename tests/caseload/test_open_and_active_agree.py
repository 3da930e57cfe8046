"""Open and active mean one thing: the team view, the specialist's home page, the manager's
dashboard and the quarterly return count the same cases for the same worker and day."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from caseload.models import Case, Contact
from caseload.selectors import team_caseloads
from core.models import Role, User
from reporting.figures import quarterly_return
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def _case(
    worker: User, *, started_days_ago: int | None, closed_days_ago: int | None = None
) -> Case:
    accepted = TODAY - datetime.timedelta(days=(started_days_ago or 0) + 3)
    case = CaseFactory(
        worker=worker,
        referral__received_date=accepted - datetime.timedelta(days=5),
        referral__decision_date=accepted,
        accepted_date=accepted,
        start_date=None
        if started_days_ago is None
        else TODAY - datetime.timedelta(days=started_days_ago),
    )
    if closed_days_ago is not None:
        case.closed_date = TODAY - datetime.timedelta(days=closed_days_ago)
        case.closure_reason = "other"
        case.save()
    return case


def _seen(case: Case, days_ago: int, mode: str = "phone") -> None:
    Contact.objects.create(
        case=case,
        worker=case.worker,
        date=TODAY - datetime.timedelta(days=days_ago),
        mode=mode,
        party="client",
        duration_minutes=30,
    )


@pytest.fixture
def worker() -> User:
    """A worker whose caseload has every kind of case: active (seen 27 days ago, the edge),
    not active (seen 28 days ago; admin time since does not count), started this week,
    awaiting assessment, closed yesterday, and closed today."""
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("1"), email="w@t.invalid")
    _seen(_case(worker, started_days_ago=90), 27)
    lapsed = _case(worker, started_days_ago=90)
    _seen(lapsed, 28)
    _seen(lapsed, 2, mode="admin")
    _case(worker, started_days_ago=3)
    _case(worker, started_days_ago=None)
    _seen(_case(worker, started_days_ago=60, closed_days_ago=1), 5)
    _seen(_case(worker, started_days_ago=60, closed_days_ago=0), 5)
    return worker


def test_the_team_view_home_dashboard_and_return_agree_on_open_and_active(
    worker: User, signed_in: Callable[..., Client], manager: User
) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        assert timezone.localdate() == TODAY
        team = next(w for w in team_caseloads(TODAY) if w == worker)
        home = signed_in(worker).get("/cases/").context["counts"]
        dashboard = signed_in(manager).get("/reporting/").context
        ret = quarterly_return(datetime.date(2026, 10, 1), TODAY)

    row = next(r for r in ret["caseload"]["per_worker"] if r["worker"] == worker.email)
    dash_row = next(
        r for r in dashboard["figures"]["caseload"]["per_worker"] if r["worker"] == worker.email
    )
    # Open: started and not closed on the day (closed today is not open); active: open and
    # seen within the 28 days ending on the day.
    expected = {"open": 3, "active": 2}
    assert {"open": team.open_cases, "active": team.active_cases} == expected
    assert {"open": home["open_cases"], "active": home["active_cases"]} == expected
    assert {"open": row["open_at_end"], "active": row["active_at_end"]} == expected
    assert {"open": dash_row["open_at_end"], "active": dash_row["active_at_end"]} == expected
    # Held against the cap: every case accepted and not closed, awaiting assessment included.
    assert team.held_cases == home["held_cases"] == 4
