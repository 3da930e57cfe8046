"""A worker's private calendar feed: their appointments as iCalendar (RFC 5545), for the
phone's calendar to subscribe to.

The address carries a long random token in its query string (`?token=`): the server's
access log names paths only, and the app's logs redact it (core.logging). Only the
token's SHA-256 is stored; the address is shown once, when made or reset, and a reset
stops the old one at once. The feed says when and where, and the case reference: never
the person's name, nor anything else about them.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from caseload.case_access import cases_opened_by
from caseload.models import Appointment, CalendarFeed
from core.models import Role, User

#: What the feed covers, around today.
DAYS_BEFORE, DAYS_AFTER = 30, 120


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_reset(user: User) -> str:
    """Make (or replace) the user's feed token; returns the new token, the only time it is
    known."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": _hash(token)})
    return token


def feed_owner(token: str) -> User | None:
    """Whose feed the token opens: an active worker's, or no one's."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active or feed.user.role not in Role.with_caseload():
        return None
    return feed.user


def feed_ics(user: User) -> bytes:
    today = timezone.localdate()
    zone = ZoneInfo(settings.TIME_ZONE)
    appointments = (
        Appointment.objects.filter(
            worker=user,
            date__range=(
                today - datetime.timedelta(days=DAYS_BEFORE),
                today + datetime.timedelta(days=DAYS_AFTER),
            ),
            case__in=cases_opened_by(user),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("case__referral")
        .order_by("date", "starts_at", "pk")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Enterprise for Employment//E4E Case//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "E4E appointments")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@e4e-case")
        event.add("dtstamp", timezone.now())
        event.add(
            "dtstart", datetime.datetime.combine(appointment.date, appointment.starts_at, zone)
        )
        event.add("dtend", datetime.datetime.combine(appointment.date, appointment.ends_at, zone))
        event.add("summary", f"Appointment {appointment.case.referral.reference}")
        where = appointment.get_place_display()
        event.add("location", f"{where}: {appointment.venue}" if appointment.venue else where)
        calendar.add_component(event)
    return calendar.to_ical()
