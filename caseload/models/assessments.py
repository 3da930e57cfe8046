"""Assessments: the initial assessment, distance travelled and risk."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from caseload.models.fields import score_field
from core.models import BaseModel


class DistanceAssessment(BaseModel):
    """Distance travelled: seven domains scored 1-10, repeated over the case."""

    DOMAINS = (
        "confidence",
        "motivation",
        "readiness",
        "stability",
        "housing",
        "finances",
        "wellbeing",
    )

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="distance_assessments")
    date = models.DateField()
    confidence = score_field(1, 10)
    motivation = score_field(1, 10)
    readiness = score_field(1, 10)
    stability = score_field(1, 10)
    housing = score_field(1, 10)
    finances = score_field(1, 10)
    wellbeing = score_field(1, 10)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                name=f"caseload_distanceassessment_{domain}_range",
                condition=Q(**{f"{domain}__gte": 1, f"{domain}__lte": 10}),
            )
            for domain in (
                "confidence",
                "motivation",
                "readiness",
                "stability",
                "housing",
                "finances",
                "wellbeing",
            )
        ]


class InitialAssessment(BaseModel):
    """The first assessment with the person. Completing it starts active support."""

    class Readiness(models.TextChoices):
        READY_NOW = "ready_now", "Ready to start now"
        SOON = "soon", "Ready within a few weeks"
        NOT_YET = "not_yet", "Not ready yet"

    class Goal(models.TextChoices):
        WORK = "work", "Paid work"
        OWN_BUSINESS = "own_business", "Their own business"
        TRAINING = "training", "Training"
        EDUCATION = "education", "Education"

    class Barrier(models.TextChoices):
        ACCOMMODATION = "accommodation", "Accommodation"
        BENEFITS = "benefits", "Benefits"
        DEBT = "debt", "Debt"
        MENTAL_HEALTH = "mental_health", "Mental health"
        SUBSTANCE_USE = "substance_use", "Substance use"
        IDENTITY_DOCUMENTS = "identity_documents", "Identity documents"
        TRANSPORT = "transport", "Transport"
        CARING = "caring", "Caring responsibilities"
        CONVICTION_DISCLOSURE = "conviction_disclosure", "Disclosing a conviction"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="assessment")
    date = models.DateField()
    readiness = models.CharField(max_length=16, choices=Readiness.choices)
    goal = models.CharField(max_length=16, choices=Goal.choices)
    barriers = models.JSONField(default=list, blank=True)
    benefits_situation = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()


class RiskAssessment(BaseModel):
    """Risks to and from the person and how staff stay safe. One is needed before any
    contact in the community; the latest one is the one in force."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    date = models.DateField()
    risks_to_client = models.TextField("risks to the person")
    risks_from_client = models.TextField("risks from the person")
    lone_working_plan = models.TextField("lone-working plan")
    safe_meeting_places = models.TextField(blank=True)
    places_to_avoid = models.TextField(blank=True)
    review_date = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_riskassessment_review_after_date",
                condition=Q(review_date__gte=F("date")),
            )
        ]

    @staticmethod
    def in_force_on(day: datetime.date) -> Q:
        """The rule for "in force on `day`": made by then, its review not due before it."""
        return Q(date__lte=day, review_date__gte=day)

    def is_in_force_on(self, day: datetime.date) -> bool:
        """The same rule, for a row already read."""
        return self.date <= day <= self.review_date
