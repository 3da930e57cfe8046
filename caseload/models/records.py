"""The smaller records kept on a case: offences, signposting, feedback, crises,
threat-to-life disclosures, complaints and case studies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from caseload.models.fields import score_field
from core.codes import Need
from core.models import BaseModel


class Offence(BaseModel):
    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="offences")
    date = models.DateField()
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]


class Signposting(BaseModel):
    class Result(models.TextChoices):
        ENGAGED = "engaged", "Engaged"
        DECLINED = "declined", "Declined"
        WAITING = "waiting", "Waiting"
        NOT_KNOWN = "not_known", "Not known"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="signposting")
    date = models.DateField()
    need = models.CharField(max_length=32, choices=Need.choices)
    organisation = models.CharField(max_length=200)
    outcome = models.CharField(max_length=16, choices=Result.choices, default=Result.NOT_KNOWN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]


class Feedback(BaseModel):
    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="feedback")
    date = models.DateField()
    trust = score_field(1, 5)
    confidence = score_field(1, 5)
    respected = score_field(1, 5)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name=f"caseload_feedback_{field}_range",
                condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
            )
            for field in ("trust", "confidence", "respected")
        ]


class CrisisEpisode(BaseModel):
    class Kind(models.TextChoices):
        HOUSING_LOSS = "housing_loss", "Lost their housing"
        ARREST = "arrest", "Arrested"
        HOSPITAL = "hospital", "In hospital"
        VICTIM_OF_VIOLENCE = "victim_of_violence", "Victim of violence"
        OTHER = "other", "Other"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="crises")
    date = models.DateField()
    kind = models.CharField(max_length=24, choices=Kind.choices)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]


class ThreatToLifeDisclosure(BaseModel):
    """A serious, credible and imminent threat to life passed to the police. Recording one
    alerts every manager at once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    disclosed_at = models.DateTimeField()
    what = models.TextField("what was disclosed")
    police_told_at = models.DateTimeField("when the police were told")
    police_contact = models.CharField("who at the police was told", max_length=150)
    police_reference = models.CharField(max_length=64)
    follow_up_report = models.TextField("written follow-up report", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-disclosed_at", "-pk"]


class Complaint(BaseModel):
    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    received_date = models.DateField()
    #: Required on the app's form; a legacy import may hold complaints without one.
    summary = models.TextField(blank=True)
    acknowledged_date = models.DateField(null=True, blank=True)
    resolved_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    learning = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name=f"caseload_complaint_{field}_after_received",
                condition=Q(**{f"{field}__isnull": True})
                | Q(**{f"{field}__gte": models.F("received_date")}),
            )
            for field in ("acknowledged_date", "resolved_date")
        ]

    def __str__(self) -> str:
        return f"Complaint {self.pk}"


class CaseStudy(BaseModel):
    """A story of the person's progress for the OPCC return: only with recorded consent."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_studies")
    consent_date = models.DateField("date the person consented")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-consent_date", "-pk"]
        verbose_name_plural = "case studies"
