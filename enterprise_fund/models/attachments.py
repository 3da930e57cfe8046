"""Files attached to an application: quotes, plans, and payments' receipts and invoices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from core.storage import private_storage
from enterprise_fund.files import attachment_path
from enterprise_fund.models.applications import FundApplication


class Attachment(BaseModel):
    """A quote, a plan, or a payment's receipt or invoice: a PDF or an image, checked by its
    content, stored privately under a generated name."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote"
        PLAN = "plan", "Business plan"
        OTHER = "other", "Other supporting document"
        RECEIPT = "receipt", "Receipt"
        INVOICE = "invoice", "Invoice"

    #: What can be attached to the application itself; receipts and invoices come with payments.
    APPLICATION_KINDS = (Kind.QUOTE, Kind.PLAN, Kind.OTHER)
    EVIDENCE_KINDS = (Kind.RECEIPT, Kind.INVOICE)

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    #: As found from the file's content, not as the uploader's browser said.
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    #: The uploader's file name, for display only: never used as a path.
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_attachment_type_allowed",
                condition=Q(content_type__in=["application/pdf", "image/png", "image/jpeg"]),
            ),
            models.CheckConstraint(
                name="enterprise_fund_attachment_size_limit",
                condition=Q(size__gt=0, size__lte=10 * 1024 * 1024),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
