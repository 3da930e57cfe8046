"""The manager's team view: each worker's open, active and capacity figures."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from caseload.models import Contact
from caseload.selectors import team_caseloads
from core.models import Role, User
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def started(worker: User, days: int | None) -> object:
    """A case accepted a day before it started `days` ago (None: awaiting assessment)."""
    if days is None:
        return CaseFactory(worker=worker, start_date=None)
    return CaseFactory(
        worker=worker,
        referral__received_date=days_ago(days + 5),
        referral__decision_date=days_ago(days + 1),
        start_date=days_ago(days),
    )


def client_contact(case: object, on: datetime.date, mode: str = "phone") -> Contact:
    return Contact.objects.create(
        case=case, worker=case.worker, date=on, mode=mode, party="client", duration_minutes=20
    )


def test_team_figures_count_held_open_active_awaiting_and_going_inactive() -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.8"))
    seen_recently = started(worker, 100)
    client_contact(seen_recently, days_ago(27))  # still active: within the 28 days ending today
    lapsed = started(worker, 100)
    client_contact(lapsed, days_ago(28))  # not active, and more than 21 days
    client_contact(lapsed, days_ago(3), mode="admin")  # admin time is not a client contact
    just_started = started(worker, 2)
    started(worker, None)  # awaiting assessment
    closed = started(worker, 50)
    closed.closed_date, closed.closure_reason = days_ago(1), "other"
    closed.save()
    row = next(w for w in team_caseloads(TODAY) if w == worker)
    held = (row.held_cases, row.open_cases, row.awaiting_assessment)
    assert held == (4, 3, 1)  # held against the cap includes the case awaiting assessment
    assert (row.active_cases, row.going_inactive) == (
        2,
        2,  # 27 and 28 days since the last client contact are both past the 21-day warning
    )
    assert row.capacity == 20 and row.amber_threshold == 16
    assert just_started.worker == worker


def test_the_manager_home_flags_a_full_caseload(
    signed_in: Callable[..., Client], manager: User
) -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"), full_name="Fay Full")
    CaseFactory.create_batch(5, worker=worker)
    body = signed_in(manager).get("/cases/team/").content.decode()
    assert "Fay Full" in body and "Full" in body


def test_the_team_view_counts_overdue_tasks_and_recent_disclosures(manager: User) -> None:
    from caseload.models import Task, ThreatToLifeDisclosure

    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("1"))
    first, second = CaseFactory(worker=worker), CaseFactory(worker=worker)
    for case in (first, second):
        Task.objects.create(case=case, kind="in_work_support", title="x", due_date=days_ago(1))
    Task.objects.create(case=first, kind="in_work_support", title="y", due_date=TODAY)
    now = datetime.datetime.now(datetime.UTC)
    ThreatToLifeDisclosure.objects.create(
        case=first,
        disclosed_at=now,
        what="x",
        police_told_at=now,
        police_contact="DS",
        police_reference="R1",
        by=manager,
    )
    row = next(w for w in team_caseloads(TODAY) if w == worker)
    assert (row.held_cases, row.overdue_tasks, row.recent_disclosures) == (2, 2, 1)


def test_the_team_view_shows_fifty_workers_a_page_with_their_counts(
    manager: User, signed_in: Callable[..., Client], django_assert_max_num_queries
) -> None:
    from core.selectors import workers_with_capacity

    last = UserFactory(role=Role.SPECIALIST, full_name="Zzz Last of all")
    started(last, 10)
    for number in range(55):
        UserFactory(role=Role.SPECIALIST, full_name=f"Worker {number:02d}")
    total = workers_with_capacity().count()
    client = signed_in(manager)
    first = client.get("/cases/team/")
    assert len(first.context["workers"]) == 50
    assert f"Workers 1 to 50 of {total}" in first.content.decode()
    with django_assert_max_num_queries(20):
        final = client.get("/cases/team/", {"page": 2})
    rows = final.context["workers"]
    assert len(rows) == total - 50
    assert rows[-1] == last
    assert (rows[-1].held_cases, rows[-1].open_cases, rows[-1].active_cases) == (1, 1, 1)


def test_the_team_view_counts_each_workers_out_of_hours_client_contacts_in_28_days(
    signed_in: Callable[..., Client], manager: User
) -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("1"), full_name="Owen Evening")
    case = started(worker, 100)
    for day, mode, party in (
        (days_ago(0), "phone", "client"),
        (days_ago(27), "face_to_face", "client"),
        (days_ago(28), "phone", "client"),  # before the 28 days
        (days_ago(3), "admin", "none"),  # admin time is not a client contact
        (days_ago(3), "phone", "family"),
    ):
        Contact.objects.create(
            case=case if party != "none" else None,
            worker=worker,
            date=day,
            mode=mode,
            party=party,
            duration_minutes=20,
            out_of_hours=True,
        )
    client_contact(case, days_ago(1))  # in hours
    row = next(w for w in team_caseloads(TODAY) if w == worker)
    assert row.out_of_hours_contacts == 2
    body = signed_in(manager).get("/cases/team/").content.decode()
    assert 'data-label="Out-of-hours contacts (28 days)">2</td>' in body
