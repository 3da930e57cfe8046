"""Contacts: with the person, an employer or a partner, or general admin time."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from caseload.models.employers import Employer
from core.models import BaseModel


class Contact(BaseModel):
    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        MESSAGE = "message", "Message"
        ADMIN = "admin", "Admin"

    class Party(models.TextChoices):
        CLIENT = "client", "Client"
        EMPLOYER = "employer", "Employer"
        PARTNER = "partner", "Partner"
        NONE = "none", "None"

    class Place(models.TextChoices):
        OFFICE = "office", "Office"
        COMMUNITY = "community", "Community"
        ONLINE = "online", "Online"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    mode = models.CharField(max_length=16, choices=Mode.choices)
    party = models.CharField(max_length=16, choices=Party.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    place = models.CharField(max_length=16, choices=Place.choices, blank=True)
    out_of_hours = models.BooleanField(default=False)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-time", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_contact_duration_range",
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=720),
            ),
            # Without a case: general admin, or job development with an employer.
            models.CheckConstraint(
                name="caseload_contact_without_case_is_admin",
                condition=Q(case__isnull=False)
                | Q(mode="admin", party="none")
                | Q(party="employer", employer__isnull=False),
            ),
        ]
        indexes = [
            # A case's contacts with one party by date; with the mode included, the checks of
            # a client contact (not admin) in a window answer from the index alone on
            # PostgreSQL: "active" for every case, the contact before a period, a first
            # employer visit (at 20,000 clients: caseload 145 -> 90 ms, fidelity 160 -> 90).
            models.Index(
                fields=["case", "party", "date"],
                include=["mode"],
                name="caseload_contact_case_party",
            ),
            # The return's passes over a period's contacts (hours, re-engagement, employer
            # visits per worker) read only these columns, so on PostgreSQL the index alone
            # answers them (an index-only scan; at 20,000 clients, 190,000 contacts a
            # quarter: 670 ms of heap reads -> 240 ms; the hours with out-of-hours work
            # 240 ms -> 90 ms once it is included). Elsewhere a plain index on the date.
            models.Index(
                fields=["date"],
                include=["case", "worker", "party", "mode", "duration_minutes", "out_of_hours"],
                name="caseload_contact_date_figures",
            ),
            models.Index(fields=["worker", "date"]),
        ]


#: Client contacts: with the client, in any mode but admin.
CLIENT_CONTACT = Q(party=Contact.Party.CLIENT) & ~Q(mode=Contact.Mode.ADMIN)
