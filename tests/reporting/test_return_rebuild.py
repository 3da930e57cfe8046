"""A signed-off return's files can be rebuilt (after a restore that lost them): from the
frozen snapshot, never from live data, so the figures are the ones the OPCC received; by
managers only, after a confirmation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from caseload.models import Outcome
from core.models import User
from reporting import figures, services
from reporting.models import QuarterlyReturn, ReturnJob
from tests.factories import CaseFactory, ReferralFactory
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    nothing_stuck,
    pdf_text,
    private_media,
    run_job,
    signed_off_return,
    snapshot,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "eager_celery", "nothing_stuck"),
]
__all__ = ["eager_celery", "nothing_stuck", "private_media"]

SignedIn = Callable[..., Client]


def rebuild_url(quarterly_return: QuarterlyReturn) -> str:
    return reverse("reporting:return-rebuild", kwargs={"pk": quarterly_return.pk})


def download(client: Client, quarterly_return: QuarterlyReturn, kind: str) -> bytes:
    url = reverse(f"reporting:return-{kind}", kwargs={"pk": quarterly_return.pk})
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def change_the_live_records(history: Any) -> None:
    """More referrals, a new case and an outcome in the quarter, and a worker renamed: the
    quarter's live figures are no longer the ones signed off."""
    for day in range(4):
        ReferralFactory(ethnicity="white", received_date=date(2025, 11, 3) + timedelta(days=day))
    CaseFactory(
        worker=history.workers[0], accepted_date=date(2025, 11, 8), start_date=date(2025, 11, 10)
    )
    Outcome.objects.create(
        case=history.cases[1],
        type=Outcome.Type.PAID_EMPLOYMENT,
        start_date=date(2025, 12, 1),
        hours_per_week=20,
        employer_name="Later Ltd",
    )
    history.workers[0].full_name = "Renamed Worker"
    history.workers[0].save()


def test_rebuilt_files_have_the_signed_off_figures_whatever_live_data_became(
    manager: User, signed_in: SignedIn, tmp_path: Path
) -> None:
    history = build_history()
    quarterly_return = signed_off_return(manager)
    client = signed_in(manager)
    csv_before = download(client, quarterly_return, "csv")
    pdf_before = pdf_text(download(client, quarterly_return, "pdf"), tmp_path)
    change_the_live_records(history)
    assert figures.quarterly_return(START, END)["access"] != quarterly_return.figures["access"]

    jobs = services.return_files_rebuild(quarterly_return=quarterly_return, by=manager)
    for job in jobs:
        assert run_job(job).status == ReturnJob.Status.DONE

    # The downloads now serve the rebuilt files: the CSV byte for byte, the PDF's text.
    served = {job.kind: job for job in jobs}
    assert download(client, quarterly_return, "csv") == csv_before
    with served["csv"].file.open("rb") as handle:
        assert handle.read() == csv_before
    assert pdf_text(download(client, quarterly_return, "pdf"), tmp_path) == pdf_before
    assert QuarterlyReturn.objects.get(pk=quarterly_return.pk).figures == quarterly_return.figures


def test_a_manager_rebuilds_the_files_after_confirming(
    manager: User, signed_in: SignedIn, django_capture_on_commit_callbacks: Any
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    client = signed_in(manager)
    detail = client.get(reverse("reporting:return-detail", kwargs={"pk": quarterly_return.pk}))
    assert rebuild_url(quarterly_return) in detail.content.decode()
    page = client.get(rebuild_url(quarterly_return)).content.decode()
    assert "Rebuild the PDF and CSV?" in page and "Yes, rebuild the files" in page
    assert quarterly_return.jobs.count() == 3  # nothing happens on the question alone

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(rebuild_url(quarterly_return))

    assert response.status_code == 302
    rebuilt = quarterly_return.jobs.filter(kind__in=["pdf", "csv"], requested_by=manager)
    assert rebuilt.filter(status="done").count() == 4  # the signed-off builds and the new
    assert "being rebuilt" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", ["opcc", "specialist", "evaluator", "admin_user"])
def test_no_one_but_a_manager_can_rebuild_the_files(
    role: str, manager: User, signed_in: SignedIn, request: pytest.FixtureRequest
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    client = signed_in(request.getfixturevalue(role))
    assert client.get(rebuild_url(quarterly_return)).status_code == 403
    assert client.post(rebuild_url(quarterly_return)).status_code == 403
    assert quarterly_return.jobs.count() == 3
    with pytest.raises(ValidationError, match="Only a manager"):
        services.return_files_rebuild(
            quarterly_return=quarterly_return, by=request.getfixturevalue(role)
        )


def test_a_draft_has_no_files_to_rebuild(manager: User, signed_in: SignedIn) -> None:
    build_history()
    draft = snapshot(services.return_start(start=START, end=END, by=manager))
    response = signed_in(manager).post(rebuild_url(draft))
    assert response.status_code == 302
    assert not draft.jobs.filter(kind__in=["pdf", "csv"]).exists()
    with pytest.raises(ValidationError, match="Only a signed-off return"):
        services.return_files_rebuild(quarterly_return=draft, by=manager)


def test_a_rebuild_is_refused_while_a_build_is_unfinished(
    manager: User, signed_in: SignedIn
) -> None:
    build_history()
    quarterly_return = signed_off_return(manager, leave_queued="pdf")
    page = signed_in(manager).post(rebuild_url(quarterly_return)).content.decode()
    assert "already being built" in page
    assert quarterly_return.jobs.filter(kind__in=["pdf", "csv"]).count() == 2
    run_job(quarterly_return.jobs.get(status="queued"))


def test_the_command_rebuilds_the_returns_whose_files_were_lost(manager: User, capsys: Any) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    call_command("rebuild_return_files", "--missing", "--by", manager.email)
    assert "Every signed-off return has its PDF and CSV." in capsys.readouterr().out

    lost = quarterly_return.jobs.get(kind="csv")
    Path(lost.file.path).unlink()  # a database restored without its files
    call_command("rebuild_return_files", "--missing", "--by", manager.email)

    assert f"Return {quarterly_return.pk} (2025-26-Q3 v1)" in capsys.readouterr().out
    for job in quarterly_return.jobs.filter(status="queued"):
        assert run_job(job).status == ReturnJob.Status.DONE
    with quarterly_return.jobs.filter(kind="csv").latest("pk").file.open("rb") as handle:
        assert handle.read().startswith("\ufeffsection,figure".encode())


def test_the_command_needs_a_manager(manager: User, specialist: User) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    with pytest.raises(CommandError, match="not an active manager"):
        call_command("rebuild_return_files", str(quarterly_return.pk), "--by", specialist.email)
    assert quarterly_return.jobs.count() == 3
