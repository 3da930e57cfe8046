"""Assessment and decision with separation of duties, two approvals above the threshold,
the balance never overspent, and one award however often the approval is posted."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caseload.models import Case
from core.models import Role, User
from enterprise_fund.models import Decision, Fund, FundApplication, LedgerEntry
from enterprise_fund.services import applications, decisions
from tests.enterprise_fund.helpers import (
    SCORES,
    approve,
    make_assessment,
    make_fund,
    make_submitted,
)
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def decide_data(application: FundApplication, **extra: str) -> dict[str, str]:
    return {"version": str(application.version), "decision": "approved", **extra}


def test_a_manager_assesses_against_each_criterion(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist)
    data = {name: str(score) for name, score in SCORES.items()} | {
        "viability_notes": "Customers lined up",
        "summary": "Good",
    }
    response = signed_in(manager).post(
        reverse("enterprise_fund:application-assess", args=[application.pk]), data
    )
    assert response.status_code == 302
    (assessment,) = application.assessments.all()
    assert assessment.assessor == manager
    assert assessment.total == 20
    assert assessment.viability_notes == "Customers lined up"


@pytest.mark.parametrize("score", ["0", "6", "x", ""])
def test_scores_run_from_1_to_5(
    signed_in: Callable[..., Client],
    specialist: User,
    manager: User,
    case: Case,
    fund: Fund,
    score: str,
) -> None:
    application = make_submitted(case, specialist)
    data = {name: str(value) for name, value in SCORES.items()} | {"risk": score}
    response = signed_in(manager).post(
        reverse("enterprise_fund:application-assess", args=[application.pk]), data
    )
    assert response.status_code == 200
    assert "risk" in response.context["form"].errors
    assert not application.assessments.exists()


def test_a_manager_approves_and_the_award_is_in_the_ledger(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    application.refresh_from_db()
    response = signed_in(manager).post(
        reverse("enterprise_fund:application-decide", args=[application.pk]),
        decide_data(application, amount="400"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    fund.refresh_from_db()
    assert application.status == FundApplication.Status.APPROVED
    assert application.amount_awarded_pence == 40_000
    assert application.decided_by == manager
    assert fund.remaining_pence == fund.total_pence - 40_000
    (award,) = LedgerEntry.objects.filter(kind="award")
    assert (award.application, award.amount_pence, award.by) == (application, 40_000, manager)
    (decision,) = application.decisions.all()
    assert (decision.kind, decision.by, decision.first_of_two) == ("approved", manager, False)


def test_posting_the_same_approval_twice_gives_one_award(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    application.refresh_from_db()
    client = signed_in(manager)
    url = reverse("enterprise_fund:application-decide", args=[application.pk])
    data = decide_data(application, amount="500")
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "has changed since you opened this page" in second.content.decode()
    assert LedgerEntry.objects.filter(kind="award").count() == 1
    fund.refresh_from_db()
    assert fund.remaining_pence == fund.total_pence - 50_000


def test_the_database_allows_one_award_per_application(
    specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    approve(application, manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            fund=fund,
            kind="award",
            application=application,
            date=application.decision_date,
            amount_pence=1,
            by=manager,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            application=application, kind="approved", amount_pence=1, by=manager
        )


def test_approving_beyond_the_balance_is_refused_with_a_clear_message(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case
) -> None:
    make_fund(manager, total_pence=30_000)
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    application.refresh_from_db()
    response = signed_in(manager).post(
        reverse("enterprise_fund:application-decide", args=[application.pk]),
        decide_data(application, amount="500"),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The fund has £300 left, less than the £500 to award. Award less, or ask for "
        "the fund to be topped up."
    ]
    application.refresh_from_db()
    assert application.status == FundApplication.Status.SUBMITTED
    assert not LedgerEntry.objects.filter(kind="award").exists()


def test_an_award_cannot_be_more_than_was_asked_for(
    specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    with pytest.raises(ValidationError, match="cannot be more than the £500 asked for"):
        approve(application, manager, 50_001)


def test_the_submitter_cannot_decide_their_own_bid(
    signed_in: Callable[..., Client], manager: User, second_manager: User, fund: Fund
) -> None:
    case = CaseFactory(worker=UserFactory(role=Role.SPECIALIST))
    application = make_submitted(case, manager)  # a manager submitted it
    make_assessment(application, second_manager)
    application.refresh_from_db()
    response = signed_in(manager).post(
        reverse("enterprise_fund:application-decide", args=[application.pk]),
        decide_data(application, amount="500"),
    )
    assert response.context["form"].non_field_errors() == [
        "You submitted this application, so you cannot decide it: another manager must."
    ]
    application.refresh_from_db()
    assert application.status == FundApplication.Status.SUBMITTED
    with pytest.raises(ValidationError, match="You submitted this application"):
        make_assessment(application, manager)


def test_the_cases_specialist_cannot_decide_or_assess_the_bid(
    manager: User, second_manager: User, fund: Fund
) -> None:
    case = CaseFactory(worker=manager)  # managers hold cases too
    application = make_submitted(case, second_manager)
    with pytest.raises(ValidationError, match="employment specialist on this case"):
        make_assessment(application, manager)
    make_assessment(application, UserFactory(role=Role.MANAGER, fte=Decimal("0.5")))
    with pytest.raises(ValidationError, match="employment specialist on this case"):
        approve(application, manager)


def test_the_decide_page_says_why_a_conflicted_manager_cannot_decide(
    signed_in: Callable[..., Client], manager: User, second_manager: User, fund: Fund
) -> None:
    case = CaseFactory(worker=manager)
    application = make_submitted(case, second_manager)
    page = signed_in(manager).get(
        reverse("enterprise_fund:application-decide", args=[application.pk])
    )
    assert "employment specialist on this case" in page.content.decode()
    assert "Record the decision" not in page.content.decode()


def test_an_approval_needs_an_assessment_first(
    specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist)
    with pytest.raises(ValidationError, match="Assess the application"):
        approve(application, manager)


def test_above_the_threshold_two_different_managers_must_approve(
    signed_in: Callable[..., Client],
    specialist: User,
    manager: User,
    second_manager: User,
    case: Case,
    fund: Fund,
) -> None:
    application = make_submitted(case, specialist, 150_000)
    make_assessment(application, manager)
    url = reverse("enterprise_fund:application-decide", args=[application.pk])
    application.refresh_from_db()
    first = signed_in(manager).post(url, decide_data(application, amount="1500"))
    assert first.status_code == 302
    application.refresh_from_db()
    assert application.status == FundApplication.Status.AWAITING_SECOND_APPROVAL
    assert (application.first_approved_by, application.first_approved_pence) == (manager, 150_000)
    assert not LedgerEntry.objects.filter(kind="award").exists()
    fund.refresh_from_db()
    assert fund.remaining_pence == fund.total_pence

    # The same manager cannot give the second approval.
    again = signed_in(manager).post(url, decide_data(application, amount="1500"))
    assert "a second approval from a different manager" in again.content.decode()
    assert not LedgerEntry.objects.filter(kind="award").exists()

    second = signed_in(second_manager).post(url, decide_data(application, amount="1500"))
    assert second.status_code == 302
    application.refresh_from_db()
    assert application.status == FundApplication.Status.APPROVED
    assert (application.first_approved_by, application.decided_by) == (manager, second_manager)
    assert LedgerEntry.objects.get(kind="award").amount_pence == 150_000
    assert [d.first_of_two for d in application.decisions.order_by("pk")] == [True, False]


def test_the_database_refuses_one_manager_approving_twice(
    specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    application = approve(application, manager)
    application.first_approved_by = manager
    with pytest.raises(IntegrityError), transaction.atomic():
        application.save()


def test_the_second_approval_cannot_award_more_than_the_first(
    specialist: User, manager: User, second_manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 300_000)
    make_assessment(application, manager)
    approve(application, manager, 200_000)
    with pytest.raises(ValidationError, match="The first approval was for £2,000"):
        approve(application, second_manager, 250_000)
    assert approve(application, second_manager, 180_000).amount_awarded_pence == 180_000


def test_the_threshold_is_a_setting(
    settings: object, specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    settings.E4E_FUND_SECOND_APPROVAL_PENCE = 10_000  # type: ignore[attr-defined]
    application = make_submitted(case, specialist, 20_000)
    make_assessment(application, manager)
    assert approve(application, manager).status == FundApplication.Status.AWAITING_SECOND_APPROVAL


def test_approving_with_conditions_needs_the_conditions(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 50_000)
    make_assessment(application, manager)
    application.refresh_from_db()
    client = signed_in(manager)
    url = reverse("enterprise_fund:application-decide", args=[application.pk])
    missing = client.post(
        url, decide_data(application, decision="approved_with_conditions", amount="500")
    )
    assert missing.context["form"].errors["conditions"] == [
        "Write down the conditions of the award"
    ]
    done = client.post(
        url,
        decide_data(
            application,
            decision="approved_with_conditions",
            amount="500",
            conditions="Pays suppliers directly",
        ),
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.conditions == "Pays suppliers directly"
    assert application.decisions.get().kind == "approved_with_conditions"


def test_a_rejection_needs_a_reason_and_is_final(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist)
    client = signed_in(manager)
    url = reverse("enterprise_fund:application-decide", args=[application.pk])
    no_reason = client.post(url, decide_data(application, decision="rejected"))
    assert no_reason.context["form"].errors["reason"] == [
        "Give the reason for rejecting the application"
    ]
    client.post(url, decide_data(application, decision="rejected", reason="Not legal"))
    application.refresh_from_db()
    assert application.status == FundApplication.Status.REJECTED
    assert application.decided_by == manager
    assert application.decisions.get().reason == "Not legal"
    assert client.get(url).status_code == 302  # nothing left to decide


def test_asking_for_more_information_reopens_the_bid_for_changes(
    specialist: User, manager: User, second_manager: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist, 150_000)
    make_assessment(application, manager)
    approve(application, manager)  # a first approval, waiting for a second
    application.refresh_from_db()
    application = decisions.fund_application_decide(
        application=application,
        by=second_manager,
        decision="more_information",
        version=application.version,
        reason="Send a second quote",
    )
    assert application.status == FundApplication.Status.MORE_INFORMATION
    assert application.first_approved_by is None  # the first approval no longer stands
    assert application.is_editable
    resubmitted = applications.fund_application_submit(
        application=application, by=specialist, version=application.version
    )
    assert resubmitted.status == FundApplication.Status.SUBMITTED
    history = [h.history_change_reason for h in resubmitted.history.order_by("history_id")]
    assert "Resubmitted with more information" in history


def test_someone_who_resubmitted_cannot_decide(
    manager: User, second_manager: User, specialist: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist)
    application = decisions.fund_application_decide(
        application=application,
        by=manager,
        decision="more_information",
        version=application.version,
        reason="More please",
    )
    applications.fund_application_submit(
        application=application, by=second_manager, version=application.version
    )
    with pytest.raises(ValidationError, match="You submitted this application"):
        make_assessment(application, second_manager)


def test_specialists_cannot_reach_the_decision_pages(
    signed_in: Callable[..., Client], specialist: User, case: Case, fund: Fund
) -> None:
    application = make_submitted(case, specialist)
    client = signed_in(specialist)
    for name in ("application-assess", "application-decide", "payment-new"):
        url = reverse(f"enterprise_fund:{name}", args=[application.pk])
        assert client.post(url, decide_data(application, amount="1")).status_code == 403
    with pytest.raises(ValidationError, match="Only a manager"):
        approve(application, specialist)
