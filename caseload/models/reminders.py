"""Reminders of appointments sent to the person (GOV.UK Notify), and their consent to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caseload.models.appointments import Appointment
from caseload.models.cases import Case
from core.models import BaseModel


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class ReminderConsent(BaseModel):
    """Whether the person agreed to be reminded of their appointments, and how. Replying
    STOP to a text, or telling their worker, opts them out: nothing more is sent until
    they agree again (recorded by their worker)."""

    class OptedOut(models.TextChoices):
        STOP = "stop", "Replied STOP to a text message"
        TOLD_WORKER = "told_worker", "Told their worker"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reminder_consent")
    consent = models.BooleanField("agreed to reminders", default=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    opted_out_how = models.CharField(max_length=16, choices=OptedOut.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="caseload_reminderconsent_consent_has_channel",
                condition=Q(consent=False) | ~Q(channel=""),
            ),
            models.CheckConstraint(
                name="caseload_reminderconsent_opted_out_says_how",
                condition=Q(opted_out_at__isnull=True) | ~Q(opted_out_how=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder consent of case {self.case_id}"


class Reminder(BaseModel):
    """One message to the person about one appointment: a confirmation when booked, one
    the day before, one on the morning. Each is sent at most once (caseload.services
    .reminders): claimed from "waiting" before it is handed to Notify, and never handed
    again once it has been. It carries the time and place only; the address it goes to is
    read from the referral when it is sent and not kept here."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation when booked"
        DAY_BEFORE = "day_before", "The day before"
        MORNING = "morning", "On the morning"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        NOT_SENT = "not_sent", "Not sent"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    send_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    #: Times it was tried (a failure Notify may recover from is tried again, up to a limit).
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: When Notify last told us its status (delivered or failed).
    status_at = models.DateTimeField(null=True, blank=True)
    #: Notify's id of the message, to match its delivery receipts.
    notify_id = models.CharField(max_length=64, blank=True, db_index=True)
    #: Why it failed or was not sent, in words for the worker.
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["send_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"], name="caseload_reminder_once_per_kind"
            )
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="caseload_reminder_due")]

    def __str__(self) -> str:
        return f"Reminder {self.kind} of appointment {self.appointment_id}"
