"""Booking appointments and recording whether they were kept.

A community appointment is booked only when the case's risk assessment in force on its
day lists the venue among its safe meeting places and not among the places to avoid
(statement of requirement 5.21: the venue is assessed before anyone visits). After its
start, a booked appointment is marked attended (the contact is then logged from it),
missed (why, and a task to re-engage the person by the next working day) or cancelled
(by whom). Each is marked once.
"""

from __future__ import annotations

import datetime
import functools
from datetime import date
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import Appointment, Case, Contact, RiskAssessment, Task
from caseload.selectors import without_risk_assessment
from caseload.services import reminders
from caseload.services.common import lock_case, refuse_if_closed
from caseload.services.contacts import is_out_of_hours
from core import history
from core.models import User

logger = structlog.get_logger("e4e.caseload")


def risk_assessment_in_force(case: Case, day: date) -> RiskAssessment | None:
    """The latest risk assessment made by `day` whose review is not due before it."""
    return (
        RiskAssessment.objects.filter(RiskAssessment.in_force_on(day), case=case)
        .order_by("-date", "-pk")
        .first()
    )


def _mentions(places: str, venue: str) -> bool:
    return venue.strip().casefold() in places.casefold()


def venue_problem(case: Case, day: date, venue: str) -> str:
    """Why the case's risk assessment does not allow a meeting at `venue` on `day`, or ""."""
    risk = risk_assessment_in_force(case, day)
    if risk is None:
        return (
            "There is no risk assessment in force on that day. Record one (listing the "
            "venue as a safe meeting place) before booking a community appointment."
        )
    if _mentions(risk.places_to_avoid, venue) or _mentions(case.referral.unsafe_areas, venue):
        return f"The risk assessment says to avoid {venue}. Choose another place."
    if not _mentions(risk.safe_meeting_places, venue):
        return (
            f"The risk assessment in force does not list {venue} as a safe meeting place. "
            "Record a risk assessment that does, or choose another place."
        )
    return ""


@transaction.atomic
def appointment_book(*, case: Case, worker: User, by: User, **fields: Any) -> Appointment:
    """Book an appointment with the person, today or later."""
    case = lock_case(case)
    refuse_if_closed(case, "book an appointment")
    day: date = fields["date"]
    if day < timezone.localdate():
        raise ValidationError(
            {"date": "An appointment is booked for today or later: log a contact instead"}
        )
    if fields.get("place") == Appointment.Place.COMMUNITY:
        problem = venue_problem(case, day, fields.get("venue", ""))
        if problem:
            raise ValidationError({"venue": problem})
    else:
        fields["venue"] = ""
    appointment = Appointment(
        case=case,
        worker=worker,
        by=by,
        out_of_hours=is_out_of_hours(day, fields.get("starts_at")),
        **fields,
    )
    appointment.full_clean()
    history.save(appointment, by=by, reason="Booked")
    reminders.schedule(appointment)
    logger.info("caseload.appointment_booked", case_id=case.pk, appointment_id=appointment.pk)
    return appointment


def _lock_booked(appointment: Appointment, *, started: bool = True) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.BOOKED:
        raise ValidationError(
            f"This appointment is already marked {appointment.get_status_display().lower()}."
        )
    start = timezone.make_aware(datetime.datetime.combine(appointment.date, appointment.starts_at))
    if started and timezone.now() < start:
        raise ValidationError("The appointment has not started yet: mark it after its time.")
    return appointment


@transaction.atomic
def appointment_attended(*, appointment: Appointment, by: User) -> Appointment:
    appointment = _lock_booked(appointment)
    appointment.status = Appointment.Status.ATTENDED
    history.save(appointment, by=by, reason="Attended")
    return appointment


@transaction.atomic
def appointment_link_contact(*, appointment: Appointment, contact: Contact, by: User) -> None:
    """The contact logged from an attended appointment (one contact per appointment)."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.contact_id is None and appointment.status == Appointment.Status.ATTENDED:
        appointment.contact = contact
        history.save(appointment, by=by, reason="Contact logged")


def next_working_day(day: date) -> date:
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@transaction.atomic
def appointment_missed(*, appointment: Appointment, reason: str, by: User) -> Appointment:
    """Missed: why, and a task to re-engage the person by the next working day."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the appointment was missed"})
    appointment = _lock_booked(appointment)
    appointment.status = Appointment.Status.MISSED
    appointment.missed_reason = reason.strip()
    appointment.full_clean()
    history.save(appointment, by=by, reason="Missed")
    task = Task(
        case=appointment.case,
        kind=Task.Kind.RE_ENGAGE,
        title=f"Re-engage: missed the appointment of {appointment.date:%-d %b}",
        due_date=next_working_day(max(appointment.date, timezone.localdate())),
    )
    history.save(task, by=by)
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, cancelled_by: str, by: User) -> Appointment:
    """Cancelled, before or after its time, saying by whom."""
    if cancelled_by not in Appointment.CancelledBy.values:
        raise ValidationError({"cancelled_by": "Choose who cancelled it"})
    appointment = _lock_booked(appointment, started=False)
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_by = cancelled_by
    appointment.full_clean()
    history.save(appointment, by=by, reason="Cancelled")
    reminders.not_sent(appointment.reminders.all(), "The appointment was cancelled.")
    return appointment


#: How and where a contact logged from an appointment happened, by the appointment's place.
CONTACT_FROM_PLACE: dict[str, tuple[str, str]] = {
    Appointment.Place.OFFICE: (Contact.Mode.FACE_TO_FACE, Contact.Place.OFFICE),
    Appointment.Place.COMMUNITY: (Contact.Mode.FACE_TO_FACE, Contact.Place.COMMUNITY),
    Appointment.Place.PHONE: (Contact.Mode.PHONE, Contact.Place.ONLINE),
    Appointment.Place.VIDEO: (Contact.Mode.VIDEO, Contact.Place.ONLINE),
}


def appointment_to_log(case: Case, pk: str) -> Appointment | None:
    """The attended appointment on this case whose contact is still to be logged."""
    if not pk.isdigit():
        return None
    return Appointment.objects.filter(
        pk=int(pk), case=case, status=Appointment.Status.ATTENDED, contact__isnull=True
    ).first()


def contact_from_appointment(appointment: Appointment) -> dict[str, Any]:
    """The contact form's answers, as the appointment gives them."""
    mode, place = CONTACT_FROM_PLACE[appointment.place]
    start = datetime.datetime.combine(appointment.date, appointment.starts_at)
    end = datetime.datetime.combine(appointment.date, appointment.ends_at)
    return {
        "date": appointment.date,
        "time": appointment.starts_at,
        "mode": mode,
        "party": Contact.Party.CLIENT,
        "place": place,
        "duration_minutes": int((end - start).total_seconds() // 60),
    }


#: How long before a community appointment its worker is told it has no risk assessment.
FLAG_BEFORE = datetime.timedelta(hours=1)


def flag_without_risk_assessment(now: datetime.datetime | None = None) -> int:
    """Community appointments starting within the hour with no risk assessment in force:
    each worker is told once, by a task due today and an email (time, venue and case
    reference only). How many were flagged."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from core.system_user import system_user

    now = now or timezone.now()
    local = timezone.localtime(now)
    soon = local + FLAG_BEFORE
    upcoming = list(
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED,
            place=Appointment.Place.COMMUNITY,
            risk_flagged_at__isnull=True,
            date=local.date(),
            starts_at__gte=local.time(),
            starts_at__lte=soon.time() if soon.date() == local.date() else datetime.time.max,
        ).select_related("case__referral", "worker")
    )
    uncovered = without_risk_assessment(upcoming)
    flagged = 0
    for appointment in upcoming:
        if appointment.pk not in uncovered:
            continue
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if locked.risk_flagged_at is not None:
                continue
            locked.risk_flagged_at = now
            history.save(locked, by=system_user(), reason="No risk assessment an hour before")
            reference = appointment.case.referral.reference
            title = (
                f"No risk assessment in force for the {appointment.starts_at:%H:%M} "
                f"appointment at {appointment.venue}: record one before you go, or meet "
                "somewhere safe"
            )
            history.save(
                Task(
                    case=appointment.case,
                    kind=Task.Kind.RISK_ASSESSMENT,
                    title=title[:200],
                    due_date=local.date(),
                ),
                by=system_user(),
            )
            link = reverse("caseload:appointment-detail", args=[appointment.pk])
            body = render_to_string(
                "emails/appointment_without_risk_assessment.txt",
                {
                    "starts_at": appointment.starts_at,
                    "reference": reference,
                    "link": f"{settings.SITE_URL}{link}",
                },
            )
            transaction.on_commit(
                functools.partial(
                    send_mail,
                    "An appointment within the hour has no risk assessment",
                    body,
                    None,
                    [appointment.worker.email],
                )
            )
        logger.warning(
            "caseload.appointment_without_risk_assessment", appointment_id=appointment.pk
        )
        flagged += 1
    return flagged
