"""A payment out of an award, with its evidence."""

from __future__ import annotations

from typing import Any

from django import forms

from core.govuk_forms import GovukDateField
from core.once import OnceForm
from enterprise_fund.forms.common import PoundsField, UploadField, VersionForm
from enterprise_fund.models import Attachment, Payment


class PaymentForm(OnceForm, VersionForm):
    date = GovukDateField(label="Date paid", not_future=True)
    amount = PoundsField(label="Amount paid")
    payee = forms.ChoiceField(
        label="Paid to",
        choices=Payment.Payee.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who was paid"},
    )
    payee_name = forms.CharField(
        label="Name of the supplier or person paid",
        max_length=200,
        error_messages={"required": "Enter who was paid"},
    )
    reference = forms.CharField(label="Payment reference", required=False, max_length=100)
    evidence_kind = forms.ChoiceField(
        label="Evidence",
        choices=[(k.value, k.label) for k in Attachment.EVIDENCE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the evidence is a receipt or an invoice"},
    )
    evidence = UploadField(label="Receipt or invoice")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("version", "date", "payee", "payee_name", "reference", "evidence_kind")
        } | {"amount_pence": data["amount"], "evidence": data["evidence"]}
