"""Private files: uploads, evidence and built returns live under settings.MEDIA_ROOT with no
URL. The project serves nothing from MEDIA_ROOT, so a file is reached only through a view
that applies the access rule first (IN-4)."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files with no URL: served only by a view that checks access first."""

    def url(self, name: str | None) -> str:
        raise PermissionError("Private files have no URL; serve them through a view.")


def private_storage() -> PrivateStorage:
    # No location: FileSystemStorage then follows settings.MEDIA_ROOT, even when it changes.
    return PrivateStorage()
