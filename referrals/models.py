"""Referrals: who was referred, by whom, and what was decided; the partner links they come
through."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.codes import Cohort, Ethnicity, Gender, RejectionReason, Source
from core.models import BaseModel
from core.search_keys import SearchKeyField, compact, fold, phone_digits

#: The keys staff search by (referrals/search.py), made from the referral's fields on every
#: write. Those made from the person's details are empty once the details are removed
#: (privacy/retention.py), so that no one is found by details they no longer have here; the
#: reference's stays, as the reference does.
SEARCH_KEYS = ["search_name", "search_phone", "search_postcode", "search_reference"]


def name_search_key(referral: Referral) -> str:
    return "" if referral.anonymised_at else fold(f"{referral.first_name} {referral.last_name}")


def phone_search_key(referral: Referral) -> str:
    return "" if referral.anonymised_at else phone_digits(referral.phone)


def postcode_search_key(referral: Referral) -> str:
    return "" if referral.anonymised_at else compact(referral.postcode)


def reference_search_key(referral: Referral) -> str:
    return compact(referral.reference)


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
    #: Why it was accepted although an eligibility check was not met (referrals.eligibility).
    eligibility_override = models.TextField(
        "why it was accepted although a check was not met", blank=True, default="", db_default=""
    )
    #: When the referral went on the waiting list (cleared when it comes off), for the wait.
    waiting_since = models.DateField(null=True, blank=True)
    #: When the referrer was emailed the outcome (reference and accepted or not only).
    outcome_emailed_at = models.DateTimeField(null=True, blank=True)
    #: When the person's details were removed (core/retention.py); never set back.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    #: What search compares (core.search_keys): the name folded ("zoe obrien"), the phone's
    #: digits, the postcode and the reference in capitals without spaces or hyphens. Not in
    #: the history: they are made from fields that are.
    search_name = SearchKeyField(max_length=255, derive=name_search_key)
    search_phone = SearchKeyField(max_length=32, derive=phone_search_key)
    search_postcode = SearchKeyField(max_length=10, derive=postcode_search_key)
    search_reference = SearchKeyField(max_length=20, derive=reference_search_key)

    history = HistoricalRecords(excluded_fields=SEARCH_KEYS)

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
        # On PostgreSQL with pg_trgm, the search keys have GIN trigram indexes too
        # (migration 0005): they are not declared here, as SQLite has no such index.
        indexes = [
            models.Index(fields=["received_date"]),
            models.Index(fields=["status", "decision_date"]),
            models.Index(fields=["date_of_birth"], name="referrals_referral_birth"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED


class PartnerLink(BaseModel):
    """A link a partner organisation uses to refer people without an account.

    Only a SHA-256 hash of the link's secret is kept: the full link is shown once, when it
    is made. A link stops working when it expires or is revoked.
    """

    organisation = models.CharField(max_length=150)
    source = models.CharField(max_length=32, choices=Source.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="referrals_partnerlink_revoker_has_date",
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Partner link {self.pk} ({self.organisation})"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class PartnerSubmission(models.Model):
    """One row per submitted partner form, keyed by the form's one-time token, so the same
    form posted twice (a double click, a replay) cannot create a second referral."""

    link = models.ForeignKey(PartnerLink, on_delete=models.PROTECT, related_name="submissions")
    nonce_hash = models.CharField(max_length=64, unique=True)
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="partner_submission"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Submission {self.pk} through link {self.link_id}"
