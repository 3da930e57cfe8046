"""The worker's calendar feed: their appointments as iCalendar with times, places and the
case reference, never a person's name; a wrong or reset token opens nothing; the token
never reaches the logs."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from caseload.calendar_feed import feed_reset
from caseload.models import Appointment
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 12, 7, 12, 0)


def appointment_for(worker: User, **fields: object) -> Appointment:
    values: dict[str, object] = {
        "case": CaseFactory(
            worker=worker, referral__first_name="Jerome", referral__last_name="Okafor"
        ),
        "worker": worker,
        "date": datetime.date(2026, 12, 8),
        "starts_at": datetime.time(10, 0),
        "ends_at": datetime.time(11, 0),
        "place": "community",
        "venue": "The Hub, Sparkhill",
        "by": worker,
    }
    values.update(fields)
    return Appointment.objects.create(**values)


@time_machine.travel(NOON, tick=False)
def test_the_feed_shows_times_places_and_references_never_names(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User
) -> None:
    mine = appointment_for(specialist)
    appointment_for(
        specialist, date=datetime.date(2026, 12, 9), status="cancelled", cancelled_by="client"
    )
    theirs = appointment_for(other_specialist)
    page = signed_in(specialist).post(reverse("caseload:calendar-feed")).content.decode()
    address = re.search(r'value="(http[^"]+calendar\.ics\?token=[^"]+)"', page)
    assert address is not None
    response = Client().get(address.group(1).replace("&amp;", "&"))  # no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"Appointment {mine.case.referral.reference}"]
    assert str(events[0]["location"]) == "Community venue: The Hub, Sparkhill"
    start = events[0].decoded("dtstart")
    assert (start.date(), start.hour, str(start.tzinfo)) == (mine.date, 10, "Europe/London")
    for secret in ("Jerome", "Okafor", theirs.case.referral.reference):
        assert secret not in body


@time_machine.travel(NOON, tick=False)
def test_a_wrong_or_reset_token_opens_nothing(specialist: User) -> None:
    appointment_for(specialist)
    url = reverse("caseload:calendar-feed-ics")
    first = feed_reset(specialist)
    assert Client().get(url, {"token": first}).status_code == 200
    assert Client().get(url, {"token": first[:-1] + "x"}).status_code == 404
    assert Client().get(url).status_code == 404
    second = feed_reset(specialist)
    assert Client().get(url, {"token": first}).status_code == 404
    assert Client().get(url, {"token": second}).status_code == 200
    User.objects.filter(pk=specialist.pk).update(is_active=False)  # an account switched off
    assert Client().get(url, {"token": second}).status_code == 404


def test_the_token_never_reaches_the_logs(
    specialist: User, caplog: pytest.LogCaptureFixture
) -> None:
    token = feed_reset(specialist)
    with caplog.at_level(logging.INFO):
        Client().get(reverse("caseload:calendar-feed-ics"), {"token": token})
        Client().get(reverse("caseload:calendar-feed-ics"), {"token": token + "wrong"})
    formatter = next(h.formatter for h in logging.getLogger().handlers if h.formatter)
    lines = "\n".join(formatter.format(record) for record in caplog.records)
    assert "/calendar.ics?[redacted]" in lines
    assert token not in lines
