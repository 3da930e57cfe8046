"""A decision on an application."""

from __future__ import annotations

from typing import Any

from django import forms

from core.govuk_forms import text_field
from enterprise_fund.forms.common import PoundsField, VersionForm
from enterprise_fund.models import Decision


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    amount = PoundsField(
        label="Amount to award",
        required=False,
        help_text="When approving: up to the amount asked for and the fund's balance",
    )
    conditions = text_field(
        "Conditions",
        required=False,
        max_length=5000,
        help_text="When approving with conditions",
        multiline=True,
    )
    reason = text_field(
        "Reason",
        required=False,
        max_length=5000,
        help_text="When asking for more information (what is needed) or rejecting (why)",
        multiline=True,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        missing_amount = cleaned.get("amount") is None and "amount" not in self.errors
        if decision in Decision.APPROVALS and missing_amount:
            self.add_error("amount", "Enter the amount to award")
        if decision == Decision.Kind.APPROVED_WITH_CONDITIONS and not cleaned.get("conditions"):
            self.add_error("conditions", "Write down the conditions of the award")
        if decision == Decision.Kind.MORE_INFORMATION and not cleaned.get("reason"):
            self.add_error("reason", "Say what more information is needed")
        if decision == Decision.Kind.REJECTED and not cleaned.get("reason"):
            self.add_error("reason", "Give the reason for rejecting the application")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        approving = data["decision"] in Decision.APPROVALS
        return {
            "decision": data["decision"],
            "version": data["version"],
            "amount_pence": data["amount"] if approving else None,
            "conditions": data["conditions"] if approving else "",
            "reason": "" if approving else data["reason"],
        }
