"""Appointments: when and where a specialist meets a client, and whether it was kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from caseload.models.contacts import Contact
from core.models import BaseModel


class Appointment(BaseModel):
    """A meeting booked with the person: its day, times and place. After its time it is
    marked attended (and the contact logged from it), missed (with why, and a task to
    re-engage) or cancelled (by whom)."""

    class Place(models.TextChoices):
        OFFICE = "office", "Office"
        COMMUNITY = "community", "Community venue"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"

    class Kind(models.TextChoices):
        SUPPORT = "support", "Support meeting"
        JOB_SEARCH = "job_search", "Job search"
        INTERVIEW = "interview", "Interview or interview practice"
        IN_WORK = "in_work", "In-work support"
        REVIEW = "review", "Review of the action plan"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ATTENDED = "attended", "Attended"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    class CancelledBy(models.TextChoices):
        CLIENT = "client", "The person"
        WORKER = "worker", "The worker"
        OTHER = "other", "Someone else (a partner, the venue)"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    place = models.CharField(max_length=16, choices=Place.choices)
    #: The community venue's name (its address when it has no name).
    venue = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SUPPORT)
    #: Anyone attending besides the person and their worker (a mentor, a probation officer).
    attendees = models.CharField("who else attends", max_length=200, blank=True)
    #: Outside Monday to Friday, 9am to 5pm (caseload.services.contacts.is_out_of_hours).
    out_of_hours = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    missed_reason = models.CharField("why it was missed", max_length=200, blank=True)
    cancelled_by = models.CharField(max_length=16, choices=CancelledBy.choices, blank=True)
    #: The contact logged from it, once attended.
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: When its worker was told, an hour before, that no risk assessment is in force for
    #: this community appointment (once: caseload.services.appointments).
    risk_flagged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_appointment_ends_after_it_starts",
                condition=Q(ends_at__gt=F("starts_at")),
            ),
            models.CheckConstraint(
                name="caseload_appointment_community_has_venue",
                condition=~Q(place="community") | ~Q(venue=""),
            ),
            models.CheckConstraint(
                name="caseload_appointment_missed_has_reason",
                condition=~Q(status="missed") | ~Q(missed_reason=""),
            ),
            models.CheckConstraint(
                name="caseload_appointment_cancelled_says_by_whom",
                condition=~Q(status="cancelled") | ~Q(cancelled_by=""),
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "date"], name="caseload_appointment_diary"),
            models.Index(fields=["case", "date"], name="caseload_appointment_case"),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.date} {self.starts_at:%H:%M}"


class CalendarFeed(BaseModel):
    """A worker's private calendar feed (iCalendar) of their appointments, for their phone's
    calendar to subscribe to. Its address carries a long random token, shown once when made
    or reset; only the token's SHA-256 is kept. Resetting it stops the old address at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
