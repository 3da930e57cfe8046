"""Files attached to an application: checked by their content and size, stored privately
under a generated name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import User
from enterprise_fund.files import check_attachment, display_name
from enterprise_fund.models import Attachment, FundApplication
from enterprise_fund.services.common import LOCKED, lock_application, save_checked


def remove_file(attachment: Attachment) -> None:
    if attachment.file.name:
        attachment.file.storage.delete(attachment.file.name)


def store_attachment(application: FundApplication, kind: str, upload: Any, by: User) -> Attachment:
    """Check the file by its content and size, then store it under a generated name. Nothing
    is written unless the file is accepted; the file is removed again if its row fails."""
    file_type = check_attachment(upload)
    attachment = Attachment(
        application=application,
        kind=kind,
        content_type=file_type.content_type,
        size=upload.size,
        original_name=display_name(str(upload.name)),
        uploaded_by=by,
    )
    attachment.file.save(f"upload{file_type.extension}", upload, save=False)
    try:
        save_checked(attachment, by)
    except BaseException:
        remove_file(attachment)
        raise
    return attachment


@transaction.atomic
def fund_attachment_add(
    *, application: FundApplication, kind: str, upload: Any, by: User
) -> Attachment:
    """Attach a quote, plan or other document (PDF, PNG or JPEG, at most 10 MB) to a draft."""
    application = lock_application(application)
    if kind not in Attachment.APPLICATION_KINDS:
        raise ValidationError({"kind": "Choose what the file is"})
    if not application.is_editable:
        raise ValidationError(LOCKED)
    attachment = store_attachment(application, kind, upload, by)
    try:
        application.version += 1
        save_checked(application, by, f"{Attachment.Kind(kind).label} attached")
    except BaseException:
        remove_file(attachment)
        raise
    return attachment
