"""The case page and the initial assessment: who may see them, and what they record."""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Case, InitialAssessment
from core.models import AccessLog, User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_case(specialist: User) -> Case:
    return CaseFactory(worker=specialist, start_date=None)


def assessment_data(day: datetime.date, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "date_0": str(day.day),
        "date_1": str(day.month),
        "date_2": str(day.year),
        "readiness": "ready_now",
        "goal": "work",
        "barriers": ["transport", "conviction_disclosure"],
        "prior_similar_support": "no",
    }
    data.update(overrides)
    return data


def test_a_specialist_sees_their_own_case_and_the_view_is_logged(
    signed_in: Callable[..., Client], specialist: User, waiting_case: Case
) -> None:
    response = signed_in(specialist).get(reverse("caseload:case-detail", args=[waiting_case.pk]))
    assert response.status_code == 200
    assert waiting_case.referral.full_name in response.content.decode()
    log = AccessLog.objects.get(subject_type="case", subject_id=waiting_case.pk)
    assert (log.user, log.view_name) == (specialist, "caseload:case-detail")


@pytest.mark.parametrize("url_name", ["caseload:case-detail", "caseload:case-assess"])
def test_a_specialist_cannot_open_another_workers_case(
    signed_in: Callable[..., Client], other_specialist: User, waiting_case: Case, url_name: str
) -> None:
    client = signed_in(other_specialist)
    assert client.get(reverse(url_name, args=[waiting_case.pk])).status_code == 404
    response = client.post(
        reverse("caseload:case-assess", args=[waiting_case.pk]),
        assessment_data(datetime.date.today()),
    )
    assert response.status_code == 404
    waiting_case.refresh_from_db()
    assert waiting_case.start_date is None
    assert not AccessLog.objects.filter(user=other_specialist).exists()


def test_a_manager_can_open_any_case(
    signed_in: Callable[..., Client], manager: User, waiting_case: Case
) -> None:
    url = reverse("caseload:case-detail", args=[waiting_case.pk])
    assert signed_in(manager).get(url).status_code == 200


@pytest.mark.parametrize("role_fixture", ["opcc", "evaluator", "admin_user"])
def test_opcc_evaluators_and_admins_cannot_open_a_case(
    request: pytest.FixtureRequest,
    signed_in: Callable[..., Client],
    waiting_case: Case,
    role_fixture: str,
) -> None:
    user = request.getfixturevalue(role_fixture)
    url = reverse("caseload:case-detail", args=[waiting_case.pk])
    assert signed_in(user).get(url).status_code == 403


def test_the_initial_assessment_starts_support_and_is_in_the_history(
    signed_in: Callable[..., Client], specialist: User, waiting_case: Case
) -> None:
    day = waiting_case.accepted_date
    response = signed_in(specialist).post(
        reverse("caseload:case-assess", args=[waiting_case.pk]),
        assessment_data(day, prior_support_details="Youth service, 2023"),
    )
    assert response["Location"] == reverse("caseload:case-detail", args=[waiting_case.pk])
    waiting_case.refresh_from_db()
    assert waiting_case.start_date == day
    assert waiting_case.prior_similar_support == "no"
    assessment = InitialAssessment.objects.get(case=waiting_case)
    assert assessment.barriers == ["conviction_disclosure", "transport"]
    assert waiting_case.history.latest().history_user == specialist
    assert assessment.history.latest().history_user == specialist


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Date of the assessment must be a real date"),
        ("", "", "", "Enter the date of the assessment"),
        ("1", "1", "2099", "Date of the assessment must be today or in the past"),
        ("1", "1", "2001", "cannot be before the referral was accepted"),
    ],
)
def test_a_bad_assessment_date_is_refused_and_nothing_is_saved(
    signed_in: Callable[..., Client],
    specialist: User,
    waiting_case: Case,
    day: str,
    month: str,
    year: str,
    message: str,
) -> None:
    data = assessment_data(datetime.date.today(), date_0=day, date_1=month, date_2=year)
    response = signed_in(specialist).post(
        reverse("caseload:case-assess", args=[waiting_case.pk]), data
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and message in body
    waiting_case.refresh_from_db()
    assert waiting_case.start_date is None
    assert not InitialAssessment.objects.exists()


def test_the_specialist_home_lists_open_cases_with_days_since_contact(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User
) -> None:
    started = CaseFactory(worker=specialist)
    waiting = CaseFactory(worker=specialist, start_date=None)
    someone_elses = CaseFactory(worker=other_specialist)
    response = signed_in(specialist).get("/cases/")
    body = html.unescape(response.content.decode())  # names may hold an apostrophe
    assert started.referral.full_name in body and waiting.referral.full_name in body
    assert someone_elses.referral.full_name not in body
    assert "Assessment due" in body
    rows = {row["case"].pk: row["days"] for row in response.context["rows"]}
    assert rows == {started.pk: (datetime.date.today() - started.start_date).days, waiting.pk: None}
    logged = set(AccessLog.objects.filter(user=specialist).values_list("subject_id", flat=True))
    assert logged == {started.pk, waiting.pk}
