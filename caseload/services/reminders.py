"""Reminders of appointments that reach the person, by text or email (GOV.UK Notify).

Only with the person's consent, recorded by their worker with the channel they prefer
(`consent_record`). Booking an appointment then schedules a confirmation (sent once the
booking commits), one the day before at DAY_BEFORE_AT and one on the morning at MORNING_AT
(earlier if the appointment starts before it), each only if its time is still to come.

Each reminder is sent at most once. `reminder_send` claims it (waiting -> sending) and
commits that before handing it to Notify; a second delivery of the task, or a retry, finds
it no longer waiting and sends nothing. If Notify never took it (down, busy) it waits
again and is tried later, up to MAX_ATTEMPTS; if it is not known whether Notify took it (no
answer in time, or the worker died while sending), it is failed, never sent again. At the
moment of sending it is checked once more: not after the appointment's time (nor a "the
day before" one on the day), not for an appointment no longer booked, a closed case, or a
person who opted out. Messages carry the date, time and place only.

Notify tells us what became of each (`delivery_record`: delivered or failed, shown on the
case) and passes on replies: STOP opts the person out (`stop_reply_record`).
"""

from __future__ import annotations

import datetime
from datetime import datetime as DateTime
from datetime import time

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from caseload.models import Appointment, Case, Reminder, ReminderConsent
from caseload.models.reminders import Channel
from caseload.selectors import address_of, consent_of, why_not_remind
from core import history, notify
from core.models import User
from core.search_keys import phone_digits

logger = structlog.get_logger("e4e.reminders")

DAY_BEFORE_AT = time(12, 0)
MORNING_AT = time(8, 0)
#: A morning reminder goes at least this long before an appointment that starts early.
MORNING_LEAD = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 5
#: A failed try that Notify may recover from is tried again after attempts x this.
RETRY_AFTER = datetime.timedelta(minutes=2)
#: A reminder still "sending" after this lost its worker mid-send: it may have gone.
SENDING_TOO_LONG = datetime.timedelta(minutes=15)
#: Replies to a text that opt the person out.
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "cancel"})


def _aware(day: datetime.date, at: time) -> DateTime:
    return timezone.make_aware(DateTime.combine(day, at))


def starts(appointment: Appointment) -> DateTime:
    return _aware(appointment.date, appointment.starts_at)


def send_times(appointment: Appointment, now: DateTime) -> dict[str, DateTime]:
    """When each reminder of a newly booked appointment goes (those still to come)."""
    start = starts(appointment)
    morning = min(_aware(appointment.date, MORNING_AT), start - MORNING_LEAD)
    times = {
        Reminder.Kind.CONFIRMATION: now,
        Reminder.Kind.DAY_BEFORE: _aware(
            appointment.date - datetime.timedelta(days=1), DAY_BEFORE_AT
        ),
        Reminder.Kind.MORNING: max(morning, _aware(appointment.date, time(0, 0))),
    }
    return {kind: at for kind, at in times.items() if kind == "confirmation" or now < at < start}


def schedule(appointment: Appointment, *, confirmation: bool = True) -> list[Reminder]:
    """The reminders of a booked appointment, if the person agreed to them; the
    confirmation is sent once this commits. Call inside the booking's transaction."""
    case = appointment.case
    consent = consent_of(case)
    if why_not_remind(case, consent):
        return []
    assert consent is not None
    now = timezone.now()
    made = []
    for kind, at in send_times(appointment, now).items():
        if kind == Reminder.Kind.CONFIRMATION and not confirmation:
            continue
        reminder, created = Reminder.objects.get_or_create(
            appointment=appointment,
            kind=kind,
            defaults={"channel": consent.channel, "send_at": at},
        )
        if created:
            made.append(reminder)
    for reminder in made:
        if reminder.kind == Reminder.Kind.CONFIRMATION:
            _send_on_commit(reminder.pk)
    return made


def _send_on_commit(pk: int) -> None:
    from caseload.tasks import send_reminder
    from core.jobs import send

    transaction.on_commit(lambda: send(send_reminder, pk))


def _set(reminder: Reminder, **fields: object) -> None:
    for name, value in fields.items():
        setattr(reminder, name, value)
    reminder.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def not_sent(reminders: QuerySet[Reminder], reason: str) -> int:
    """Mark the waiting reminders among `reminders` not sent, saying why."""
    waiting = list(reminders.filter(status=Reminder.Status.WAITING).select_for_update())
    for reminder in waiting:
        _set(reminder, status=Reminder.Status.NOT_SENT, reason=reason)
    return len(waiting)


def personalisation(appointment: Appointment) -> dict[str, str]:
    """What a message says: the date, time and place, nothing about the case."""
    places: dict[str, str] = {
        Appointment.Place.OFFICE: "at the office",
        Appointment.Place.COMMUNITY: f"at {appointment.venue}",
        Appointment.Place.PHONE: "by phone (we will call you)",
        Appointment.Place.VIDEO: "by video call",
    }
    return {
        "date": f"{appointment.date:%A %-d %B}",
        "time": f"{appointment.starts_at:%-I:%M%p}".lower().replace(":00", ""),
        "place": places[appointment.place],
    }


def _why_not_now(reminder: Reminder, now: DateTime) -> str:
    appointment = reminder.appointment
    if appointment.status != Appointment.Status.BOOKED:
        return f"The appointment was marked {appointment.get_status_display().lower()}."
    if now >= starts(appointment):
        return "The appointment's time had passed."
    if reminder.kind == Reminder.Kind.DAY_BEFORE and timezone.localdate(now) >= appointment.date:
        return "Its day had passed."
    return why_not_remind(appointment.case, consent_of(appointment.case))


def reminder_send(pk: int, *, now: DateTime | None = None) -> str:
    """Send one reminder if it is still waiting and due; its status afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("appointment__case__referral")
            .get(pk=pk)
        )
        if reminder.status != Reminder.Status.WAITING or reminder.send_at > now:
            return reminder.status
        why = _why_not_now(reminder, now)
        if why:
            _set(reminder, status=Reminder.Status.NOT_SENT, reason=why)
            return reminder.status
        consent = consent_of(reminder.appointment.case)
        assert consent is not None
        _set(
            reminder,
            channel=consent.channel,
            status=Reminder.Status.SENDING,
            attempts=reminder.attempts + 1,
        )
    # Claimed and committed: from here it is never handed to Notify again.
    case = reminder.appointment.case
    message = notify.Message(
        channel=reminder.channel,
        to=address_of(case, reminder.channel),
        kind=reminder.kind,
        language=notify.fold_language(case.referral.preferred_language),
        personalisation=personalisation(reminder.appointment),
        reference=f"reminder-{reminder.pk}",
    )
    try:
        notify_id = notify.send(message)
    except notify.SendError as error:
        again = error.retry and reminder.attempts < MAX_ATTEMPTS
        _set(
            reminder,
            status=Reminder.Status.WAITING if again else Reminder.Status.FAILED,
            reason=str(error)[:200],
            send_at=now + RETRY_AFTER * reminder.attempts if again else reminder.send_at,
        )
        logger.warning(
            "reminders.not_accepted", reminder_id=reminder.pk, retry=again, error=str(error)
        )
        return reminder.status
    _set(
        reminder,
        status=Reminder.Status.SENT,
        sent_at=timezone.now(),
        notify_id=notify_id,
        reason="",
    )
    logger.info("reminders.sent", reminder_id=reminder.pk, kind=reminder.kind)
    return reminder.status


def due(now: DateTime, limit: int = 500) -> list[int]:
    """The reminders waiting whose time has come, oldest first."""
    return list(
        Reminder.objects.filter(status=Reminder.Status.WAITING, send_at__lte=now)
        .order_by("send_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def fail_lost_sends(now: DateTime) -> int:
    """Reminders left "sending" by a worker that stopped: it may have gone, so it is failed
    (never sent again) and the worker sees it on the case."""
    lost = list(
        Reminder.objects.filter(
            status=Reminder.Status.SENDING, updated_at__lt=now - SENDING_TOO_LONG
        ).select_for_update(skip_locked=True)
    )
    for reminder in lost:
        _set(
            reminder,
            status=Reminder.Status.FAILED,
            reason="It is not known whether it was sent: it is not sent again, so never twice.",
        )
    return len(lost)


#: Notify's final statuses, and what a failed one means for the worker.
FAILURES = {
    "permanent-failure": "The number or address does not exist or cannot take messages: "
    "check it with the person.",
    "temporary-failure": "Their phone was off or their inbox was full for 3 days.",
    "technical-failure": "Notify could not send it (a fault on its side).",
    "validation-failed": "Notify refused the message.",
}


@transaction.atomic
def delivery_record(notify_id: str, status: str, *, at: DateTime | None = None) -> bool:
    """What Notify says became of a message it took; False if it is not one of ours or
    the status is not final yet."""
    if not notify_id or (status != "delivered" and status not in FAILURES):
        return False
    reminder = (
        Reminder.objects.filter(
            notify_id=notify_id, status__in=[Reminder.Status.SENT, Reminder.Status.DELIVERED]
        )
        .select_for_update()
        .first()
    )
    if reminder is None:
        return False
    _set(
        reminder,
        status=Reminder.Status.DELIVERED if status == "delivered" else Reminder.Status.FAILED,
        reason=FAILURES.get(status, ""),
        status_at=at or timezone.now(),
    )
    return True


def awaiting_receipt(now: DateTime, limit: int = 100) -> list[Reminder]:
    """Sent reminders Notify has not yet reported on (for the poll, if no receipt came)."""
    return list(
        Reminder.objects.filter(
            status=Reminder.Status.SENT,
            sent_at__lt=now - datetime.timedelta(minutes=2),
            sent_at__gt=now - datetime.timedelta(days=4),
        ).order_by("sent_at")[:limit]
    )


def uk_number(text: str) -> str:
    """A phone number as the referral's search key holds it, from Notify's form too
    ("447700900123" -> "07700900123")."""
    digits = phone_digits(text)
    if digits.startswith("44") and len(digits) == 12:
        return "0" + digits[2:]
    return digits


@transaction.atomic
def stop_reply_record(source_number: str, message: str, *, by: User) -> int:
    """A text from the person: STOP (or the like) opts out every open case with that
    mobile number that agreed to texts. How many it opted out."""
    if "".join(message.casefold().split()) not in STOP_WORDS:
        return 0
    number = uk_number(source_number)
    if not number:
        return 0
    consents = ReminderConsent.objects.filter(
        consent=True,
        channel=Channel.SMS,
        case__referral__search_phone=number,
        case__closed_date__isnull=True,
    ).select_related("case")
    count = 0
    for consent in consents:
        _opt_out(consent, ReminderConsent.OptedOut.STOP, by=by)
        count += 1
    return count


def _opt_out(consent: ReminderConsent, how: str, *, by: User) -> None:
    consent.consent = False
    consent.opted_out_at = timezone.now()
    consent.opted_out_how = how
    consent.by = by
    history.save(consent, by=by, reason="Opted out")
    not_sent(Reminder.objects.filter(appointment__case=consent.case_id), "They opted out.")
    logger.info("reminders.opted_out", case_id=consent.case_id, how=how)


@transaction.atomic
def consent_record(*, case: Case, consent: bool, channel: str, by: User) -> ReminderConsent:
    """The person's answer, asked by their worker. Agreeing schedules the reminders of the
    appointments already booked (no confirmation for those); saying no, having agreed,
    opts them out and nothing more is sent."""
    if consent and channel not in Channel.values:
        raise ValidationError({"channel": "Choose how they want their reminders"})
    if consent and not address_of(case, channel):
        what = "mobile number" if channel == Channel.SMS else "email address"
        raise ValidationError(
            {"channel": f"There is no {what} on their referral: add it there, or choose another"}
        )
    if consent and case.closed_date is not None:
        raise ValidationError("This case is closed. Reopen it to send reminders.")
    record = ReminderConsent.objects.select_for_update().filter(case=case).first()
    if record is None:
        record = ReminderConsent(case=case, by=by)
    if not consent:
        if record.pk and record.consent:
            _opt_out(record, ReminderConsent.OptedOut.TOLD_WORKER, by=by)
        elif record.pk is None:
            history.save(record, by=by, reason="Did not agree to reminders")
        return record
    record.consent = True
    record.channel = channel
    record.opted_out_at = None
    record.opted_out_how = ""
    record.by = by
    record.full_clean()
    history.save(record, by=by, reason="Agreed to reminders")
    for appointment in Appointment.objects.filter(
        case=case, status=Appointment.Status.BOOKED, date__gte=timezone.localdate()
    ).select_related("case__referral"):
        schedule(appointment, confirmation=False)
    return record
