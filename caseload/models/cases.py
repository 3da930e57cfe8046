"""Cases, and the one definition of held, open and active."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from core.codes import ClosureReason
from core.models import BaseModel

#: A case is active on d when a client contact falls within the 28 days ending on d.
ACTIVE_WITHIN_DAYS = 27


def held_q() -> Q:
    """For cases: held against the worker's cap, from acceptance until closed (awaiting the
    initial assessment included; kpi-definitions.md, "Worker")."""
    return Q(closed_date__isnull=True)


def open_on(day: date) -> Q:
    """For cases: open on `day`: started on or before it, and not closed on or before it
    (kpi-definitions.md, "Records")."""
    return Q(start_date__lte=day) & (Q(closed_date__isnull=True) | Q(closed_date__gt=day))


def active_on(day: date) -> Q:
    """For cases: active on `day`: open on it, with a client contact (the initial
    assessment, on the start date, included) on one of the 28 days ending on it
    (kpi-definitions.md, "Active")."""
    # Imported here: the contacts module imports this one for the contact's case.
    from caseload.models.contacts import CLIENT_CONTACT, Contact

    since = day - timedelta(days=ACTIVE_WITHIN_DAYS)
    contact = Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("pk"), date__range=(since, day))
    return open_on(day) & Q(Q(start_date__gte=since) | Q(Exists(contact)))


class CaseQuerySet(models.QuerySet["Case"]):
    """The one definition of held, open and active, used by the home pages, the team view
    and the figures alike."""

    def held(self) -> CaseQuerySet:
        return self.filter(held_q())

    def open_on(self, day: date) -> CaseQuerySet:
        return self.filter(open_on(day))

    def active_on(self, day: date) -> CaseQuerySet:
        return self.filter(active_on(day))


class Case(BaseModel):
    """One per accepted referral. It counts against the worker's capacity from acceptance
    until it is closed; active support starts with the initial assessment (`start_date`)."""

    class PriorSupport(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    accepted_date = models.DateField()
    start_date = models.DateField(
        null=True, blank=True, help_text="The initial assessment: active support begins."
    )
    prior_similar_support = models.CharField(
        max_length=8, choices=PriorSupport.choices, default=PriorSupport.UNKNOWN
    )
    prior_support_details = models.TextField(blank=True)
    closed_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=32, choices=ClosureReason.choices, blank=True)

    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-accepted_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_case_starts_after_acceptance",
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("accepted_date")),
            ),
            models.CheckConstraint(
                name="caseload_case_closes_after_start",
                condition=Q(closed_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(closed_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="caseload_case_closure_has_reason",
                condition=Q(closed_date__isnull=True) | ~Q(closure_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "closed_date"]),
            models.Index(fields=["start_date"]),
            models.Index(fields=["closed_date"]),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_date is None
