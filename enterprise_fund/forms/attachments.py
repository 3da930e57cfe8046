"""A file attached to an application."""

from __future__ import annotations

from django import forms

from core.once import OnceForm
from enterprise_fund.forms.common import UploadField
from enterprise_fund.models import Attachment


class AttachmentForm(OnceForm):
    kind = forms.ChoiceField(
        label="What is the file?",
        choices=[(k.value, k.label) for k in Attachment.APPLICATION_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file is"},
    )
    file = UploadField(label="File")
