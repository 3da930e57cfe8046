"""Bids are drafted with the client from the case, submitted, and then locked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.models import Case
from core.models import User
from enterprise_fund.models import BudgetItem, Fund, FundApplication
from enterprise_fund.services import applications, funds
from tests.enterprise_fund.helpers import make_draft, make_submitted
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def bid_data(**extra: str) -> dict[str, str]:
    return {
        "purpose": "A dog-walking round with a van",
        "amount_requested": "£1,250.50",
        "business_plan_summary": "Six dogs a day at £12.",
        "other_support": "Enterprise coach",
        "item_1": "Van deposit",
        "cost_1": "1000",
        "supplier_1": "Dealer",
        "item_2": "Leads and crates",
        "cost_2": "250.50",
        **extra,
    }


def test_a_specialist_drafts_a_bid_from_their_case_in_pence(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    response = signed_in(specialist).post(
        reverse("enterprise_fund:application-new", args=[case.pk]), bid_data()
    )
    application = FundApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "enterprise_fund:application-detail", args=[application.pk]
    )
    assert application.status == FundApplication.Status.DRAFT
    assert application.amount_requested_pence == 125_050
    assert application.fund == fund
    assert application.submitted_date is None
    assert [(b.item, b.cost_pence, b.supplier) for b in application.budget_items.all()] == [
        ("Van deposit", 100_000, "Dealer"),
        ("Leads and crates", 25_050, ""),
    ]
    history = application.history.first()
    assert history is not None
    assert (history.history_user, history.history_change_reason) == (specialist, "Draft started")


def test_the_form_shows_the_published_criteria(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    page = signed_in(specialist).get(reverse("enterprise_fund:application-new", args=[case.pk]))
    text = page.content.decode()
    for title in (
        "Viability",
        "Readiness and commitment",
        "Value for money",
        "Risk: legality and safeguarding",
        "Use of other support",
    ):
        assert title in text
    assert "£1,000 need the approval of two different managers" in text


def test_a_budget_row_needs_both_an_item_and_a_cost(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    response = signed_in(specialist).post(
        reverse("enterprise_fund:application-new", args=[case.pk]),
        bid_data(item_3="Insurance", cost_4="20"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["cost_3"] == ["Enter the cost of item 3"]
    assert form.errors["item_4"] == ["Enter what item 4 is"]
    assert not FundApplication.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter more than £0"),
        ("-5", "Enter more than £0"),
        ("12.345", "Enter the pence as 2 digits at most, like 450.50"),
        ("lots", "Enter an amount in pounds, like 450 or 450.50"),
        ("", "Enter amount asked for"),
    ],
)
def test_the_amount_asked_for_must_be_money(
    signed_in: Callable[..., Client],
    specialist: User,
    case: Case,
    fund: Fund,
    amount: str,
    message: str,
) -> None:
    response = signed_in(specialist).post(
        reverse("enterprise_fund:application-new", args=[case.pk]),
        bid_data(amount_requested=amount),
    )
    assert response.context["form"].errors["amount_requested"] == [message]


def test_no_bid_can_start_before_a_fund_is_set_up(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    response = signed_in(specialist).post(
        reverse("enterprise_fund:application-new", args=[case.pk]), bid_data()
    )
    assert response.status_code == 200
    assert "has not been set up yet" in response.content.decode()
    assert not FundApplication.objects.exists()


def test_a_bid_cannot_start_on_a_closed_case(specialist: User, fund: Fund) -> None:
    case = CaseFactory(worker=specialist, closed_date=None)
    services_case = Case.objects.get(pk=case.pk)
    services_case.closed_date = services_case.start_date
    services_case.closure_reason = "moved_away"
    services_case.save()
    with pytest.raises(ValidationError, match="This case is closed"):
        make_draft(services_case, specialist)


def test_a_draft_can_be_changed_and_saved_again(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    draft = make_draft(case, specialist)
    response = signed_in(specialist).post(
        reverse("enterprise_fund:application-edit", args=[draft.pk]),
        bid_data(purpose="A different idea"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == "A different idea"
    assert draft.budget_items.count() == 2
    assert draft.version == 1


def test_submitting_locks_the_content(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    draft = make_draft(case, specialist)
    client = signed_in(specialist)
    response = client.post(
        reverse("enterprise_fund:application-submit", args=[draft.pk]),
        {"version": draft.version, "declaration": "on"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FundApplication.Status.SUBMITTED
    assert draft.submitted_by == specialist
    assert draft.submitted_date is not None

    # The pages send the user back; the service refuses outright.
    edit = client.post(
        reverse("enterprise_fund:application-edit", args=[draft.pk]), bid_data(purpose="Changed")
    )
    assert edit.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose != "Changed"
    with pytest.raises(ValidationError, match="has been submitted"):
        applications.fund_application_update(
            application=draft,
            by=specialist,
            purpose="Changed",
            amount_requested_pence=1,
            business_plan_summary="",
            other_support="",
            budget=[],
        )


def test_an_incomplete_draft_cannot_be_submitted(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    draft = make_draft(case, specialist, business_plan_summary="", budget=[])
    response = signed_in(specialist).post(
        reverse("enterprise_fund:application-submit", args=[draft.pk]),
        {"version": draft.version, "declaration": "on"},
    )
    errors = response.context["form"].non_field_errors()
    assert "Summarise the business plan before submitting" in errors
    assert "Add at least one item to the budget before submitting" in errors
    draft.refresh_from_db()
    assert draft.status == FundApplication.Status.DRAFT


def test_the_amount_asked_for_cannot_be_more_than_the_budget(
    specialist: User, case: Case, fund: Fund
) -> None:
    draft = make_draft(
        case, specialist, budget=[{"item": "Kit", "cost_pence": 100, "supplier": ""}]
    )
    with pytest.raises(ValidationError, match=r"more than the budget's total \(£1\)"):
        applications.fund_application_submit(
            application=draft, by=specialist, version=draft.version
        )


def test_posting_extra_fields_changes_nothing_else(
    signed_in: Callable[..., Client],
    specialist: User,
    case: Case,
    fund: Fund,
    manager: User,
) -> None:
    draft = make_draft(case, specialist)
    other_fund = funds.fund_create(name="Another pot", total_pence=100, by=manager)
    signed_in(specialist).post(
        reverse("enterprise_fund:application-edit", args=[draft.pk]),
        bid_data(
            status="approved",
            amount_awarded_pence="125050",
            amount_awarded="1250.50",
            amount_paid_pence="1",
            fund=str(other_fund.pk),
            decided_by=str(specialist.pk),
            version="99",
        ),
    )
    draft.refresh_from_db()
    assert draft.status == FundApplication.Status.DRAFT
    assert draft.amount_awarded_pence is None
    assert draft.amount_paid_pence == 0
    assert draft.fund == fund
    assert draft.decided_by is None
    assert draft.version == 1


def test_specialists_see_only_bids_on_their_own_cases(
    signed_in: Callable[..., Client],
    specialist: User,
    other_specialist: User,
    case: Case,
    fund: Fund,
) -> None:
    mine = make_submitted(case, specialist)
    theirs = make_submitted(CaseFactory(worker=other_specialist), other_specialist)
    client = signed_in(specialist)
    listing = client.get(reverse("enterprise_fund:applications"))
    assert list(listing.context["page_obj"]) == [mine]
    for name in (
        "enterprise_fund:application-detail",
        "enterprise_fund:application-edit",
        "enterprise_fund:application-submit",
        "enterprise_fund:attachment-new",
        "enterprise_fund:business-start",
    ):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    assert (
        client.get(reverse("enterprise_fund:application-new", args=[theirs.case_id])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("enterprise_fund:application-new", args=[theirs.case_id]), bid_data()
        ).status_code
        == 404
    )
    assert BudgetItem.objects.filter(application__case=theirs.case).count() == 1


def test_managers_see_every_bid(
    signed_in: Callable[..., Client],
    specialist: User,
    other_specialist: User,
    manager: User,
    case: Case,
    fund: Fund,
) -> None:
    make_submitted(case, specialist)
    make_submitted(CaseFactory(worker=other_specialist), other_specialist)
    listing = signed_in(manager).get(reverse("enterprise_fund:applications"))
    assert listing.context["page_obj"].paginator.count == 2


def test_the_case_page_links_to_the_bids(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    client = signed_in(specialist)
    page = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert "Start a fund bid" in page
    make_draft(case, specialist)
    page = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert "Enterprise fund bids" in page
    assert reverse("enterprise_fund:case-applications", args=[case.pk]) in page
