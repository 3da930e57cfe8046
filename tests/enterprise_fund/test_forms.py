"""IN-1: the fund's forms never crash on arbitrary input; money comes out as whole pence,
never negative, and an award never beyond the fund's balance."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprise_fund.forms.applications import BUDGET_ROWS, ApplicationForm
from enterprise_fund.forms.common import MAX_POUNDS, PoundsField
from enterprise_fund.forms.decisions import DecisionForm
from enterprise_fund.forms.follow_up import IncomeForm
from enterprise_fund.forms.funds import FundAdjustForm
from enterprise_fund.models import FundApplication

MONEY_TEXT = (
    st.decimals(min_value=-1000, max_value=2_000_000, places=2, allow_nan=False).map(str)
    | st.integers(min_value=-(10**12), max_value=10**12).map(str)
    | st.sampled_from(
        ["£1,500", "1e3", "NaN", "Infinity", "-0", "0.001", " 12 ", "\uff11\uff12", "\x00"]
    )
    | st.text(max_size=20)
)
APPLICATION_FIELDS = [
    "purpose",
    "amount_requested",
    "business_plan_summary",
    "other_support",
    *[
        f"{part}_{row}"
        for row in range(1, BUDGET_ROWS + 2)
        for part in ("item", "cost", "supplier")
    ],
]
posted = st.dictionaries(
    st.sampled_from(APPLICATION_FIELDS) | st.text(max_size=10),
    MONEY_TEXT | st.text(max_size=200),
    max_size=len(APPLICATION_FIELDS),
)


@settings(max_examples=300, deadline=None)
@given(value=MONEY_TEXT)
def test_a_pounds_field_gives_whole_pence_or_a_validation_error(value: str) -> None:
    from django import forms

    field = PoundsField(label="Amount", required=False, allow_zero=True)
    try:
        pence = field.clean(value)
    except forms.ValidationError:
        return
    assert pence is None or (isinstance(pence, int) and 0 <= pence <= MAX_POUNDS * 100)


@settings(max_examples=200, deadline=None)
@given(data=posted)
def test_the_application_form_only_says_valid_or_not(data: dict[str, str]) -> None:
    form = ApplicationForm(data)
    assert form.is_valid() in {True, False}
    if form.is_valid():
        arguments = form.service_arguments()
        assert arguments["amount_requested_pence"] > 0
        assert all(line["cost_pence"] > 0 for line in arguments["budget"])
        assert all(line["item"] for line in arguments["budget"])


@pytest.mark.django_db
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(
        st.sampled_from(["version", "decision", "amount", "conditions", "reason", "total"]),
        MONEY_TEXT | st.sampled_from(["approved", "rejected", "more_information", "0", "3"]),
    )
)
def test_the_decision_and_fund_forms_only_say_valid_or_not(data: dict[str, str]) -> None:
    application = FundApplication(version=3)
    decision = DecisionForm(data, application=application)
    assert decision.is_valid() in {True, False}
    if decision.is_valid():
        arguments = decision.service_arguments()
        assert arguments["amount_pence"] is None or arguments["amount_pence"] > 0
    adjust = FundAdjustForm(data | {"reason": "A reason"})
    assert adjust.is_valid() in {True, False}
    if adjust.is_valid():
        assert adjust.cleaned_data["total"] >= 0
    income = IncomeForm(data)
    assert income.is_valid() in {True, False}


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    balance=st.integers(min_value=0, max_value=200_000),
    asked=st.integers(min_value=1, max_value=200_000),
    award=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2),
)
def test_an_award_never_exceeds_the_balance(balance: int, asked: int, award: Decimal) -> None:
    """Whatever is asked and awarded, the fund never goes below zero and the award never
    goes beyond the request or the balance."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from core.models import Role
    from enterprise_fund.services import decisions
    from tests.enterprise_fund.helpers import make_assessment, make_fund, make_submitted
    from tests.factories import CaseFactory, UserFactory

    with transaction.atomic():
        manager = UserFactory(role=Role.MANAGER, fte=Decimal("0.5"))
        specialist = UserFactory(role=Role.SPECIALIST)
        fund = make_fund(manager, total_pence=balance)
        application = make_submitted(CaseFactory(worker=specialist), specialist, asked)
        make_assessment(application, manager)
        application.refresh_from_db()
        pence = int(award * 100)
        with contextlib.suppress(ValidationError):
            decisions.fund_application_decide(
                application=application,
                by=manager,
                decision="approved",
                version=application.version,
                amount_pence=pence,
            )
        fund.refresh_from_db()
        application.refresh_from_db()
        assert fund.remaining_pence >= 0
        if application.status == "approved":
            assert application.amount_awarded_pence == pence
            assert pence <= asked
            assert fund.remaining_pence + pence == fund.total_pence
        transaction.set_rollback(True)
