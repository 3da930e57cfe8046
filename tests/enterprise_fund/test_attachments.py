"""Quotes, plans and payment evidence: PDF or image, checked by content, at most 10 MB,
stored privately under a generated name and served only through the case access rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.models import Case
from core.models import AccessLog, User
from core.uploads import MAX_BYTES
from enterprise_fund.models import Attachment, Fund, FundApplication
from enterprise_fund.services import attachments
from tests.enterprise_fund.conftest import stored_files
from tests.enterprise_fund.helpers import EXE, JPEG, PDF, PNG, make_draft, make_submitted, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(case: Case, specialist: User, fund: Fund) -> FundApplication:
    return make_draft(case, specialist)


def attach(client: Client, application: FundApplication, name: str, content: bytes) -> object:
    return client.post(
        reverse("enterprise_fund:attachment-new", args=[application.pk]),
        {"kind": "quote", "file": upload(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Quote from Acme.PDF", PDF, "application/pdf"),
        ("plan.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_a_pdf_or_image_is_stored_privately_under_a_generated_name(
    signed_in: Callable[..., Client],
    specialist: User,
    draft: FundApplication,
    private_media: Path,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    response = attach(signed_in(specialist), draft, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.uploaded_by == specialist
    (stored,) = stored_files(private_media)
    assert stored.read_bytes() == content
    assert name not in str(stored)
    assert stored.parent.name == "enterprise_fund"
    with pytest.raises(PermissionError):
        attachment.file.url  # noqa: B018  (no public URL, ever)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"just some text", "The file must be a PDF, PNG or JPEG"),
        ("setup.exe", EXE, "The file must be a PDF, PNG or JPEG"),
        ("quote.pdf", EXE, "this file's content is not one of those, whatever its name says"),
        ("photo.jpg", b"<html><script>alert(1)</script>", "whatever its name says"),
        ("plan.pdf", b"%PDF-" + b"0" * MAX_BYTES, "The file must be 10 MB or smaller"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
    ids=["text", "executable", "renamed-executable", "renamed-html", "oversize", "empty"],
)
def test_a_bad_file_is_refused_with_a_clear_error_and_nothing_stored(
    signed_in: Callable[..., Client],
    specialist: User,
    draft: FundApplication,
    private_media: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    response = attach(signed_in(specialist), draft, name, content)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert message in error
    assert "There is a problem" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_the_service_checks_the_file_too(
    specialist: User, draft: FundApplication, private_media: Path
) -> None:
    with pytest.raises(ValidationError, match="whatever its name says"):
        attachments.fund_attachment_add(
            application=draft, kind="quote", upload=upload("quote.pdf", EXE), by=specialist
        )
    assert not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_nothing_can_be_attached_after_submission(
    specialist: User, case: Case, fund: Fund, private_media: Path
) -> None:
    submitted = make_submitted(case, specialist)
    with pytest.raises(ValidationError, match="has been submitted"):
        attachments.fund_attachment_add(
            application=submitted, kind="quote", upload=upload(), by=specialist
        )
    assert stored_files(private_media) == []


def test_the_download_is_an_attachment_with_a_generated_name_and_a_safe_type(
    signed_in: Callable[..., Client], specialist: User, manager: User, draft: FundApplication
) -> None:
    attach(signed_in(specialist), draft, "My <b>quote</b>.pdf", PDF)
    attachment = Attachment.objects.get()
    for user in (specialist, manager):
        response = signed_in(user).get(
            reverse("enterprise_fund:attachment-download", args=[attachment.pk])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{draft.reference}-quote-{attachment.pk}.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AccessLog.objects.filter(
        view_name="enterprise_fund:attachment-download", subject_id=draft.case_id
    ).exists()


def test_another_specialist_gets_404_for_the_file(
    signed_in: Callable[..., Client],
    specialist: User,
    other_specialist: User,
    draft: FundApplication,
) -> None:
    attach(signed_in(specialist), draft, "quote.pdf", PDF)
    attachment = Attachment.objects.get()
    url = reverse("enterprise_fund:attachment-download", args=[attachment.pk])
    assert signed_in(other_specialist).get(url).status_code == 404


@pytest.mark.parametrize("role", ["opcc", "evaluator", "admin"])
def test_roles_without_case_access_are_refused_the_file(
    signed_in: Callable[..., Client],
    cast: dict[str, User],
    specialist: User,
    draft: FundApplication,
    role: str,
) -> None:
    attach(signed_in(specialist), draft, "quote.pdf", PDF)
    url = reverse("enterprise_fund:attachment-download", args=[Attachment.objects.get().pk])
    assert signed_in(cast[role]).get(url).status_code == 403
