"""A closed case takes only what can come after the person has left (feedback, a
complaint, a case study, an offence, a threat-to-life disclosure); everything else is
refused with a message saying to reopen it, and no row is written."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.models import (
    ActionPlanGoal,
    Case,
    CrisisEpisode,
    Offence,
    Outcome,
    RiskAssessment,
    Signposting,
    VocationalProfile,
)
from caseload.services import assessments, cases, outcomes, plans
from caseload.services.records import case_record_add
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def closed(specialist: User) -> Case:
    case = CaseFactory(worker=specialist)
    return cases.case_close(case=case, closed_date=TODAY, reason="moved_away", by=specialist)


def test_a_closed_case_refuses_what_needs_it_open_and_writes_nothing(
    closed: Case, specialist: User
) -> None:
    refused = {
        "outcome": lambda: outcomes.outcome_start(
            case=closed,
            by=specialist,
            type="job",
            start_date=TODAY,
            employer="A shop",
            hours_per_week=30,
        ),
        "risk assessment": lambda: assessments.risk_assessment_record(
            case=closed,
            by=specialist,
            date=TODAY,
            review_date=TODAY,
            risks_to_client="None",
            risks_from_client="None",
            lone_working_plan="Office only",
        ),
        "profile": lambda: plans.vocational_profile_save(case=closed, by=specialist),
        "goal": lambda: plans.action_plan_goal_save(
            case=closed, by=specialist, description="CV", target_date=TODAY
        ),
        "signposting": lambda: case_record_add(
            case=closed,
            model=Signposting,
            by=specialist,
            date=TODAY,
            need="accommodation",
            organisation="St Basils",
        ),
        "crisis": lambda: case_record_add(
            case=closed, model=CrisisEpisode, by=specialist, date=TODAY, kind="housing_loss"
        ),
    }
    for add in refused.values():
        with pytest.raises(ValidationError, match=r"This case is closed\. Reopen it to"):
            add()
    for model in (Outcome, RiskAssessment, VocationalProfile, ActionPlanGoal, Signposting):
        assert not model.objects.filter(case=closed).exists(), model.__name__
    assert not CrisisEpisode.objects.filter(case=closed).exists()

    offence = case_record_add(case=closed, model=Offence, by=specialist, date=TODAY)
    assert offence.case == closed


def test_the_closed_case_page_offers_only_what_it_takes(
    signed_in: Callable[..., Client], closed: Case, specialist: User
) -> None:
    page = signed_in(specialist).get(reverse("caseload:case-detail", args=[closed.pk]))
    html = page.content.decode()
    for slug in ("feedback", "complaint", "case-study", "offence", "disclosure"):
        assert reverse("caseload:record-new", args=[closed.pk, slug]) in html, slug
    for slug in ("signposting", "crisis", "distance-travelled"):
        assert reverse("caseload:record-new", args=[closed.pk, slug]) not in html, slug
    assert reverse("caseload:goal-new", args=[closed.pk]) not in html
    assert reverse("caseload:profile-edit", args=[closed.pk]) not in html


@pytest.mark.parametrize(
    ("url_name", "says"),
    [
        ("caseload:contact-new", "Reopen it to log a contact."),
        ("caseload:appointment-new", "Reopen it to book an appointment."),
    ],
)
def test_a_form_for_what_a_closed_case_refuses_says_so_before_it_is_filled_in(
    closed: Case,
    specialist: User,
    signed_in: Callable[..., Client],
    url_name: str,
    says: str,
) -> None:
    response = signed_in(specialist).get(reverse(url_name, args=[closed.pk]), follow=True)
    assert response.redirect_chain == [(reverse("caseload:case-detail", args=[closed.pk]), 302)]
    assert says in response.content.decode()
