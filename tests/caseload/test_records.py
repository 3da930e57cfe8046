"""The smaller case records: signposting, crises, offences, feedback, complaints, case
studies and threat-to-life disclosures."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from caseload.models import (
    Case,
    CaseStudy,
    Complaint,
    CrisisEpisode,
    Feedback,
    Offence,
    Signposting,
    ThreatToLifeDisclosure,
)
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def day(prefix: str, on: datetime.date = TODAY) -> dict[str, str]:
    return {f"{prefix}_0": str(on.day), f"{prefix}_1": str(on.month), f"{prefix}_2": str(on.year)}


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(worker=specialist)


VALID: dict[str, tuple[type, dict[str, Any]]] = {
    "signposting": (
        Signposting,
        {**day("date"), "need": "debt", "organisation": "StepChange", "outcome": "engaged"},
    ),
    "crisis": (CrisisEpisode, {**day("date"), "kind": "housing_loss", "notes": "Evicted"}),
    "offence": (Offence, {**day("date"), "description": "Reported by probation"}),
    "feedback": (
        Feedback,
        {**day("date"), "trust": "5", "confidence": "4", "respected": "5", "comment": "Good"},
    ),
    "complaint": (Complaint, {**day("received_date"), "summary": "Missed appointment"}),
    "case-study": (
        CaseStudy,
        {**day("consent_date"), "consent_confirmed": "on", "text": "From prison to a job."},
    ),
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_each_record_is_added_with_who_did_it(
    signed_in: Callable[..., Client], specialist: User, case: Case, kind: str
) -> None:
    model, data = VALID[kind]
    client = signed_in(specialist)
    response = client.post(reverse("caseload:record-new", args=[case.pk, kind]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = model.objects.get(case=case)
    assert record.history.latest().history_user == specialist
    page = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert TODAY.strftime("%-d %b %Y") in page


def test_a_case_study_needs_consent(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    data = {**VALID["case-study"][1]}
    del data["consent_confirmed"]
    response = signed_in(specialist).post(
        reverse("caseload:record-new", args=[case.pk, "case-study"]), data
    )
    assert "Confirm that the person has consented" in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_a_future_date_is_refused(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    data = {**VALID["crisis"][1], **day("date", TODAY + datetime.timedelta(days=3))}
    response = signed_in(specialist).post(
        reverse("caseload:record-new", args=[case.pk, "crisis"]), data
    )
    assert "Date must be today or in the past" in response.content.decode()
    assert not CrisisEpisode.objects.exists()


def test_an_unknown_kind_of_record_is_404(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    url = reverse("caseload:record-new", args=[case.pk, "nonsense"])
    assert signed_in(specialist).get(url).status_code == 404


def test_another_specialist_cannot_add_records(
    signed_in: Callable[..., Client], other_specialist: User, case: Case
) -> None:
    model, data = VALID["offence"]
    response = signed_in(other_specialist).post(
        reverse("caseload:record-new", args=[case.pk, "offence"]), data
    )
    assert response.status_code == 404
    assert not model.objects.exists()


def test_a_threat_to_life_disclosure_alerts_every_manager_without_detail(
    signed_in: Callable[..., Client],
    specialist: User,
    manager: User,
    case: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = datetime.datetime.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    stamp = now.strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(specialist).post(
            reverse("caseload:record-new", args=[case.pk, "disclosure"]),
            {
                "disclosed_at": stamp,
                "what": "Named a rival who plans to attack him tonight",
                "police_told_at": stamp,
                "police_contact": "DS Smith",
                "police_reference": "WMP-123",
            },
        )
    assert response.status_code == 302
    assert ThreatToLifeDisclosure.objects.get(case=case).police_reference == "WMP-123"
    (email,) = mail.outbox
    assert email.to == [manager.email]
    assert "rival" not in email.body and case.referral.last_name not in email.body


def test_distance_travelled_shows_the_change_since_the_first_assessment(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:record-new", args=[case.pk, "distance-travelled"])
    domains = [
        "confidence",
        "motivation",
        "readiness",
        "stability",
        "housing",
        "finances",
        "wellbeing",
    ]
    first = {**day("date", TODAY - datetime.timedelta(days=30)), **dict.fromkeys(domains, "3")}
    latest = {**day("date"), **dict.fromkeys(domains, "5"), "housing": "2"}
    assert client.post(url, first).status_code == 302
    assert client.post(url, latest).status_code == 302
    out_of_range = client.post(url, {**day("date"), **dict.fromkeys(domains, "11")})
    assert "Enter a score from 1 to 10" in out_of_range.content.decode()
    page = client.get(reverse("caseload:case-detail", args=[case.pk]))
    assert page.context["distance"]["change"] == [2, 2, 2, 2, -1, 2, 2]
    assert "+2" in page.content.decode() and "-1" in page.content.decode()


def test_a_complaint_is_acknowledged_later_and_late_ones_show_on_the_team_view(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case
) -> None:
    from caseload.selectors import team_caseloads

    late = Complaint.objects.create(
        case=case, received_date=TODAY - datetime.timedelta(days=31), summary="No call back"
    )
    assert next(w for w in team_caseloads(TODAY) if w == specialist).late_complaints == 1
    client = signed_in(specialist)
    url = reverse("caseload:complaint-edit", args=[late.pk])
    early = {**day("acknowledged_date", TODAY - datetime.timedelta(days=40))}
    assert "cannot be before the complaint arrived" in client.post(url, early).content.decode()
    client.post(url, {**day("acknowledged_date"), "outcome": "Apologised", "learning": ""})
    late.refresh_from_db()
    assert (late.acknowledged_date, late.outcome) == (TODAY, "Apologised")
    assert late.history.latest().history_user == specialist
    assert next(w for w in team_caseloads(TODAY) if w == specialist).late_complaints == 0


def test_a_complaint_is_resolved_later_and_not_before_it_arrived(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    complaint = Complaint.objects.create(
        case=case, received_date=TODAY - datetime.timedelta(days=10), summary="No call back"
    )
    client = signed_in(specialist)
    url = reverse("caseload:complaint-edit", args=[complaint.pk])
    early = {**day("resolved_date", TODAY - datetime.timedelta(days=11))}
    page = client.post(url, early).content.decode()
    assert "cannot be resolved before it arrived" in page
    complaint.refresh_from_db()
    assert complaint.resolved_date is None  # nothing saved from the refused post
    client.post(url, {**day("resolved_date"), "outcome": "Apologised", "learning": ""})
    complaint.refresh_from_db()
    assert complaint.resolved_date == TODAY
    detail = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert f"and resolved {TODAY:%-d %b %Y}" in detail


@pytest.mark.parametrize("kind", sorted(VALID))
def test_each_record_opens_from_the_case_page_with_its_fields_and_who_recorded_it(
    signed_in: Callable[..., Client],
    specialist: User,
    other_specialist: User,
    case: Case,
    kind: str,
) -> None:
    model, data = VALID[kind]
    client = signed_in(specialist)
    client.post(reverse("caseload:record-new", args=[case.pk, kind]), data)
    record = model.objects.get(case=case)
    url = reverse("caseload:record-detail", args=[kind, record.pk])
    case_page = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert f'href="{url}"' in case_page
    page = client.get(url).content.decode()
    assert f"Recorded by {specialist.full_name} on" in page
    for name, value in data.items():  # every answer typed is on the page
        if name.endswith(("_0", "_1", "_2")) or name == "consent_confirmed":
            continue
        field = model._meta.get_field(name)
        shown = getattr(record, f"get_{name}_display")() if field.choices else value
        assert str(shown) in page, (name, shown)
    assert signed_in(other_specialist).get(url).status_code == 404


def test_a_record_page_is_404_for_another_kind_or_a_record_of_another_case(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    complaint = Complaint.objects.create(case=case, received_date=TODAY, summary="Late")
    client = signed_in(specialist)
    assert client.get(reverse("caseload:record-detail", args=["nonsense", 1])).status_code == 404
    # The pk of a complaint, asked for as a crisis: no crisis has it.
    crisis_url = reverse("caseload:record-detail", args=["crisis", complaint.pk])
    assert client.get(crisis_url).status_code == 404


def test_a_record_page_shows_each_change_with_who_made_it(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case
) -> None:
    client = signed_in(specialist)
    client.post(reverse("caseload:record-new", args=[case.pk, "complaint"]), VALID["complaint"][1])
    complaint = Complaint.objects.get(case=case)
    signed_in(manager).post(
        reverse("caseload:complaint-edit", args=[complaint.pk]),
        {**day("acknowledged_date"), "outcome": "", "learning": ""},
    )
    page = client.get(reverse("caseload:record-detail", args=["complaint", complaint.pk]))
    text = page.content.decode()
    history = text.split("History", 1)[1]
    assert f"Recorded by {specialist.full_name}" in history
    assert f"Changed by {manager.full_name}" in history
    assert "Changed: acknowledged date" in history


def test_a_manager_opens_a_disclosure_from_the_alert_and_adds_the_written_report_later(
    signed_in: Callable[..., Client],
    specialist: User,
    manager: User,
    other_specialist: User,
    case: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = datetime.datetime.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    stamp = now.strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(specialist).post(
            reverse("caseload:record-new", args=[case.pk, "disclosure"]),
            {
                "disclosed_at": stamp,
                "what": "Named a rival who plans to attack him tonight",
                "police_told_at": stamp,
                "police_contact": "DS Smith",
                "police_reference": "WMP-123",
            },
        )
    disclosure = ThreatToLifeDisclosure.objects.get(case=case)
    page_url = reverse("caseload:record-detail", args=["disclosure", disclosure.pk])
    (email,) = mail.outbox
    assert page_url in email.body  # the alert opens the disclosure itself
    client = signed_in(manager)
    page = client.get(page_url).content.decode()
    assert "Named a rival who plans to attack him tonight" in page
    assert "has not been added yet" in page
    report_url = reverse("caseload:disclosure-report", args=[disclosure.pk])
    assert signed_in(other_specialist).get(report_url).status_code == 404
    refused = client.post(report_url, {"report": "  "})
    assert "Enter the written report" in refused.content.decode()
    client.post(report_url, {"report": "Emailed to DS Smith at 10:05; threat assessed."})
    disclosure.refresh_from_db()
    assert disclosure.follow_up_report == "Emailed to DS Smith at 10:05; threat assessed."
    latest = disclosure.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (manager, "Written report added")
    page = client.get(page_url).content.decode()
    assert "has not been added yet" not in page and "threat assessed" in page
    # A second post (another tab) does not replace the report.
    client.post(report_url, {"report": "Something else"})
    disclosure.refresh_from_db()
    assert "threat assessed" in disclosure.follow_up_report
