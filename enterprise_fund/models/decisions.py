"""The decision log of the applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.applications import FundApplication


class Decision(BaseModel):
    """The decision log: every decision on an application, who made it, when and why."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Approve"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approve with conditions"
        MORE_INFORMATION = "more_information", "Ask for more information"
        REJECTED = "rejected", "Reject"

    APPROVALS = (Kind.APPROVED, Kind.APPROVED_WITH_CONDITIONS)

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    #: An approval above the threshold that waits for a second manager's approval.
    first_of_two = models.BooleanField(default=False)
    amount_pence = models.PositiveBigIntegerField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            # The approval that makes the award happens once per application (CI-4).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind__in=["approved", "approved_with_conditions"], first_of_two=False),
                name="enterprise_fund_decision_one_award_per_application",
            ),
            models.CheckConstraint(
                name="enterprise_fund_decision_approval_has_amount",
                condition=~Q(kind__in=["approved", "approved_with_conditions"])
                | Q(amount_pence__gt=0),
            ),
            models.CheckConstraint(
                name="enterprise_fund_decision_conditions_stated",
                condition=~Q(kind="approved_with_conditions") | ~Q(conditions=""),
            ),
            models.CheckConstraint(
                name="enterprise_fund_decision_refusal_has_reason",
                condition=~Q(kind__in=["more_information", "rejected"]) | ~Q(reason=""),
            ),
        ]

    @property
    def label(self) -> str:
        if self.kind == self.Kind.MORE_INFORMATION:
            return "More information asked for"
        if self.kind == self.Kind.REJECTED:
            return "Rejected"
        if self.first_of_two:
            return "First approval: a second manager must approve"
        if self.kind == self.Kind.APPROVED_WITH_CONDITIONS:
            return "Approved with conditions"
        return "Approved"
