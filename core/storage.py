"""Private files: uploads, evidence and built returns live under settings.MEDIA_ROOT with no
URL. The project serves nothing from MEDIA_ROOT, so a file is reached only through a view
that applies the access rule first (IN-4).

Every file saved here has its SHA-256 and size recorded (core.models.StoredFile), and the
record goes when the file is deleted: the backup's manifest and the restore check compare
the files against these records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import FileSystemStorage
from django.db import transaction

CHUNK = 1024 * 1024


class PrivateStorage(FileSystemStorage):
    """Files with no URL: served only by a view that checks access first."""

    def url(self, name: str | None) -> str:
        raise PermissionError("Private files have no URL; serve them through a view.")

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        saved = super().save(name, content, max_length=max_length)
        record_checksum(saved, Path(self.path(saved)))
        return saved

    def delete(self, name: str) -> None:
        from core.models import StoredFile

        super().delete(name)
        if transaction.get_connection().needs_rollback:
            return  # a failed transaction is being undone, and its record of the file with it
        StoredFile.objects.filter(path=name).delete()


def private_storage() -> PrivateStorage:
    # No location: FileSystemStorage then follows settings.MEDIA_ROOT, even when it changes.
    return PrivateStorage()


def sha256_of(chunks: Iterable[bytes]) -> tuple[str, int]:
    """The hex SHA-256 and the length of the bytes."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_chunks(handle: IO[bytes]) -> Iterable[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def file_checksum(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of a file on disk, read as it is now."""
    with path.open("rb") as handle:
        return sha256_of(file_chunks(handle))


def record_checksum(name: str, path: Path) -> None:
    """Record (or replace) the checksum of the stored file `name`, read back from disk."""
    from core.models import StoredFile

    sha256, size = file_checksum(path)
    StoredFile.objects.update_or_create(path=name, defaults={"sha256": sha256, "size": size})
