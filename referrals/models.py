"""Referrals: who was referred, by whom, and what was decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from e4e.codes import Cohort, Ethnicity, Gender, RejectionReason, Source
from e4e.models import BaseModel


class Referral(BaseModel):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SCREENING = "screening", "Screening"
        WAITING_LIST = "waiting_list", "Waiting list"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    DECIDED = (Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN)

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    #: Public reference given to the referrer (e.g. E4E-7KQ2-XM4D).
    reference = models.CharField(max_length=20, unique=True)
    #: Groups referrals of the same person (the import's person_id).
    person_key = models.CharField(max_length=64, db_index=True)

    received_date = models.DateField()
    source = models.CharField(max_length=32, choices=Source.choices)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=32, blank=True)

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_STATED)
    ethnicity = models.CharField(
        max_length=16, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    preferred_language = models.CharField(max_length=64, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    cohort = models.CharField(max_length=16, choices=Cohort.choices)
    reason = models.TextField("why they are referred", blank=True)
    wants_work = models.BooleanField(default=False)
    wants_own_business = models.BooleanField(default=False)
    wants_training = models.BooleanField(default=False)
    risk_violence = models.BooleanField(default=False)
    risk_weapons = models.BooleanField(default=False)
    risk_gang_affiliation = models.BooleanField(default=False)
    risk_lone_worker = models.BooleanField(default=False)
    unsafe_areas = models.TextField("areas or postcodes they cannot safely go to", blank=True)
    risk_notes = models.TextField(blank=True)
    consent = models.BooleanField("consented to the referral", default=False)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    decision_date = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    rejection_rationale = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="referrals_referral_decision_has_date",
                condition=~Q(status__in=["accepted", "rejected", "withdrawn"])
                | Q(decision_date__isnull=False),
            ),
            models.CheckConstraint(
                name="referrals_referral_rejection_explained",
                condition=~Q(status="rejected")
                | (~Q(rejection_reason="") & ~Q(rejection_rationale="")),
            ),
            models.CheckConstraint(
                name="referrals_referral_decided_after_received",
                condition=Q(decision_date__isnull=True)
                | Q(decision_date__gte=models.F("received_date")),
            ),
        ]
        indexes = [
            models.Index(fields=["received_date"]),
            models.Index(fields=["status", "decision_date"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED
