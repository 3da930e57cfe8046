"""Subject access (DP-4): everything held about a person in one zip, from the referral page
(managers only) or the command: the records, their history, files and the access log."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Contact
from core import history
from core.models import AccessLog, User
from enterprise_fund.services import attachments
from tests.enterprise_fund.helpers import PDF, make_draft, make_fund, upload
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]


@pytest.fixture
def case(specialist: User, manager: User, settings: Any, tmp_path: Path) -> Case:
    settings.MEDIA_ROOT = str(tmp_path)
    case = CaseFactory(worker=specialist, referral__first_name="Zebedee")
    contact = Contact.objects.create(
        case=case,
        worker=specialist,
        date=date.today(),
        mode="phone",
        party="client",
        duration_minutes=20,
        note="First words",
    )
    contact.note = "Second words"
    history.save(contact, by=specialist)
    make_fund(manager)
    draft = make_draft(case, specialist)
    attachments.fund_attachment_add(
        application=draft, kind="quote", upload=upload("quote.pdf"), by=specialist
    )
    return case


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_manager_downloads_everything_held_with_its_history_and_readers(
    signed_in: SignedIn, manager: User, specialist: User, case: Case
) -> None:
    viewer = signed_in(specialist)
    viewer.get(reverse("caseload:case-detail", args=[case.pk]))
    client = signed_in(manager)
    response = client.get(reverse("privacy:subject-access", args=[case.referral_id]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    files = unzip(response.content)
    assert set(files) >= {"README.txt", "records.json", "access_log.json"}
    records = json.loads(files["records.json"])
    models = {record["model"] for record in records}
    assert {"referrals.Referral", "caseload.Case", "caseload.Contact"} <= models
    assert {"enterprise_fund.FundApplication", "enterprise_fund.Attachment"} <= models
    referral = next(r for r in records if r["model"] == "referrals.Referral")
    assert referral["values"]["first_name"] == "Zebedee"
    contact = next(r for r in records if r["model"] == "caseload.Contact")
    assert [version["values"]["note"] for version in contact["history"]] == [
        "First words",
        "Second words",
    ]
    assert contact["history"][1]["by"] == f"{specialist.full_name} (Employment specialist)"
    readers = json.loads(files["access_log.json"])
    assert any(row["who"].startswith(specialist.full_name) for row in readers)
    (pdf,) = [name for name in files if name.startswith("files/")]
    assert files[pdf] == PDF
    # The download itself is logged, against the referral and the case.
    logged = AccessLog.objects.filter(view_name="privacy:subject-access", user=manager)
    assert sorted(logged.values_list("subject_type", flat=True)) == ["case", "referral"]


def test_only_managers_may_download_it(
    signed_in: SignedIn, specialist: User, evaluator: User, case: Case
) -> None:
    url = reverse("privacy:subject-access", args=[case.referral_id])
    assert signed_in(specialist).get(url).status_code == 403
    assert signed_in(evaluator).get(url).status_code == 403


def test_the_command_writes_the_same_zip(case: Case, tmp_path: Path) -> None:
    output = tmp_path / "request.zip"
    call_command("subject_access", case.referral.reference.lower(), "--output", str(output))
    assert "records.json" in unzip(output.read_bytes())
    with pytest.raises(CommandError, match="exists already"):
        call_command("subject_access", case.referral.reference, "--output", str(output))
    with pytest.raises(CommandError, match="No referral has the reference"):
        call_command("subject_access", "E4E-NOPE", "--output", str(tmp_path / "x.zip"))
