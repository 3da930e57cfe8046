"""Giving a specialist cover of a colleague's cases during leave."""

from __future__ import annotations

from typing import Any

from django import forms

from caseload.models import Case
from core.govuk_forms import REASON_MAX_LENGTH, GovukDateField, text_field
from core.models import Role, User
from core.once import OnceForm


class CoverForm(OnceForm):
    covering = forms.ModelChoiceField(
        label="Who covers?",
        queryset=User.objects.none(),  # set in __init__
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose who covers"},
    )
    starts = GovukDateField(label="First day of cover")
    ends = GovukDateField(label="Last day of cover")
    which = forms.ChoiceField(
        label="Which cases?",
        choices=[("all", "All their cases"), ("chosen", "Only the cases I choose")],
        initial="all",
        widget=forms.RadioSelect,
        help_text="All their cases includes any they are given while the cover lasts.",
        error_messages={"required": "Choose which cases are covered"},
    )
    cases = forms.ModelMultipleChoiceField(
        label="Cases covered",
        queryset=Case.objects.none(),  # set in __init__
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if you chose the cases to cover.",
    )

    def __init__(self, *args: Any, absent: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = text_field(
            "Reason for cover",
            max_length=REASON_MAX_LENGTH,
            required=False,
            help_text="For example, annual leave. Do not write health details.",
        )
        covering = self.fields["covering"]
        covering.queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.SPECIALIST, is_active=True
        ).exclude(pk=absent.pk)
        covering.label_from_instance = lambda w: w.full_name  # type: ignore[attr-defined]
        cases = self.fields["cases"]
        cases.queryset = (  # type: ignore[attr-defined]
            Case.objects.filter(worker=absent, closed_date__isnull=True)
            .select_related("referral")
            .order_by("referral__last_name", "referral__first_name", "pk")
        )
        cases.label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.referral.full_name} ({c.referral.reference})"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("which") == "chosen" and not cleaned.get("cases"):
            self.add_error("cases", "Choose at least one case, or cover all their cases")
        return cleaned
