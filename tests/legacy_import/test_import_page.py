"""The upload page: check first (what would change, every error), then confirm; the result
is kept. Runs the same importer as import_legacy."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import User
from legacy_import.models import ImportRun
from referrals.models import Referral
from tests.legacy_import.import_helpers import fixtures_dir
from tests.reporting.returns_helpers import eager_celery, private_media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery", "private_media")]
__all__ = ["eager_celery", "private_media"]


def zipped(folder: Path) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return SimpleUploadedFile("history.zip", buffer.getvalue(), content_type="application/zip")


def test_a_manager_checks_then_imports_the_worked_example(
    signed_in: Callable[..., Client],
    manager: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = signed_in(manager)
    upload = zipped(fixtures_dir() / "worked-example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("legacy_import:upload"), {"file": upload, "fund_total": "60000"}
        )
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("legacy_import:detail", args=[run.pk])
    assert run.status == "checked"
    assert run.check_result["counts"]["referrals.csv"] == {"created": 2, "updated": 0}
    assert not Referral.objects.exists()  # the check wrote nothing
    page = client.get(response["Location"]).content.decode()
    assert "What the import would do" in page and "Import these records" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("legacy_import:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.confirmed_by) == ("done", manager)
    assert Referral.objects.count() == 2
    # Confirming again does nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("legacy_import:confirm", args=[run.pk]))
    assert Referral.objects.count() == 2


def test_a_file_with_errors_lists_every_one_and_cannot_be_imported(
    signed_in: Callable[..., Client], manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("workers.csv", "worker_id,email,name,fte,colour\nW1,a@b.org,A,2,red\n")
        archive.writestr("referrals.csv", "referral_id\n")
    client = signed_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("legacy_import:upload"),
            {"file": SimpleUploadedFile("bad.zip", buffer.getvalue())},
        )
    run = ImportRun.objects.get()
    assert run.status == "refused"
    errors = run.check_result["errors"]
    assert any(line.startswith("workers.csv:1:colour:") for line in errors)
    assert any(line.startswith("workers.csv:2:fte:") for line in errors)
    page = client.get(reverse("legacy_import:detail", args=[run.pk])).content.decode()
    assert "nothing was imported" in page and "Import these records" not in page
    response = client.post(reverse("legacy_import:confirm", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "refused"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("history.csv", b"worker_id\n", "Upload a .zip of the CSV files or an .xlsx workbook"),
        ("history.zip", b"MZ\x90\x00 not a zip", "not a real .zip file"),
    ],
)
def test_the_wrong_kind_of_file_is_refused_and_nothing_is_stored(
    signed_in: Callable[..., Client], manager: User, name: str, content: bytes, message: str
) -> None:
    response = signed_in(manager).post(
        reverse("legacy_import:upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_specialists_cannot_upload(signed_in: Callable[..., Client], specialist: User) -> None:
    response = signed_in(specialist).get(reverse("legacy_import:upload"))
    assert response.status_code == 403


def test_htmx_polls_an_unfinished_run_and_reloads_the_page_once_it_has_finished(
    signed_in: Callable[..., Client], manager: User
) -> None:
    run = ImportRun.objects.create(
        file="imports/x.zip", original_name="history.zip", started_by=manager
    )
    client = signed_in(manager)
    url = reverse("legacy_import:detail", args=[run.pk])
    assert "<html" in client.get(url).content.decode()  # without htmx: the whole page
    polled = client.get(url, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled and "<html" not in polled.content.decode()
    assert 'hx-trigger="every 2s"' in polled.content.decode()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.REFUSED)
    assert client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_an_import_whose_worker_stopped_shows_as_interrupted_on_its_page_and_the_list(
    signed_in: Callable[..., Client], manager: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    run = ImportRun.objects.create(
        file="imports/x.zip",
        original_name="history.zip",
        started_by=manager,
        status=ImportRun.Status.IMPORTING,
        attempts=1,
        started_at=now - timedelta(minutes=2),
        heartbeat_at=now - timedelta(seconds=61),
    )
    client = signed_in(manager)
    url = reverse("legacy_import:detail", args=[run.pk])
    for page in (
        client.get(url).content.decode(),
        client.get(url, HTTP_HX_REQUEST="true").content.decode(),
    ):
        assert "Interrupted: the worker stopped; it will be restarted automatically." in page
        assert "Importing. This can take a minute" not in page
        assert 'hx-trigger="every 2s"' in page
    listed = client.get(reverse("legacy_import:list")).content.decode()
    assert "Interrupted" in listed and "Importing" not in listed

    # Its last allowed try: the page says it will not be restarted.
    ImportRun.objects.filter(pk=run.pk).update(attempts=ImportRun.MAX_ATTEMPTS)
    page = client.get(url).content.decode()
    assert "it will not be restarted; it will be marked failed" in page

    # A live worker: the import's own words.
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=now)
    page = client.get(url).content.decode()
    assert "Importing. This can take a minute" in page and "Interrupted" not in page


def test_an_upload_and_a_confirmation_while_the_broker_is_down_are_saved_and_shown_waiting(
    signed_in: Callable[..., Client],
    manager: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from legacy_import import tasks

    def broker_down(run_id: int) -> None:
        raise ConnectionError("the broker is not reachable")

    monkeypatch.setattr(tasks.run_import, "delay", broker_down)
    client = signed_in(manager)
    client.raise_request_exception = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("legacy_import:upload"), {"file": zipped(fixtures_dir() / "worked-example")}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302  # no error page: the sweep sends it later
    assert run.status == ImportRun.Status.CHECKING
    assert "Checking" in client.get(response["Location"]).content.decode()

    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKED)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("legacy_import:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert confirmed.status_code == 302 and run.status == ImportRun.Status.IMPORTING
    assert not Referral.objects.exists()
