"""The published criteria and a manager's assessment of a bid against them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.applications import FundApplication

#: The published criteria: (field, title, guidance). Each is scored 1 (poor) to 5 (strong).
CRITERIA: tuple[tuple[str, str, str], ...] = (
    (
        "viability",
        "Viability",
        "Is there a market for the business, and a realistic plan to earn from it? "
        "Costs, prices and the first customers are thought through.",
    ),
    (
        "readiness",
        "Readiness and commitment",
        "Has the applicant shown they are ready and committed: research done, time "
        "set aside, steps already taken?",
    ),
    (
        "value_for_money",
        "Value for money",
        "Are the items needed to start trading, priced fairly (quotes where possible), and "
        "is the amount asked for in proportion to what the business will achieve?",
    ),
    (
        "risk",
        "Risk: legality and safeguarding",
        "Is the business legal and licensable, and safe for the applicant and others? "
        "5 means the risks are low or well managed; 1 means they are serious.",
    ),
    (
        "other_support",
        "Use of other support",
        "Is the applicant using start-up advice and other support (banks, grants, "
        "mentoring) alongside the fund?",
    ),
)


def _score() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])


class Assessment(BaseModel):
    """A manager's assessment of an application against the published criteria."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    viability = _score()
    viability_notes = models.TextField(blank=True)
    readiness = _score()
    readiness_notes = models.TextField(blank=True)
    value_for_money = _score()
    value_for_money_notes = models.TextField(blank=True)
    risk = _score()
    risk_notes = models.TextField(blank=True)
    other_support = _score()
    other_support_notes = models.TextField(blank=True)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name=f"enterprise_fund_assessment_{name}_range",
                condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
            )
            for name in ("viability", "readiness", "value_for_money", "risk", "other_support")
        ]

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name, _title, _guidance in CRITERIA)

    @property
    def scores(self) -> list[dict[str, object]]:
        return [
            {"title": title, "score": getattr(self, name), "notes": getattr(self, f"{name}_notes")}
            for name, title, _guidance in CRITERIA
        ]
