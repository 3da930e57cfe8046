"""The case page and the case's history make as many queries for a case with 50 of every
record as for one with 5, and at most 20: no query per contact, outcome, task, assessment,
record or change, and none repeated."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.template.defaultfilters import date
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload import models as m
from caseload.case_file import case_page_records
from caseload.case_rows import CaseRows
from caseload.records import RECORD_KINDS
from core import history
from core.models import User
from tests.enterprise_fund.helpers import make_draft, make_fund
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

#: The most queries any page of the case file may make.
QUERY_LIMIT = 20
TODAY = datetime.date.today()


def add_records(case: m.Case, worker: User, count: int) -> None:
    """`count` more of every kind of record the two pages show, each with its history (and
    a changed note on every contact, a second history row by its worker)."""
    for n in range(count):
        day = TODAY - datetime.timedelta(days=n % 60)
        contact = m.Contact.objects.create(
            case=case, worker=worker, date=day, mode="phone", party="client", duration_minutes=20
        )
        contact.note = f"Talked about work, call {n}"
        history.save(contact, by=worker, reason="Note added")
        outcome = m.Outcome.objects.create(case=case, type="training", start_date=day)
        m.Task.objects.create(
            case=case, outcome=outcome, kind="in_work_support", title="Check in", due_date=day
        )
        m.ActionPlanGoal.objects.create(case=case, goal=f"Goal {n}", target_date=day)
        m.RiskAssessment.objects.create(
            case=case,
            date=day,
            risks_to_client="None known",
            risks_from_client="None known",
            lone_working_plan="Meet in the office",
            review_date=day + datetime.timedelta(days=90),
            by=worker,
        )
        scores = dict.fromkeys(m.DistanceAssessment.DOMAINS, 1 + n % 10)
        m.DistanceAssessment.objects.create(case=case, date=day, **scores)
        m.Offence.objects.create(case=case, date=day)
        m.Signposting.objects.create(case=case, date=day, need="housing", organisation="Shelter")
        m.Feedback.objects.create(case=case, date=day, trust=4, confidence=3, respected=5)
        m.CrisisEpisode.objects.create(case=case, date=day, kind="hospital")
        m.Complaint.objects.create(case=case, received_date=day, summary="Late for a meeting")
        m.CaseStudy.objects.create(case=case, consent_date=day, text="From prison to a job")
        m.ThreatToLifeDisclosure.objects.create(
            case=case,
            disclosed_at=timezone.now(),
            what="A threat",
            police_told_at=timezone.now(),
            police_contact="PC Smith",
            police_reference=f"REF-{n}",
            by=worker,
        )


@pytest.fixture
def case(specialist: User, manager: User) -> m.Case:
    case = CaseFactory(
        worker=specialist,
        referral__received_date=TODAY - datetime.timedelta(days=100),
        referral__decision_date=TODAY - datetime.timedelta(days=91),
        start_date=TODAY - datetime.timedelta(days=90),
    )
    m.InitialAssessment.objects.create(
        case=case, date=case.start_date, readiness="ready_now", goal="work", by=specialist
    )
    m.VocationalProfile.objects.create(case=case, skills="Forklift licence")
    make_fund(manager)
    make_draft(case, specialist)
    return case


def queries_to_open(
    client: Client, url: str, django_assert_max_num_queries: Any
) -> list[dict[str, Any]]:
    assert client.get(url).status_code == 200  # once before counting, as the pages walk does
    with django_assert_max_num_queries(QUERY_LIMIT) as captured:
        assert client.get(url).status_code == 200
    return list(captured.captured_queries)


@pytest.mark.parametrize("page", ["caseload:case-detail", "caseload:case-history"])
def test_the_page_makes_the_same_few_queries_with_50_of_every_record_as_with_5(
    page: str,
    case: m.Case,
    specialist: User,
    signed_in: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    client, url = signed_in(specialist), reverse(page, args=[case.pk])
    add_records(case, specialist, 5)
    few = queries_to_open(client, url, django_assert_max_num_queries)

    add_records(case, specialist, 45)
    many = queries_to_open(client, url, django_assert_max_num_queries)

    assert len(many) == len(few), "\n".join(str(q["sql"]) for q in many)


def test_the_case_page_still_shows_every_record(
    case: m.Case, specialist: User, signed_in: Callable[..., Client]
) -> None:
    add_records(case, specialist, 3)
    page = signed_in(specialist).get(reverse("caseload:case-detail", args=[case.pk]))
    html = page.content.decode()

    # accepted, started, contacts, outcomes, the small records and the risk assessments
    assert len(page.context["timeline"]) == 2 + 3 + 3 + 3 * 8 + 3
    assert html.count("Phone contact with client") == 3
    assert f"20 minutes, {specialist.full_name}" in html
    assert reverse("caseload:contact-note", args=[case.contacts.first().pk]) in html  # type: ignore[union-attr]
    assert reverse("caseload:outcome-end", args=[case.outcomes.first().pk]) in html  # type: ignore[union-attr]
    assert len(page.context["records"]) == 3 * 8  # every kind of small record
    assert len(page.context["complaints"]) == 3
    assert len(page.context["distance"]["rows"]) == 3
    assert "Update the vocational profile" in html
    assert "Enterprise fund bids" in html
    assert f'<time datetime="{TODAY:%Y-%m-%d}">{TODAY.day} {TODAY:%B %Y}</time>' in html


def test_the_history_lists_the_latest_changes_newest_first_with_who_made_them(
    case: m.Case, specialist: User, signed_in: Callable[..., Client]
) -> None:
    add_records(case, specialist, 2)
    page = signed_in(specialist).get(reverse("caseload:case-history", args=[case.pk]))
    changes = page.context["changes"]

    whens = [change["when"] for change in changes]
    assert whens == sorted(whens, reverse=True)
    for change in changes:  # shown in local time, as the date filter would show it
        assert change["shown"] == date(timezone.localtime(change["when"]), "j M Y H:i")
        assert change["shown"] in page.content.decode()
    # Each contact added by the system (no request), then its note changed by its worker.
    assert sum(c["what"] == "Contact added" and c["who"] == "The system" for c in changes) == 2
    noted = [c for c in changes if c["what"] == "Contact changed"]
    assert [(c["who"], c["reason"]) for c in noted] == [(specialist.full_name, "Note added")] * 2
    assert {"Case added", "Initial assessment added", "Vocational profile added"} <= {
        c["what"] for c in changes
    }


def test_the_history_shows_at_most_the_latest_300_changes(
    case: m.Case, specialist: User, signed_in: Callable[..., Client]
) -> None:
    for n in range(160):
        m.Offence.objects.create(case=case, date=TODAY, description=f"Offence {n}")
        m.Feedback.objects.create(case=case, date=TODAY, trust=4, confidence=3, respected=5)
    newest = m.Feedback.history.latest("history_date")

    page = signed_in(specialist).get(reverse("caseload:case-history", args=[case.pk]))

    changes = page.context["changes"]
    assert len(changes) == 300
    assert (changes[0]["when"], changes[0]["what"]) == (newest.history_date, "Feedback added")


def test_the_records_read_in_one_query_are_the_rows_as_stored(
    case: m.Case, specialist: User, django_assert_num_queries: Any
) -> None:
    add_records(case, specialist, 3)
    done = m.Task.objects.filter(case=case).first()
    assert done is not None
    done.done_date, done.evidence = TODAY, "Seen the payslip"
    history.save(done, by=specialist, reason="Done")
    stored = {
        slug: kind.model._default_manager.filter(case=case) for slug, kind in RECORD_KINDS.items()
    }
    stored["risk-assessments"] = case.risk_assessments.all()
    stored["goals"] = case.action_plan.all()
    stored["open-tasks"] = case.tasks.filter(done_date__isnull=True)

    case_page_records(case)  # once first: SQLite's JSON support is checked on first use
    with django_assert_num_queries(1):
        read = case_page_records(case)

    assert read.keys() == stored.keys()
    for name, rows in stored.items():
        assert [fields_of(r) for r in read[name]] == [fields_of(r) for r in rows], name
    assert len(read["open-tasks"]) == 2
    with django_assert_num_queries(0):
        assert {r.case.pk for rows in read.values() for r in rows} == {case.pk}


def fields_of(record: Any) -> dict[str, Any]:
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}


def test_a_table_with_a_decimal_or_json_is_not_read_as_json() -> None:
    # JSON would not bring those back as stored: such a table is read on its own.
    with pytest.raises(TypeError, match="Outcome"):
        CaseRows({"outcomes": m.Outcome.objects.all()})
    with pytest.raises(TypeError, match="InitialAssessment"):
        CaseRows({"assessments": m.InitialAssessment.objects.all()})
