"""CI-3, CI-4: the fund is never overspent and a bid never awarded twice, however many
managers approve at the same moment (PostgreSQL only: row locks are a no-op on SQLite)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.db import connections
from django.db.models import Sum

from core.invariants import all_problems
from core.models import Role, User
from enterprise_fund.models import Fund, FundApplication, LedgerEntry
from enterprise_fund.services import common, decisions, funds, payments
from tests.enterprise_fund.helpers import make_assessment, make_fund, make_submitted
from tests.factories import CaseFactory, UserFactory
from tests.postgresql import require_postgresql

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

THREADS = 10


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    require_postgresql("Row locks are a no-op on SQLite")


@pytest.fixture(autouse=True)
def _invariants_hold_afterwards(transactional_db: None) -> Iterator[None]:
    """CI-5: after each race, the counters agree with the rows they summarise."""
    yield
    assert all_problems() == []


def run_together(count: int, attempt: Callable[[int], None]) -> list[str]:
    """Run `attempt(i)` in `count` threads released at once; each outcome as a string."""
    barrier = threading.Barrier(count)
    results: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            attempt(index)
            outcome = "awarded"
        except funds.InsufficientBalance:
            outcome = "insufficient"
        except common.StaleForm:
            outcome = "stale"
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def assert_books_balance(fund: Fund) -> None:
    fund.refresh_from_db()
    awards = LedgerEntry.objects.filter(fund=fund, kind="award")
    awarded = awards.aggregate(total=Sum("amount_pence"))["total"] or 0
    on_bids = (
        FundApplication.objects.filter(fund=fund, status="approved").aggregate(
            total=Sum("amount_awarded_pence")
        )["total"]
        or 0
    )
    assert fund.remaining_pence >= 0
    assert awarded + fund.remaining_pence == fund.total_pence
    assert on_bids == awarded


@pytest.mark.parametrize("attempt", range(3))
def test_ten_approvals_of_300_against_1000_leave_exactly_three_awards(attempt: int) -> None:
    manager = UserFactory(role=Role.MANAGER, fte=Decimal("0.2"))
    specialist = UserFactory(role=Role.SPECIALIST)
    fund = make_fund(manager, total_pence=100_000)
    bids = [
        make_submitted(CaseFactory(worker=specialist), specialist, 30_000) for _ in range(THREADS)
    ]
    for bid in bids:
        make_assessment(bid, manager)

    def approve(index: int) -> None:
        bid = FundApplication.objects.get(pk=bids[index].pk)
        decisions.fund_application_decide(
            application=bid,
            by=User.objects.get(pk=manager.pk),
            decision="approved",
            version=bid.version,
            amount_pence=30_000,
        )

    results = run_together(THREADS, approve)

    assert results == ["awarded"] * 3 + ["insufficient"] * 7
    assert FundApplication.objects.filter(status="approved").count() == 3
    assert LedgerEntry.objects.filter(kind="award").count() == 3
    assert_books_balance(fund)
    assert fund.remaining_pence == 10_000


def test_the_same_approval_posted_at_once_by_many_gives_one_award() -> None:
    managers = [UserFactory(role=Role.MANAGER, fte=Decimal("0.2")) for _ in range(5)]
    specialist = UserFactory(role=Role.SPECIALIST)
    fund = make_fund(managers[0], total_pence=100_000)
    bid = make_submitted(CaseFactory(worker=specialist), specialist, 30_000)
    make_assessment(bid, managers[0])
    bid.refresh_from_db()
    version = bid.version

    def approve(index: int) -> None:
        decisions.fund_application_decide(
            application=FundApplication.objects.get(pk=bid.pk),
            by=User.objects.get(pk=managers[index].pk),
            decision="approved",
            version=version,
            amount_pence=30_000,
        )

    results = run_together(len(managers), approve)

    assert results == ["awarded"] + ["stale"] * 4
    assert LedgerEntry.objects.filter(kind="award").count() == 1
    assert_books_balance(fund)


def test_payments_at_once_never_exceed_the_award() -> None:
    from tests.enterprise_fund.helpers import approve as approve_bid
    from tests.enterprise_fund.helpers import upload

    manager = UserFactory(role=Role.MANAGER, fte=Decimal("0.2"))
    specialist = UserFactory(role=Role.SPECIALIST)
    make_fund(manager, total_pence=100_000)
    bid = make_submitted(CaseFactory(worker=specialist), specialist, 50_000)
    make_assessment(bid, manager)
    approve_bid(bid, manager)

    def pay(index: int) -> None:
        # Each fetches the current version first, as a fresh page would: only the award caps.
        current = FundApplication.objects.get(pk=bid.pk)
        payments.fund_payment_record(
            application=current,
            by=User.objects.get(pk=manager.pk),
            version=current.version,
            date=current.decision_date,  # type: ignore[arg-type]
            amount_pence=20_000,
            payee="client",
            payee_name="Applicant",
            reference=str(index),
            evidence_kind="receipt",
            evidence=upload(f"receipt-{index}.pdf"),
        )

    run_together(THREADS, pay)

    bid.refresh_from_db()
    assert bid.amount_paid_pence <= 50_000
    paid = LedgerEntry.objects.filter(kind="payment").aggregate(total=Sum("amount_pence"))
    assert paid["total"] == bid.amount_paid_pence
