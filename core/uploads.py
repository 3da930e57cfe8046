"""Which uploaded documents are accepted (a PDF, PNG or JPEG of at most 10 MB): the one check
every upload of a document goes through, by size and by content.

A file is accepted by its content (its first bytes), not by its name, so a renamed
executable is refused. Each upload names the file names it takes; where the file is then
kept (core.storage, under a generated name) is up to its app.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError

#: The largest file accepted: 10 MB.
MAX_BYTES = 10 * 1024 * 1024

TOO_BIG = "The file must be 10 MB or smaller"
EMPTY = "The selected file is empty"
WRONG_TYPE = "The file must be a PDF, PNG or JPEG"
WRONG_CONTENT = (
    "The file must be a PDF, PNG or JPEG: this file's content is not one of those, "
    "whatever its name says"
)


@dataclass(frozen=True)
class FileType:
    signature: bytes
    content_type: str
    extension: str
    label: str


FILE_TYPES = (
    FileType(b"%PDF-", "application/pdf", ".pdf", "PDF"),
    FileType(b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG image"),
    FileType(b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG image"),
)
CONTENT_TYPES = {t.content_type: t for t in FILE_TYPES}


def check_upload(upload: Any, *, extensions: Collection[str]) -> FileType:
    """The type of an uploaded file, or a ValidationError saying why it is refused.

    `upload` is a Django UploadedFile (or anything with name, size, read and seek);
    `extensions` are the file names accepted, lower case with the dot (the content must
    match one of FILE_TYPES as well).
    """
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    if PurePath(str(getattr(upload, "name", "") or "")).suffix.lower() not in extensions:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    head = _head(upload)
    for file_type in FILE_TYPES:
        if head.startswith(file_type.signature):
            return file_type
    raise ValidationError(WRONG_CONTENT, code="wrong_content")


def _head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head if isinstance(head, bytes) else b""
