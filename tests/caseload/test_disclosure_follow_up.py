"""A threat-to-life disclosure recorded without its written report is a task for its
worker and the managers until the report is added; the report then downloads as a PDF to
send to the police, to those who may open the case only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.models import ThreatToLifeDisclosure
from caseload.services.records import disclosure_report_add
from core.models import User
from tests.factories import CaseFactory
from tests.reporting.returns_helpers import pdf_text

pytestmark = pytest.mark.django_db


def disclosure_on(worker: User, **fields: object) -> ThreatToLifeDisclosure:
    now = timezone.now()
    values: dict[str, object] = {
        "case": CaseFactory(worker=worker, referral__first_name="Tyrone"),
        "disclosed_at": now,
        "what": "Named a man who has threatened to stab him",
        "police_told_at": now,
        "police_contact": "PC Example, Lloyd House",
        "police_reference": "WMP/2026/0042",
        "by": worker,
    }
    values.update(fields)
    return ThreatToLifeDisclosure.objects.create(**values)


def test_the_missing_report_is_a_task_for_the_worker_and_the_managers_until_added(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User, manager: User
) -> None:
    disclosure = disclosure_on(specialist)
    add_url = reverse("caseload:disclosure-report", args=[disclosure.pk])
    detail_url = reverse("caseload:record-detail", args=["disclosure", disclosure.pk])
    name = disclosure.case.referral.full_name

    worker_home = signed_in(specialist).get(reverse("caseload:home")).content.decode()
    assert "Add the written report to the police" in worker_home and add_url in worker_home
    colleague_home = signed_in(other_specialist).get(reverse("caseload:home")).content.decode()
    assert add_url not in colleague_home and name not in colleague_home
    team = signed_in(manager).get(reverse("caseload:team")).content.decode()
    assert "1 threat-to-life disclosure still without the written report" in team
    assert detail_url in team and "Written report to add" in team
    assert 'href="#threat-to-life"' in team  # the team table's "Check" leads to the list

    disclosure_report_add(disclosure=disclosure, report="Met PC Example on 3 Dec.", by=manager)

    worker_home = signed_in(specialist).get(reverse("caseload:home")).content.decode()
    assert add_url not in worker_home
    team = signed_in(manager).get(reverse("caseload:team")).content.decode()
    assert "still without the written report" not in team
    assert detail_url in team and "Report added" in team  # still listed: of the last 90 days


def test_the_written_report_downloads_as_a_pdf_to_those_who_may_open_the_case(
    signed_in: Callable[..., Client],
    specialist: User,
    other_specialist: User,
    manager: User,
    tmp_path: Path,
) -> None:
    disclosure = disclosure_on(specialist)
    url = reverse("caseload:disclosure-report-pdf", args=[disclosure.pk])
    client = signed_in(specialist)
    before = client.get(url)
    assert before.status_code == 302
    assert before["Location"] == reverse("caseload:disclosure-report", args=[disclosure.pk])

    disclosure_report_add(
        disclosure=disclosure, report="Met PC Example; he will visit the family.", by=specialist
    )
    assert signed_in(other_specialist).get(url).status_code == 404
    for user in (specialist, manager):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Disposition"] == (
            'attachment; filename="threat-to-life-report-wmp20260042.pdf"'
        )
        text = " ".join(pdf_text(response.content, tmp_path).split())
        assert "Threat-to-life disclosure: written report" in text
        assert disclosure.case.referral.full_name in text
        assert "WMP/2026/0042" in text and "he will visit the family" in text
    page = client.get(reverse("caseload:record-detail", args=["disclosure", disclosure.pk]))
    assert url in page.content.decode()
