"""After the award: the business start is the case's self-employment outcome with trading
checks at 26 and 52 weeks; income is reported over time; and the reason if it stops."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Outcome, Task
from core.models import User
from enterprise_fund.models import Fund, FundApplication
from enterprise_fund.services import follow_up
from tests.enterprise_fund.helpers import make_approved, make_submitted, start_business
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def award(case: Case, specialist: User, manager: User, fund: Fund) -> FundApplication:
    return make_approved(case, specialist, manager)


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_business_start_records_the_outcome_and_the_trading_checks(
    signed_in: Callable[..., Client], specialist: User, award: FundApplication
) -> None:
    response = signed_in(specialist).post(
        reverse("enterprise_fund:business-start", args=[award.pk]),
        {**date_fields("start_date", TODAY), "business_name": "Fresh Cuts", "hours_per_week": "20"},
    )
    assert response.status_code == 302
    award.refresh_from_db()
    outcome = award.business_outcome
    assert outcome is not None
    assert (outcome.type, outcome.start_date, outcome.employer_name) == (
        Outcome.Type.SELF_EMPLOYMENT,
        TODAY,
        "Fresh Cuts",
    )
    checks = {t.title: t.due_date for t in Task.objects.filter(outcome=outcome)}
    assert checks == {
        "26-week trading check": TODAY + datetime.timedelta(weeks=26),
        "52-week trading check": TODAY + datetime.timedelta(weeks=52),
    }


def test_the_trading_check_is_on_the_specialists_home_page_at_26_weeks(
    signed_in: Callable[..., Client], specialist: User, award: FundApplication
) -> None:
    start_business(award, specialist)
    client = signed_in(specialist)

    def due_this_week(page: str) -> str:
        # The caseload above names each person's next task whenever it is due.
        return page.split("Tasks due this week", 1)[1]

    home = client.get(reverse("caseload:home")).content.decode()
    assert "26-week trading check" not in due_this_week(home)
    with time_machine.travel(TODAY + datetime.timedelta(weeks=26, hours=12), tick=False):
        # Half a year on, the old session has long expired: sign in again.
        page = signed_in(specialist).get(reverse("caseload:home")).content.decode()
    assert "26-week trading check" in due_this_week(page)
    assert "52-week trading check" not in due_this_week(page)


def test_the_business_start_is_recorded_once_and_only_after_approval(
    specialist: User, award: FundApplication
) -> None:
    start_business(award, specialist)
    with pytest.raises(ValidationError, match="already been recorded"):
        start_business(award, specialist)
    other = make_submitted(CaseFactory(worker=specialist), specialist)
    with pytest.raises(ValidationError, match="once the application is approved"):
        start_business(other, specialist)


def test_income_is_reported_over_time(
    signed_in: Callable[..., Client], specialist: User, award: FundApplication
) -> None:
    start_business(award, specialist)
    client = signed_in(specialist)
    url = reverse("enterprise_fund:income-new", args=[award.pk])
    response = client.post(
        url,
        {
            **date_fields("period_start", TODAY - datetime.timedelta(days=27)),
            **date_fields("period_end", TODAY),
            "income": "640.00",
            "notes": "Busy weekends",
        },
    )
    assert response.status_code == 302
    (report,) = award.income_reports.all()
    assert (report.income_pence, report.notes) == (64_000, "Busy weekends")
    backwards = client.post(
        url,
        {
            **date_fields("period_start", TODAY),
            **date_fields("period_end", TODAY - datetime.timedelta(days=1)),
            "income": "0",
        },
    )
    assert backwards.context["form"].errors["period_end"] == [
        "The period must end on or after its start"
    ]


def test_a_stopped_business_ends_the_outcome_with_the_reason(
    signed_in: Callable[..., Client], specialist: User, award: FundApplication
) -> None:
    start_business(award, specialist)
    response = signed_in(specialist).post(
        reverse("enterprise_fund:business-stop", args=[award.pk]),
        {**date_fields("end_date", TODAY), "reason": "Lost the van"},
    )
    assert response.status_code == 302
    award.refresh_from_db()
    outcome = award.business_outcome
    assert outcome is not None
    assert (outcome.end_date, outcome.end_reason) == (TODAY, "Lost the van")
    assert not Task.objects.filter(outcome=outcome, done_date__isnull=True).exists()
    with pytest.raises(ValidationError, match="already been recorded as stopped"):
        follow_up.fund_business_stop(application=award, by=specialist, end_date=TODAY, reason="x")
