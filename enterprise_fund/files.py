"""Attachments to fund applications: where they are kept and which file names are accepted.

Files live under settings.MEDIA_ROOT with a generated name and no URL: the project serves
nothing from MEDIA_ROOT, so a file is reached only through the download view, which applies
the case access rule first (IN-4). Whether a file is accepted (its size, and its content
whatever its name says) is core.uploads' check, the one every uploaded document goes
through.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from core.uploads import FileType, check_upload

#: The file names accepted (the content must match one of core.uploads.FILE_TYPES as well).
EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".jpeg"})
#: Where the generated names go under MEDIA_ROOT.
FOLDER = "enterprise_fund"


def attachment_path(instance: Any, filename: str) -> str:
    """The stored name: generated, never the uploader's (their name is kept for display)."""
    return f"{FOLDER}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def check_attachment(upload: Any) -> FileType:
    """The type of a file uploaded to an application, or a ValidationError saying why it is
    refused."""
    return check_upload(upload, extensions=EXTENSIONS)


def display_name(name: str) -> str:
    """The uploader's file name, for showing only: no folders, at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return base[-200:]
