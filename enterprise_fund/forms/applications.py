"""The bid (its idea, amount and itemised budget) and its submission."""

from __future__ import annotations

from typing import Any

from django import forms

from core.govuk_forms import text_field
from core.money import pounds_for_input
from core.once import OnceForm
from enterprise_fund.forms.common import PoundsField, VersionForm
from enterprise_fund.models import FundApplication

#: Rows of the itemised budget on the application form (no JavaScript needed to add one).
BUDGET_ROWS = 8


class ApplicationForm(OnceForm):
    """The bid: the business idea, the amount, the itemised budget and the plan."""

    purpose = text_field("The business idea", max_length=10_000, multiline=True)
    amount_requested = PoundsField(label="Amount asked for", help_text="In pounds, like 1250")
    business_plan_summary = text_field(
        "Business plan summary",
        required=False,
        max_length=10_000,
        help_text="Customers, prices, costs, and how the business will earn. Needed to submit.",
        multiline=True,
    )
    other_support = text_field(
        "Other support involved",
        required=False,
        max_length=5000,
        help_text="Start-up advice partners, mentors, grants or loans",
        multiline=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, BUDGET_ROWS + 1):
            self.fields[f"item_{row}"] = forms.CharField(
                label=f"Item {row}", required=False, max_length=200
            )
            self.fields[f"cost_{row}"] = PoundsField(label=f"Cost of item {row}", required=False)
            self.fields[f"supplier_{row}"] = forms.CharField(
                label=f"Supplier of item {row}", required=False, max_length=200
            )

    @property
    def budget_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": row,
                "item": self[f"item_{row}"],
                "cost": self[f"cost_{row}"],
                "supplier": self[f"supplier_{row}"],
            }
            for row in range(1, BUDGET_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        budget = []
        for row in range(1, BUDGET_ROWS + 1):
            item = (cleaned.get(f"item_{row}") or "").strip()
            cost = cleaned.get(f"cost_{row}")
            supplier = (cleaned.get(f"supplier_{row}") or "").strip()
            if f"cost_{row}" in self.errors:
                continue
            if not (item or cost or supplier):
                continue
            if not item:
                self.add_error(f"item_{row}", f"Enter what item {row} is")
            if cost is None:
                self.add_error(f"cost_{row}", f"Enter the cost of item {row}")
            if item and cost is not None:
                budget.append({"item": item, "cost_pence": cost, "supplier": supplier})
        cleaned["budget"] = budget
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "amount_requested_pence": data["amount_requested"],
            "business_plan_summary": data["business_plan_summary"],
            "other_support": data["other_support"],
            "budget": data["budget"],
        }

    @classmethod
    def initial_for(cls, application: FundApplication) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "purpose": application.purpose,
            "amount_requested": pounds_for_input(application.amount_requested_pence),
            "business_plan_summary": application.business_plan_summary,
            "other_support": application.other_support,
        }
        for row, line in enumerate(application.budget_items.all()[:BUDGET_ROWS], start=1):
            initial[f"item_{row}"] = line.item
            initial[f"cost_{row}"] = pounds_for_input(line.cost_pence)
            initial[f"supplier_{row}"] = line.supplier
        return initial


class SubmitForm(VersionForm):
    declaration = forms.BooleanField(
        label="The applicant has seen this application, agrees to it being submitted, and "
        "understands the criteria it will be assessed against",
        error_messages={"required": "Confirm that the applicant agrees to the application"},
    )
