"""The managers' fund page: balance and ledger, applications by status with the amounts,
time to decision, who applied and who was awarded, and the businesses still trading."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.models import User
from enterprise_fund.models import Fund
from enterprise_fund.selectors import fund_overview
from enterprise_fund.services import decisions, funds, payments
from tests.enterprise_fund.helpers import (
    approve,
    make_assessment,
    make_draft,
    make_fund,
    make_submitted,
    start_business,
    upload,
)
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)


def case_for(worker: User, *, born: datetime.date, ethnicity: str, gender: str) -> object:
    return CaseFactory(
        worker=worker,
        referral__date_of_birth=born,
        referral__ethnicity=ethnicity,
        referral__gender=gender,
        referral__received_date=DAY - datetime.timedelta(days=40),
        referral__decision_date=DAY - datetime.timedelta(days=30),
        accepted_date=DAY - datetime.timedelta(days=30),
        start_date=DAY - datetime.timedelta(days=29),
    )


@pytest.fixture
def history(specialist: User, manager: User) -> Fund:
    """Three bids: one approved, paid in part and trading; one rejected; one a draft."""
    with time_machine.travel(DAY, tick=False):
        fund = make_fund(manager, total_pence=1_000_000)
        # 21 on the day of submission (the birthday is the day before)...
        awarded = make_submitted(
            case_for(specialist, born=datetime.date(2005, 5, 3), ethnicity="black", gender="male"),
            specialist,
            60_000,
        )
        # ...and 21 too: 22 the day after.
        rejected = make_submitted(
            case_for(
                specialist, born=datetime.date(2004, 5, 5), ethnicity="white", gender="female"
            ),
            specialist,
            30_000,
        )
        make_draft(
            case_for(specialist, born=datetime.date(1990, 1, 1), ethnicity="asian", gender="male"),
            specialist,
        )
    with time_machine.travel(DAY + datetime.timedelta(days=4), tick=False):
        make_assessment(awarded, manager)
        awarded = approve(awarded, manager, 50_000)
        funds.fund_set_total(
            fund=fund, total_pence=1_100_000, by=manager, reason="Top-up from the OPCC"
        )
    with time_machine.travel(DAY + datetime.timedelta(days=10), tick=False):
        rejected.refresh_from_db()
        decisions.fund_application_decide(
            application=rejected,
            by=manager,
            decision="rejected",
            version=rejected.version,
            reason="Not viable",
        )
        payments.fund_payment_record(
            application=awarded,
            by=manager,
            version=awarded.version,
            date=DAY + datetime.timedelta(days=10),
            amount_pence=20_000,
            payee="supplier",
            payee_name="Acme",
            reference="",
            evidence_kind="invoice",
            evidence=upload(),
        )
        awarded.refresh_from_db()
        start_business(awarded, specialist)
    fund.refresh_from_db()
    return fund


def test_the_fund_figures_come_from_the_ledger_and_the_bids(history: Fund) -> None:
    overview = fund_overview(history)
    assert (overview["total"], overview["remaining"]) == (1_100_000, 1_050_000)
    assert (overview["awarded"], overview["paid"], overview["adjusted"]) == (
        50_000,
        20_000,
        100_000,
    )
    assert overview["awarded_not_paid"] == 30_000
    assert overview["awarded"] + overview["remaining"] == overview["total"]
    by_status = {row["status"]: row for row in overview["by_status"]}
    assert by_status["approved"] | {"label": ""} == {
        "status": "approved",
        "label": "",
        "count": 1,
        "asked": 60_000,
        "awarded": 50_000,
        "paid": 20_000,
    }
    assert (by_status["rejected"]["count"], by_status["rejected"]["asked"]) == (1, 30_000)
    assert by_status["draft"]["count"] == 1
    assert overview["totals"] == {"count": 2, "asked": 90_000, "awarded": 50_000, "paid": 20_000}
    assert (overview["decisions"], overview["mean_days_to_decision"]) == (2, 7.0)
    assert overview["longest_days_to_decision"] == 10.0
    assert (overview["businesses_started"], overview["businesses_trading"]) == (1, 1)


def test_applicants_and_awardees_are_broken_down_by_ethnicity_gender_and_age(
    history: Fund,
) -> None:
    equity = fund_overview(history)["equity"]

    def counts(group: str) -> dict[str, tuple[int, int]]:
        return {
            row["label"]: (row["applied"], row["awarded"])
            for row in equity[group]
            if row["applied"]
        }

    assert counts("ethnicity") == {
        "Black, Black British, Black Welsh, Caribbean or African": (1, 1),
        "White": (1, 0),
    }
    assert counts("gender") == {"Female": (1, 0), "Male": (1, 1)}
    assert counts("age_band") == {"18 to 21": (2, 1)}


def test_the_fund_page_shows_the_balance_and_the_ledger(
    signed_in: Callable[..., Client], manager: User, history: Fund
) -> None:
    page = signed_in(manager).get(reverse("enterprise_fund:fund")).content.decode()
    assert "£10,500" in page  # the balance
    assert "£11,000" in page  # the total
    assert "Top-up from the OPCC" in page
    assert "7.0 days on average" in page
    assert "still trading" in page


def test_a_manager_sets_up_the_fund_and_tops_it_up_with_a_reason(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    assert client.get(reverse("enterprise_fund:fund")).status_code == 200
    client.post(
        reverse("enterprise_fund:fund-create"),
        {
            "name": "Enterprise fund 2026-27",
            "total": "60,000",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2026",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2027",
        },
    )
    fund = Fund.objects.get()
    assert (fund.total_pence, fund.remaining_pence) == (6_000_000, 6_000_000)
    assert fund.period_end == datetime.date(2027, 3, 31)
    no_reason = client.post(reverse("enterprise_fund:fund-adjust"), {"total": "70000"})
    assert no_reason.context["form"].errors["reason"] == ["Enter reason for the change"]
    client.post(reverse("enterprise_fund:fund-adjust"), {"total": "70000", "reason": "Top-up"})
    fund.refresh_from_db()
    assert fund.total_pence == 7_000_000
    entry = fund.ledger.get()
    assert (entry.kind, entry.amount_pence, entry.reason) == ("adjustment", 1_000_000, "Top-up")


def test_the_total_cannot_drop_below_what_is_awarded(
    signed_in: Callable[..., Client], manager: User, history: Fund
) -> None:
    response = signed_in(manager).post(
        reverse("enterprise_fund:fund-adjust"), {"total": "100", "reason": "Cut"}
    )
    assert "£500 has already been awarded" in response.content.decode()
    history.refresh_from_db()
    assert history.total_pence == 1_100_000


def test_the_fund_page_lists_the_ten_oldest_waiting_and_says_how_many_more(
    signed_in: Callable[..., Client], manager: User, specialist: User
) -> None:
    make_fund(manager)
    waiting = [
        make_submitted(CaseFactory(worker=specialist), specialist, amount_pence=10_000 + n)
        for n in range(12)
    ]
    page = signed_in(manager).get(reverse("enterprise_fund:fund"))
    assert list(page.context["awaiting"]) == waiting[:10]  # oldest first
    body = page.content.decode()
    assert "12 applications are waiting for a decision; the 10 oldest are above." in body
    assert waiting[9].reference in body
    assert waiting[11].reference not in body
