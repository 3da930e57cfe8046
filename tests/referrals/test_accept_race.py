"""CI-1: the cap holds when many managers accept at the same moment (PostgreSQL only)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connections

from caseload.capacity import CapacityReached, held_case_count
from caseload.intake import referral_accept
from core.invariants import all_problems
from core.models import Role, User
from tests.factories import CaseFactory, ReferralFactory, UserFactory
from tests.postgresql import require_postgresql

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

THREADS = 30


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    require_postgresql("Row locks are a no-op on SQLite")


@pytest.fixture(autouse=True)
def _invariants_hold_afterwards(transactional_db: None) -> Iterator[None]:
    """CI-5: after each race, the counters agree with the rows they summarise."""
    yield
    assert all_problems() == []


@pytest.mark.parametrize("attempt", range(5))
def test_thirty_acceptances_for_the_last_place_give_exactly_one_case(attempt: int) -> None:
    worker = UserFactory(role=Role.SPECIALIST, fte=Decimal("1"))
    manager = UserFactory(role=Role.MANAGER, fte=Decimal("0.2"))
    CaseFactory.create_batch(24, worker=worker)
    referrals = ReferralFactory.create_batch(THREADS)
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def accept(index: int) -> None:
        try:
            barrier.wait()
            referral_accept(
                referral=referrals[index], worker=User.objects.get(pk=worker.pk), by=manager
            )
            outcome = "accepted"
        except CapacityReached:
            outcome = "full"
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["accepted"] + ["full"] * (THREADS - 1)
    assert held_case_count(worker) == 25


def test_crossed_reassignments_both_finish_without_deadlock() -> None:
    first = UserFactory(role=Role.SPECIALIST, fte=Decimal("1"))
    second = UserFactory(role=Role.SPECIALIST, fte=Decimal("1"))
    manager = UserFactory(role=Role.MANAGER, fte=Decimal("0.2"))
    a_case, b_case = CaseFactory(worker=first), CaseFactory(worker=second)
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def move(case_pk: int, to_pk: int) -> None:
        from caseload.models import Case
        from caseload.services.cases import case_reassign

        try:
            barrier.wait()
            case_reassign(
                case=Case.objects.get(pk=case_pk), worker=User.objects.get(pk=to_pk), by=manager
            )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(a_case.pk, second.pk)),
        threading.Thread(target=move, args=(b_case.pk, first.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    a_case.refresh_from_db()
    b_case.refresh_from_db()
    assert (a_case.worker, b_case.worker) == (second, first)
