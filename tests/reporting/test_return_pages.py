"""The return's pages: start, progress, narrative, sign-off, corrections; the OPCC's list and
downloads (IN-4); the manager's dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from core.models import User
from reporting import services
from reporting.models import QuarterlyReturn, ReturnJob
from tests.reporting.returns_helpers import (
    END,
    NARRATIVE,
    START,
    build_history,
    eager_celery,
    nothing_stuck,
    private_media,
    review_every_update,
    signed_off_return,
    snapshot,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "eager_celery", "nothing_stuck"),
]
__all__ = ["eager_celery", "nothing_stuck", "private_media"]

LONDON = ZoneInfo("Europe/London")
SignedIn = Callable[..., Client]


def detail_url(quarterly_return: QuarterlyReturn) -> str:
    return reverse("reporting:return-detail", kwargs={"pk": quarterly_return.pk})


def narrative_post(quarterly_return: QuarterlyReturn, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {**NARRATIVE, **changes}
    if not data["case_studies_consent"]:
        data.pop("case_studies_consent")
    return data


# --- Starting a return and watching it -------------------------------------------------


@time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=LONDON))
def test_the_start_page_offers_complete_quarters_and_defaults_to_the_last(
    manager: User, signed_in: SignedIn
) -> None:
    page = signed_in(manager).get(reverse("reporting:return-start")).content.decode()
    assert '<option value="2025-26-Q3"' in page
    assert 'value="2025-26-Q3"\n                        selected' in page or (
        'value="2025-26-Q3" selected' in " ".join(page.split())
    )
    assert "2025-26-Q4" not in page  # the current quarter is not complete


@time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=LONDON))
def test_a_manager_starts_a_return_and_its_figures_are_computed(
    manager: User, signed_in: SignedIn, django_capture_on_commit_callbacks: Any
) -> None:
    build_history()
    client = signed_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:return-start"), {"quarter": "2025-26-Q3"})
    quarterly_return = QuarterlyReturn.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(quarterly_return)
    assert (quarterly_return.period_start, quarterly_return.period_end) == (START, END)
    assert quarterly_return.figures is not None
    page = client.get(detail_url(quarterly_return)).content.decode()
    assert "Done" in page and "Write the narrative" in page
    assert "hx-trigger" not in page  # nothing left to poll

    # The same quarter again: refused, with the reason on the form.
    again = client.post(reverse("reporting:return-start"), {"quarter": "2025-26-Q3"})
    assert again.status_code == 200
    assert "A draft return for this quarter already exists" in again.content.decode()
    assert QuarterlyReturn.objects.count() == 1


def test_the_page_shows_progress_and_polls_until_the_job_finishes(
    manager: User, signed_in: SignedIn
) -> None:
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    client = signed_in(manager)
    page = client.get(detail_url(quarterly_return)).content.decode()
    status_url = reverse("reporting:return-status", kwargs={"pk": quarterly_return.pk})
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 2s"' in page
    assert "Waiting to start" in page
    assert "Refresh to see the latest progress" in page  # without JavaScript

    partial = client.get(status_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert "<html" not in partial.content.decode()

    snapshot(quarterly_return)
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"  # reload the page to show the figures
    assert "hx-trigger" not in done.content.decode()


def test_a_job_whose_worker_stopped_shows_as_interrupted_not_as_stale_progress(
    manager: User, signed_in: SignedIn
) -> None:
    from django.utils import timezone

    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    now = timezone.now()
    ReturnJob.objects.filter(pk=job.pk).update(
        status=ReturnJob.Status.RUNNING,
        attempts=1,
        progress=50,
        step="Listing the cases active in the quarter",
        started_at=now - timedelta(minutes=3),
        heartbeat_at=now - timedelta(seconds=61),
    )
    client = signed_in(manager)
    status_url = reverse("reporting:return-status", kwargs={"pk": quarterly_return.pk})
    for page in (
        client.get(detail_url(quarterly_return)).content.decode(),
        client.get(status_url, HTTP_HX_REQUEST="true").content.decode(),
    ):
        assert "Interrupted: the worker stopped; it will be restarted automatically." in page
        assert "50% done" not in page and "Running" not in page
        assert 'hx-trigger="every 2s"' in page  # it is still followed until it finishes

    # While its worker is alive, the same job shows its progress.
    ReturnJob.objects.filter(pk=job.pk).update(heartbeat_at=now)
    page = client.get(detail_url(quarterly_return)).content.decode()
    assert "Listing the cases active in the quarter: 50% done" in page
    assert "Interrupted" not in page
    ReturnJob.objects.filter(pk=job.pk).update(status=ReturnJob.Status.DONE)


def test_a_failed_job_shows_its_reason_and_can_be_tried_again(
    manager: User, signed_in: SignedIn, django_capture_on_commit_callbacks: Any
) -> None:
    build_history()
    quarterly_return = services.return_start(start=START, end=END, by=manager)
    job = quarterly_return.jobs.get()
    job.status, job.error = ReturnJob.Status.FAILED, "OperationalError: database is locked"
    job.save()
    client = signed_in(manager)
    page = client.get(detail_url(quarterly_return)).content.decode()
    assert "Failed" in page and "OperationalError: database is locked" in page
    retry_url = reverse("reporting:job-retry", kwargs={"pk": job.pk})
    assert f'action="{retry_url}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response.status_code == 302
    assert quarterly_return.jobs.filter(status=ReturnJob.Status.DONE).count() == 1
    assert quarterly_return.jobs.filter(status=ReturnJob.Status.FAILED).count() == 1


# --- Narrative and sign-off --------------------------------------------------------------


def test_the_narrative_is_saved_and_the_return_lists_an_update_per_active_case(
    manager: User, signed_in: SignedIn
) -> None:
    history = build_history()
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    assert len(quarterly_return.active_cases) == len(history.cases)
    client = signed_in(manager)
    url = reverse("reporting:return-narrative", kwargs={"pk": quarterly_return.pk})
    response = client.post(url, narrative_post(quarterly_return))
    assert response.status_code == 302
    quarterly_return.refresh_from_db()
    assert quarterly_return.progress == NARRATIVE["progress"]
    assert quarterly_return.history.latest().history_user == manager
    page = client.get(detail_url(quarterly_return)).content.decode()
    for update in quarterly_return.updates.all():
        assert reverse("reporting:case-update", kwargs={"pk": update.pk}) in page
    for pseudonym in quarterly_return.active_cases:
        assert pseudonym in page
    for referral in history.referrals:
        assert referral.last_name not in page  # pseudonyms, not names
    for worker in history.workers:
        assert worker.full_name in page  # whose case each is


def test_case_studies_need_the_consent_confirmation(manager: User, signed_in: SignedIn) -> None:
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    url = reverse("reporting:return-narrative", kwargs={"pk": quarterly_return.pk})
    response = signed_in(manager).post(
        url, narrative_post(quarterly_return, case_studies="A found work in retail.")
    )
    assert response.status_code == 200
    assert "Confirm that consent is recorded for each case study" in response.content.decode()
    quarterly_return.refresh_from_db()
    assert quarterly_return.case_studies == ""


def test_sign_off_is_refused_until_the_narrative_is_complete(
    manager: User, signed_in: SignedIn
) -> None:
    build_history()
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    url = reverse("reporting:return-sign-off", kwargs={"pk": quarterly_return.pk})
    client = signed_in(manager)
    assert "Write the progress since last quarter." in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "5 case updates are not reviewed yet" in response.content.decode()
    quarterly_return.refresh_from_db()
    assert quarterly_return.status == QuarterlyReturn.Status.DRAFT
    assert not quarterly_return.jobs.filter(kind__in=["pdf", "csv"]).exists()


def test_signing_off_freezes_the_return(
    manager: User, signed_in: SignedIn, django_capture_on_commit_callbacks: Any
) -> None:
    build_history()
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    client = signed_in(manager)
    narrative_url = reverse("reporting:return-narrative", kwargs={"pk": quarterly_return.pk})
    client.post(narrative_url, narrative_post(quarterly_return))
    review_every_update(quarterly_return, manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:return-sign-off", kwargs={"pk": quarterly_return.pk})
        )
    assert response.status_code == 302
    quarterly_return.refresh_from_db()
    assert quarterly_return.is_signed_off and quarterly_return.signed_off_by == manager
    assert quarterly_return.jobs.filter(status="done").count() == 3  # figures, PDF, CSV
    frozen = QuarterlyReturn.objects.get(pk=quarterly_return.pk)
    history_rows = quarterly_return.history.count()

    # A POST to change the narrative is refused, and nothing changes.
    response = client.post(narrative_url, narrative_post(quarterly_return, progress="Changed"))
    assert response.status_code == 302
    assert "can no longer change" in client.get(response["Location"]).content.decode()
    quarterly_return.refresh_from_db()
    assert quarterly_return.progress == frozen.progress == NARRATIVE["progress"]
    assert quarterly_return.updated_at == frozen.updated_at
    assert quarterly_return.history.count() == history_rows
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError, match="can no longer change"):
        services.return_narrative_update(quarterly_return=quarterly_return, by=manager, **NARRATIVE)
    with pytest.raises(ValidationError, match="already been signed off"):
        services.return_sign_off(quarterly_return=quarterly_return, by=manager)


def test_a_correction_is_a_new_version_and_both_stay(
    manager: User, opcc: User, signed_in: SignedIn, django_capture_on_commit_callbacks: Any
) -> None:
    build_history()
    first = signed_off_return(manager)
    client = signed_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:return-correction", kwargs={"pk": first.pk}))
    second = QuarterlyReturn.objects.get(version=2)
    assert response["Location"] == detail_url(second)
    assert second.status == QuarterlyReturn.Status.DRAFT and second.figures is not None
    assert second.progress == first.progress  # the narrative to start from
    first.refresh_from_db()
    assert first.is_signed_off and first.version == 1
    with pytest.raises(ValidationError, match="already in progress"):
        services.return_start_correction(quarterly_return=first, by=manager)

    services.return_sign_off(quarterly_return=second, by=manager)
    for job in second.jobs.filter(status="queued"):
        services.return_job_run(job_id=job.pk)
    with pytest.raises(ValidationError, match="Version 2 is the latest"):
        services.return_start_correction(quarterly_return=first, by=manager)
    page = signed_in(opcc).get(reverse("reporting:opcc-returns")).content.decode()
    assert "Corrected by version 2" in page
    assert reverse("reporting:return-pdf", kwargs={"pk": first.pk}) in page
    assert reverse("reporting:return-pdf", kwargs={"pk": second.pk}) in page


def test_the_database_keeps_one_draft_per_period_and_signed_off_returns_signed(
    manager: User,
) -> None:
    QuarterlyReturn.objects.create(period_start=START, period_end=END, started_by=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReturn.objects.create(
            period_start=START, period_end=END, version=2, started_by=manager
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReturn.objects.create(
            period_start=date(2025, 7, 1),
            period_end=date(2025, 9, 30),
            started_by=manager,
            status="signed_off",
            figures={},
        )


# --- The OPCC ---------------------------------------------------------------------------


def test_opcc_sees_only_signed_off_returns(manager: User, opcc: User, signed_in: SignedIn) -> None:
    build_history()
    signed = signed_off_return(manager)
    draft = snapshot(
        services.return_start(start=date(2025, 7, 1), end=date(2025, 9, 30), by=manager)
    )
    client = signed_in(opcc)
    page = client.get(reverse("reporting:opcc-returns")).content.decode()
    assert "2025-26-Q3" in page and "2025-26-Q2" not in page
    for name in ["reporting:return-pdf", "reporting:return-csv"]:
        assert client.get(reverse(name, kwargs={"pk": draft.pk})).status_code == 404
        assert client.get(reverse(name, kwargs={"pk": signed.pk})).status_code == 200
        assert client.get(reverse(name, kwargs={"pk": 999_999})).status_code == 404
    assert client.get(detail_url(signed)).status_code == 403  # managers' page


def test_the_opcc_home_is_the_list_of_returns(opcc: User, signed_in: SignedIn) -> None:
    response = signed_in(opcc).get(reverse("core:home"))
    assert response["Location"] == reverse("reporting:opcc-returns")


@pytest.mark.parametrize(
    ("name", "content_type", "extension"),
    [
        ("reporting:return-pdf", "application/pdf", "pdf"),
        ("reporting:return-csv", "text/csv", "csv"),
    ],
)
def test_downloads_carry_a_generated_file_name_and_are_not_cached(
    manager: User, opcc: User, signed_in: SignedIn, name: str, content_type: str, extension: str
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    for user in (opcc, manager):
        response = signed_in(user).get(reverse(name, kwargs={"pk": quarterly_return.pk}))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="e4e-quarterly-return-2025-26-Q3-v1.{extension}"'
        )
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content)


def test_generated_files_have_no_public_url(manager: User) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    job = quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF)
    with pytest.raises(PermissionError):
        job.file.url  # noqa: B018
    assert Client().get("/" + job.file_name).status_code in {302, 404}
    assert Client().get("/media/" + job.file_name).status_code in {302, 404}


def test_no_opcc_page_or_download_shows_anything_that_identifies_a_person(
    manager: User, opcc: User, signed_in: SignedIn
) -> None:
    history = build_history()
    quarterly_return = signed_off_return(manager)
    client = signed_in(opcc)
    outputs = [
        client.get(reverse("reporting:opcc-returns")).content.decode(),
        b"".join(
            client.get(
                reverse("reporting:return-csv", kwargs={"pk": quarterly_return.pk})
            ).streaming_content
        ).decode("utf-8-sig"),
    ]
    for output in outputs:
        for value in history.identifiers():
            assert value not in output, value
        for case in history.cases:
            assert f"/cases/{case.pk}/" not in output


# --- The dashboard -------------------------------------------------------------------------


@time_machine.travel(datetime(2025, 12, 31, 18, tzinfo=LONDON))
def test_the_dashboard_shows_the_quarter_to_date_exactly_and_the_trend(
    manager: User, signed_in: SignedIn
) -> None:
    history = build_history()
    page = signed_in(manager).get(reverse("reporting:dashboard")).content.decode()
    assert "2025-26-Q3" in page and "Trend" in page
    # Exact: the small count of 3 is shown as it is (managers are inside the provider).
    squashed = " ".join(page.split())
    assert 'data-label="New referrals">3</td>' in squashed
    assert "&lt;5" not in page
    for quarter in ["2023-24-Q3", "2025-26-Q2"]:  # the last eight complete quarters
        assert quarter in page
    assert "2023-24-Q2" not in page
    assert 'role="img"' in page  # the charts, each with its table
    for referral in history.referrals:
        assert referral.last_name not in page


def test_the_dashboards_per_worker_tables_show_fifty_workers_a_page(
    manager: User, signed_in: SignedIn
) -> None:
    from tests.factories import CaseFactory, UserFactory

    workers = [UserFactory(email=f"worker{n:02d}@example.org") for n in range(55)]
    for worker in workers:
        CaseFactory(worker=worker)
    client = signed_in(manager)
    url = reverse("reporting:dashboard")

    def shown(page: str) -> set[str]:
        return {worker.email for worker in workers if f">{worker.email}<" in page}

    first = client.get(url).content.decode()
    assert "Workers 1 to 50 of 55, 50 a page." in first
    assert 'href="?page=2"' in first
    assert shown(first) == {worker.email for worker in workers[:50]}
    second = client.get(url, {"page": 2}).content.decode()
    assert "Workers 51 to 55 of 55, 50 a page." in second
    assert shown(second) == {worker.email for worker in workers[50:]}


def test_the_manager_navigation_leads_to_the_dashboard(manager: User, signed_in: SignedIn) -> None:
    page = signed_in(manager).get(reverse("reporting:return-list")).content.decode()
    assert f'href="{reverse("reporting:dashboard")}"' in page
    assert ">Returns</strong>" in page  # current section
