"""The one check every upload goes through (core.uploads): size, name and content."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import MAX_BYTES, check_upload

PDF_ONLY = frozenset({".pdf"})


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("Plan.PDF", b"%PDF-1.4\n", "application/pdf", ".pdf"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "image/png", ".png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 8, "image/jpeg", ".jpg"),
    ],
)
def test_a_file_is_typed_by_its_content(
    name: str, content: bytes, content_type: str, extension: str
) -> None:
    upload = _upload(name, content)
    file_type = check_upload(upload, extensions={".pdf", ".png", ".jpeg"})
    assert (file_type.content_type, file_type.extension) == (content_type, extension)
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("upload", "code", "message"),
    [
        (_upload("big.pdf", b"%PDF-" + b"0" * MAX_BYTES), "too_big", "10 MB or smaller"),
        (_upload("empty.pdf", b""), "empty", "The selected file is empty"),
        (_upload("photo.png", b"\x89PNG\r\n\x1a\n"), "wrong_type", "must be a PDF, PNG or JPEG"),
        (_upload("quote.pdf", b"MZ\x90\x00"), "wrong_content", "whatever its name says"),
    ],
    ids=["too-big", "empty", "name-not-accepted-here", "renamed-executable"],
)
def test_a_file_is_refused_with_the_reason(
    upload: SimpleUploadedFile, code: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        check_upload(upload, extensions=PDF_ONLY)
    assert refused.value.code == code
