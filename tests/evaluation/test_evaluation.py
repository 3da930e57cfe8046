"""The evaluators' area (AC-6, DP-6): pseudonymised records on pages, in the CSV extract and
through the read-only API; the right values in each record; nothing identifying; every
record shown logged; and nothing but reading allowed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.models import (
    Appointment,
    Case,
    CasePseudonym,
    Contact,
    DistanceAssessment,
    Offence,
    Outcome,
)
from core.models import AccessLog, User
from enterprise_fund.models import FundApplication
from evaluation.records import FIELDS
from evaluation.views import PAGE_SIZE
from tests.enterprise_fund.helpers import make_fund
from tests.factories import CaseFactory, evaluator_pseudonym

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]
REFERRED = date(2025, 6, 10)
STARTED = date(2025, 6, 20)
SCORES = dict.fromkeys(DistanceAssessment.DOMAINS, 3)


def distance(case: Case, day: date, score: int) -> None:
    DistanceAssessment.objects.create(
        case=case, date=day, **dict.fromkeys(DistanceAssessment.DOMAINS, score)
    )


@pytest.fixture
def case(specialist: User, manager: User) -> Case:
    """A case with something of everything an evaluator sees."""
    case = CaseFactory(
        worker=specialist,
        referral__first_name="Zebedee",
        referral__last_name="Quillfeather",
        referral__date_of_birth=date(2003, 6, 11),  # 21 on the day before their birthday
        referral__received_date=REFERRED,
        referral__decision_date=REFERRED + timedelta(days=5),
        referral__postcode="B12 9LP",
        referral__phone="07700 900123",
        referral__email="zebedee@example.org",
        referral__gender="male",
        referral__ethnicity="black",
        referral__source="police",
        referral__reason="A very private reason for the referral",
        start_date=STARTED,
    )
    for day, mode, minutes in (
        (STARTED, Contact.Mode.FACE_TO_FACE, 60),
        (STARTED + timedelta(days=7), Contact.Mode.PHONE, 30),
        (STARTED + timedelta(days=40), Contact.Mode.ADMIN, 30),
    ):
        Contact.objects.create(
            case=case,
            worker=specialist,
            date=day,
            mode=mode,
            party=Contact.Party.CLIENT,
            duration_minutes=minutes,
            note="Talked about the private matter",
        )
    for day, status, extra in (
        (STARTED, "attended", {}),
        (STARTED + timedelta(days=7), "attended", {}),
        (STARTED + timedelta(days=9), "missed", {"missed_reason": "Overslept"}),
        (STARTED + timedelta(days=40), "missed", {"missed_reason": "In custody"}),
        (STARTED + timedelta(days=41), "cancelled", {"cancelled_by": "client"}),
        (STARTED + timedelta(days=42), "booked", {}),
    ):
        Appointment.objects.create(
            case=case,
            worker=specialist,
            date=day,
            starts_at="10:00",
            ends_at="11:00",
            place="community",
            venue="The private venue",
            status=status,
            by=specialist,
            **extra,
        )
    Outcome.objects.create(
        case=case,
        type=Outcome.Type.PAID_EMPLOYMENT,
        start_date=date(2025, 9, 1),
        hours_per_week=Decimal("30"),
        employer_name="Secret Employer Ltd",
    )
    Outcome.objects.create(case=case, type=Outcome.Type.TRAINING, start_date=date(2025, 8, 4))
    distance(case, STARTED, 3)  # 21 in all
    distance(case, date(2025, 10, 1), 5)  # 35 in all
    Offence.objects.create(case=case, date=STARTED - timedelta(days=30), description="Before")
    Offence.objects.create(case=case, date=STARTED + timedelta(days=30), description="During")
    fund = make_fund(manager)
    FundApplication.objects.create(
        fund=fund,
        case=case,
        status=FundApplication.Status.APPROVED,
        purpose="A secret business",
        amount_requested_pence=150_000,
        amount_awarded_pence=120_050,
        submitted_date=STARTED,
        decision_date=STARTED + timedelta(days=10),
    )
    FundApplication.objects.create(
        fund=fund, case=case, purpose="A draft", amount_requested_pence=10_000
    )
    return case


IDENTIFYING = (
    "Zebedee",
    "Quillfeather",
    "2003-06-11",
    "11 June 2003",
    "9LP",
    "07700 900123",
    "zebedee@example.org",
    "private",
    "Secret",
    "secret",
    "Overslept",
    "In custody",
)


def assert_nothing_identifying(text: str, case: Case) -> None:
    for value in IDENTIFYING:
        assert value not in text, value
    assert f"/cases/{case.pk}/" not in text
    assert f'"id": {case.pk}' not in text


def test_a_record_holds_the_minimised_values(signed_in: SignedIn, evaluator: User, case: Case):
    client = signed_in(evaluator)
    response = client.get(reverse("evaluation:api-record", args=[evaluator_pseudonym(case)]))
    assert response.status_code == 200
    record = response.json()
    assert record == {
        "pseudonym": evaluator_pseudonym(case),
        "age_band": "18_21",
        "gender": "male",
        "ethnicity": "black",
        "postcode_district": "B12",
        "referral_source": "police",
        "cohort": "convicted",
        "referral_month": "2025-06",
        "start_month": "2025-06",
        "closed_month": "",
        "closure_reason": "",
        "status": "open",
        "client_contacts": 2,
        "contact_hours": 2.0,
        "outcomes_paid_work": 1,
        "outcomes_training_or_education": 1,
        "outcomes_volunteering": 0,
        "first_paid_work_month": "2025-09",
        "distance_assessments": 2,
        "distance_first_total": 21,
        "distance_latest_total": 35,
        "offences_on_service": 1,
        "fund_bids": 1,
        "fund_awarded_pounds": 1200.5,
        "outcomes": [
            {
                "type": "training",
                "start_month": "2025-08",
                "end_month": "",
                "hours_per_week": None,
            },
            {
                "type": "paid_employment",
                "start_month": "2025-09",
                "end_month": "",
                "hours_per_week": 30.0,
            },
        ],
        "distance": [
            {"month": "2025-06", **dict.fromkeys(DistanceAssessment.DOMAINS, 3)},
            {"month": "2025-10", **dict.fromkeys(DistanceAssessment.DOMAINS, 5)},
        ],
        "contacts_by_month": [
            {"month": "2025-06", "contacts": 2, "client_contacts": 2, "hours": 1.5},
            {"month": "2025-07", "contacts": 1, "client_contacts": 0, "hours": 0.5},
        ],
        "appointments_by_month": [
            {"month": "2025-06", "kept": 2, "missed": 1},
            {"month": "2025-07", "kept": 0, "missed": 1},
        ],
    }
    assert_nothing_identifying(response.content.decode(), case)


def test_the_records_page_shows_pseudonyms_and_logs_each_record_shown(
    signed_in: SignedIn, evaluator: User, case: Case, specialist: User
) -> None:
    other = CaseFactory(worker=specialist, referral__first_name="Ottoline")
    client = signed_in(evaluator)
    response = client.get(reverse("evaluation:records"))
    page = response.content.decode()
    assert evaluator_pseudonym(case) in page and evaluator_pseudonym(other) in page
    assert "Ottoline" not in page
    assert_nothing_identifying(page, case)
    logged = AccessLog.objects.filter(user=evaluator, view_name="evaluation:records")
    assert sorted(logged.values_list("subject_id", flat=True)) == sorted([case.pk, other.pk])


def test_the_records_page_filters_by_status(
    signed_in: SignedIn, evaluator: User, case: Case, specialist: User
) -> None:
    closed = CaseFactory(worker=specialist, closed_date=date.today(), closure_reason="disengaged")
    client = signed_in(evaluator)
    page = client.get(reverse("evaluation:records"), {"status": "closed"})
    text = page.content.decode()
    assert evaluator_pseudonym(closed) in text
    assert evaluator_pseudonym(case) not in text


def test_one_record_page_in_words_and_logged(
    signed_in: SignedIn, evaluator: User, case: Case
) -> None:
    client = signed_in(evaluator)
    pseudonym = evaluator_pseudonym(case)
    response = client.get(reverse("evaluation:record", args=[pseudonym]))
    page = response.content.decode()
    assert response.status_code == 200
    for words in ("18 to 21", "Black, Black British", "B12", "June 2025", "Paid employment"):
        assert words in page, words
    assert "£1,200.50" in page
    kept_and_missed = page.split("Appointments by month")[1]
    assert "June 2025" in kept_and_missed and "July 2025" in kept_and_missed
    assert_nothing_identifying(page, case)
    assert list(
        AccessLog.objects.filter(view_name="evaluation:record").values_list(
            "user_id", "subject_type", "subject_id"
        )
    ) == [(evaluator.pk, "case", case.pk)]


def test_an_unknown_pseudonym_is_not_found(signed_in: SignedIn, evaluator: User, case: Case):
    client = signed_in(evaluator)
    for url_name, argument in (
        ("evaluation:record", "P-000000"),
        ("evaluation:api-record", "P-000000"),
        ("evaluation:record", str(case.pk)),  # an internal id is no way in
    ):
        assert client.get(reverse(url_name, args=[argument])).status_code == 404
    assert not AccessLog.objects.filter(view_name__startswith="reporting:").exists()


def test_the_extract_has_every_record_and_every_field(
    signed_in: SignedIn, evaluator: User, case: Case, specialist: User
) -> None:
    CaseFactory(worker=specialist, start_date=None)
    client = signed_in(evaluator)
    response = client.get(reverse("evaluation:extract"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="e4e-evaluation')
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [name for name, _, _ in FIELDS]
    assert len(rows) == 2
    mine = next(row for row in rows if row["pseudonym"] == evaluator_pseudonym(case))
    assert mine["age_band"] == "18_21" and mine["client_contacts"] == "2"
    assert mine["fund_awarded_pounds"] == "1200.5"
    assert {row["status"] for row in rows} == {"open", "awaiting_start"}
    assert_nothing_identifying(text, case)
    assert AccessLog.objects.filter(view_name="evaluation:extract").count() == 2


def test_the_records_page_counts_the_records_its_filter_keeps(
    signed_in: SignedIn, evaluator: User, case: Case
) -> None:
    CaseFactory(start_date=None)  # awaiting the initial assessment
    client = signed_in(evaluator)
    url = reverse("evaluation:records")

    def caption(**query: str) -> str:
        page = " ".join(client.get(url, query).content.decode().split())
        return page.split('govuk-table__caption--m">')[1].split("</caption>")[0].strip()

    assert caption() == "2 records"
    assert caption(status="open") == "1 record"
    assert caption(status="awaiting_start") == "1 record"


def test_a_page_of_records_makes_the_pseudonyms_of_its_own_cases_only(
    signed_in: SignedIn, evaluator: User
) -> None:
    # Cases never shown have no stored pseudonym yet: a page of records gives its own
    # theirs, without reading (or writing) every case's on every request.
    CaseFactory.create_batch(PAGE_SIZE + 1)
    client = signed_in(evaluator)
    first = client.get(reverse("evaluation:records")).content.decode()
    made = dict(CasePseudonym.objects.values_list("case_id", "evaluator"))
    assert len(made) == PAGE_SIZE and all(pseudonym in first for pseudonym in made.values())

    second = client.get(reverse("evaluation:records"), {"page": 2}).content.decode()
    (last,) = CasePseudonym.objects.exclude(case_id__in=made).values_list("evaluator", flat=True)
    assert last in second
    assert client.get(reverse("evaluation:record", args=[last])).status_code == 200


def test_the_api_lists_records_a_page_at_a_time(
    signed_in: SignedIn, evaluator: User, case: Case
) -> None:
    client = signed_in(evaluator)
    body = client.get(reverse("evaluation:api-records")).json()
    assert body["count"] == 1 and body["next"] is None
    assert body["results"][0]["pseudonym"] == evaluator_pseudonym(case)
    assert client.get(reverse("evaluation:api-records"), {"status": "closed"}).json()["count"] == 0
    refused = client.get(reverse("evaluation:api-records"), {"status": "everything"})
    assert refused.status_code == 400
    assert "Use one of" in refused.json()["status"]


def test_the_api_gives_the_figures_of_a_quarter_with_workers_numbered(
    signed_in: SignedIn, evaluator: User, case: Case, specialist: User
) -> None:
    client = signed_in(evaluator)
    response = client.get(reverse("evaluation:api-figures"), {"quarter": "2025-26-Q2"})
    doc = response.json()
    assert doc["period"] == {"start": "2025-07-01", "end": "2025-09-30"}
    assert doc["caseload"]["per_worker"][0]["worker"] == "Worker 1"
    assert specialist.email not in response.content.decode()
    bad = client.get(reverse("evaluation:api-figures"), {"quarter": "2025-Q9"})
    assert bad.status_code == 400 and "whole month" in bad.json()["period"]
    backwards = client.get(
        reverse("evaluation:api-figures"), {"start": "2025-10-01", "end": "2025-09-01"}
    )
    assert backwards.status_code == 400


def test_the_schema_describes_every_field(signed_in: SignedIn, evaluator: User) -> None:
    response = signed_in(evaluator).get(reverse("evaluation:api-schema"), {"format": "json"})
    schema = response.json()
    record = schema["components"]["schemas"]["EvaluationRecord"]["properties"]
    assert set(record) == {name for name, _, _ in FIELDS}


@pytest.mark.parametrize(
    "url_name", ["evaluation:records", "evaluation:api-records", "evaluation:api-figures"]
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_evaluator_can_only_read(
    signed_in: SignedIn, evaluator: User, case: Case, url_name: str, method: str
) -> None:
    client = signed_in(evaluator)
    response = getattr(client, method)(reverse(url_name), {"status": "closed"})
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_an_evaluator_can_still_sign_out_and_change_their_password(
    signed_in: SignedIn, evaluator: User
) -> None:
    client = signed_in(evaluator)
    page = client.post(reverse("accounts:password-change"), {})
    assert page.status_code == 200  # the form, with its errors: not refused
    assert client.post(reverse("accounts:sign-out")).status_code == 302


@pytest.mark.parametrize("role_fixture", ["specialist", "manager", "opcc", "admin_user"])
def test_no_other_role_reaches_the_evaluators_records(
    request: pytest.FixtureRequest, signed_in: SignedIn, case: Case, role_fixture: str
) -> None:
    client = signed_in(request.getfixturevalue(role_fixture))
    pseudonym = evaluator_pseudonym(case)
    for url in (
        reverse("evaluation:records"),
        reverse("evaluation:record", args=[pseudonym]),
        reverse("evaluation:extract"),
        reverse("evaluation:api-records"),
        reverse("evaluation:api-record", args=[pseudonym]),
    ):
        assert client.get(url).status_code == 403, url
    assert not AccessLog.objects.filter(view_name__startswith="reporting:").exists()


def test_the_evaluators_home_page_counts_the_records(
    signed_in: SignedIn, evaluator: User, case: Case
) -> None:
    page = signed_in(evaluator).get(reverse("evaluation:home")).content.decode()
    assert "Download every record (CSV)" in page
    assert reverse("evaluation:records") + "?status=open" in page


def test_the_figures_page_shows_the_latest_complete_quarter_with_workers_numbered(
    signed_in: SignedIn, evaluator: User, specialist: User, case: Case
) -> None:

    from core.periods import last_complete_quarter

    with time_machine.travel(timezone.now() + timedelta(days=100)):
        page = signed_in(evaluator).get(reverse("evaluation:figures")).content.decode()
        quarter = last_complete_quarter(timezone.localdate())
    assert f"{quarter.name}, from" in page and "latest complete quarter" in page
    assert "Worker 1" in page
    assert specialist.email not in page and specialist.full_name not in page


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-10-01", "end": "2025-10-01"},  # one day: would give away dates
        {"start": "2025-10-01", "end": "2025-10-15"},
        {"start": "0001-01-01", "end": "9999-12-31"},  # impossible dates: 400, not 500
        {"start": "2025-10-01"},
        {"month": "2025-13"},
        {"year": "2025-2026"},
        {"quarter": "2025-26-Q3", "month": "2025-10"},
        {"month": "2999-01"},  # not ended
    ],
)
def test_the_api_refuses_anything_but_a_whole_period_that_has_ended(
    signed_in: SignedIn, evaluator: User, params: dict[str, str]
) -> None:
    response = signed_in(evaluator).get(reverse("evaluation:api-figures"), params)
    assert response.status_code == 400
    assert "whole month" in response.json()["period"]


@pytest.mark.parametrize(
    ("params", "period"),
    [
        ({"month": "2025-10"}, {"start": "2025-10-01", "end": "2025-10-31"}),
        ({"year": "2024-25"}, {"start": "2024-04-01", "end": "2025-03-31"}),
        (
            {"start": "2025-07-01", "end": "2025-09-30"},
            {"start": "2025-07-01", "end": "2025-09-30"},
        ),
    ],
)
def test_the_api_gives_whole_months_quarters_and_financial_years(
    signed_in: SignedIn, evaluator: User, params: dict[str, str], period: dict[str, str]
) -> None:
    response = signed_in(evaluator).get(reverse("evaluation:api-figures"), params)
    assert response.status_code == 200 and response.json()["period"] == period
