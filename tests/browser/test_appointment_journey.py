"""An appointment from booking to the contact logged from it, on a phone (375x667),
axe-checked on every page.

* A specialist opens their client's case and taps "Book an appointment". A community
  appointment at a venue with no risk assessment in force on the case is refused: the form
  comes back with the error summary and the venue's own error saying so, and nothing is
  booked.
* Once a risk assessment lists the venue among the safe meeting places, the same booking
  goes through: the appointment's page shows it, Booked, and not yet "Did it happen?".
* The specialist's diary (from the menu) lists it for the day with its time and venue, and
  opens it.
* After its start the appointment's page asks "Did it happen?". From there it takes two
  taps to a logged contact: "Attended: log the contact" opens the contact form with every
  answer the appointment gives already filled in (date, time, how, with whom, minutes,
  where), and "Log contact" saves it. The contact has the appointment's length and is linked
  to it, and the appointment is marked attended.
* Another specialist gets a 404 for the appointment's page.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, cast

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from caseload.models import Appointment, Case, Contact, RiskAssessment
from core.models import Role
from tests.browser.people import Thumb, heading, person_with_device, sign_in, sign_out
from tests.factories import CaseFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

VENUE = "The Hub, Sparkhill"
NO_RISK_ASSESSMENT = "There is no risk assessment in force on that day"
#: How long the appointment lasts, in minutes: the contact logged from it takes as long.
MINUTES = 45
#: How far ahead of now it starts: time enough to book it and open it from the diary first.
LEAD = datetime.timedelta(minutes=3)
#: Taps from the appointment's page, once it has started, to the contact logged.
TAPS_TO_LOG = 2


def follow(browse: Browse, target: Locator) -> None:
    """Tap something that loads a page, wait for the page and check it (not counted)."""
    with browse.page.expect_navigation(wait_until="load"):
        target.click()
    browse.check()


def open_from_menu(browse: Browse, label: str) -> None:
    """The header's menu is folded away behind its "Menu" button on a phone."""
    menu = browse.page.get_by_role("navigation", name="Menu")
    link = menu.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        menu.get_by_role("button", name="Menu").click()
    follow(browse, link)


def fill_in_the_booking(page: Page, day: datetime.date, starts: str, ends: str) -> None:
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Starts", exact=True).fill(starts)
    page.get_by_label("Ends", exact=True).fill(ends)
    page.get_by_role("group", name="Where").get_by_label("Community venue", exact=True).check()
    page.get_by_role("textbox", name="Community venue").fill(VENUE)
    page.get_by_role("group", name="What for").get_by_label("Support meeting").check()


def summary_value(page: Page, key: str) -> Locator:
    """The value in the summary list's row whose key is `key`."""
    rows = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key").get_by_text(key, exact=True)
    )
    return rows.locator(".govuk-summary-list__value")


@pytest.mark.parametrize("viewport", [(375, 667)], ids=["375x667"])
def test_an_appointment_is_booked_at_a_safe_venue_found_in_the_diary_and_logged_in_two_taps(
    browse: Browse,
) -> None:
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    today = timezone.localdate()
    case = cast(
        Case,
        CaseFactory(
            worker=specialist,
            referral__first_name="Amani",
            referral__last_name="Okonjo",
            referral__received_date=today - datetime.timedelta(days=40),
            referral__decision_date=today - datetime.timedelta(days=30),
            start_date=today - datetime.timedelta(days=29),
        ),
    )
    page = sign_in(browse, specialist)
    heading(page, "Your caseload")

    # Later today, a few minutes from now, so that it starts while the test runs.
    now = timezone.localtime()
    start = now.replace(second=0, microsecond=0) + LEAD + datetime.timedelta(minutes=1)
    end = start + datetime.timedelta(minutes=MINUTES)
    if end.date() != now.date():
        pytest.skip("too near midnight for an appointment later today that ends today")
    day, starts, ends = start.date(), f"{start:%H:%M}", f"{end:%H:%M}"

    # 1. With no risk assessment on the case, a community venue is refused.
    case_page = reverse("caseload:case-detail", args=[case.pk])
    browse.visit(case_page)
    heading(page, "Amani Okonjo")
    follow(browse, page.get_by_role("link", name="Book an appointment", exact=True))
    heading(page, "Book an appointment")
    fill_in_the_booking(page, day, starts, ends)
    follow(browse, page.get_by_role("button", name="Book", exact=True))

    heading(page, "Book an appointment")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    venue = page.get_by_role("textbox", name="Community venue")
    summary_link = summary.get_by_role("link", name=re.compile(NO_RISK_ASSESSMENT))
    expect(summary_link).to_have_count(1)
    expect(summary_link).to_have_attribute("href", "#" + (venue.get_attribute("id") or "?"))
    expect(venue).to_have_accessible_description(re.compile(NO_RISK_ASSESSMENT))
    expect(venue).to_have_value(VENUE)
    assert not Appointment.objects.exists()

    # 2. A risk assessment listing the venue as a safe meeting place: the same booking
    # (the form as it came back) now goes through.
    RiskAssessment.objects.create(
        case=case,
        date=today - datetime.timedelta(days=1),
        risks_to_client="Known to a rival group in Small Heath",
        risks_from_client="None known",
        lone_working_plan="Text the office on arrival and on leaving",
        safe_meeting_places=f"{VENUE}; the Digbeth office",
        places_to_avoid="Small Heath Park",
        review_date=today + datetime.timedelta(days=90),
        by=specialist,
    )
    expect(page.get_by_label("Date", exact=True)).to_have_value(day.isoformat())
    expect(page.get_by_label("Starts", exact=True)).to_have_value(starts)
    follow(browse, page.get_by_role("button", name="Book", exact=True))

    appointment = Appointment.objects.get()
    appointment_page = reverse("caseload:appointment-detail", args=[appointment.pk])
    assert page.url == browse.url(appointment_page)
    expect(page.get_by_text(f"Appointment booked for {day:%-d %B} at {starts}.")).to_be_visible()
    heading(page, f"Appointment, {day:%A %-d %B} at {starts}")
    expect(page.locator(".govuk-tag").first).to_have_text("Booked")
    expect(summary_value(page, "When")).to_have_text(f"{day:%-d %B %Y}, {starts} to {ends}")
    expect(summary_value(page, "Where")).to_have_text(
        re.compile(r"^\s*Community venue: " + re.escape(VENUE) + r"\s*$")
    )
    expect(page.get_by_role("heading", name="Did it happen?")).to_have_count(0)
    assert (appointment.case, appointment.worker) == (case, specialist)
    assert (appointment.date, f"{appointment.starts_at:%H:%M}") == (day, starts)
    assert (appointment.place, appointment.venue) == (Appointment.Place.COMMUNITY, VENUE)
    assert appointment.status == Appointment.Status.BOOKED

    # 3. The diary lists it for the day, with its time and venue, and opens it.
    open_from_menu(browse, "Diary")
    heading(page, "Your diary")
    expect(page.get_by_text(f"{day:%A %-d %B %Y}: 1 appointment.")).to_be_visible()
    entry = page.locator("main li").filter(has_text="Amani Okonjo")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"Community venue: {VENUE}, support meeting")
    expect(entry.get_by_text("No risk assessment in force")).to_have_count(0)
    follow(browse, entry.get_by_role("link", name=f"{starts} to {ends}: Amani Okonjo", exact=True))
    assert page.url == browse.url(appointment_page)
    heading(page, f"Appointment, {day:%A %-d %B} at {starts}")
    expect(page.get_by_role("heading", name="Did it happen?")).to_have_count(0)

    # 4. Two minutes after its start, it asks whether it happened: two taps log the contact.
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=True):
        browse.visit(appointment_page)
        expect(page.get_by_role("heading", name="Did it happen?")).to_be_visible()
        thumb = Thumb(browse)
        thumb.tap(
            page.get_by_role("button", name="Attended: log the contact", exact=True),
            "Attended: log the contact",
            loads_page=True,
        )
        heading(page, "Log a contact")
        expect(page.get_by_text("Marked attended. Log the contact.")).to_be_visible()
        # Every answer the appointment gives is filled in.
        expect(page.get_by_label("Date", exact=True)).to_have_value(day.isoformat())
        expect(page.get_by_label("Time (optional)", exact=True)).to_have_value(starts)
        expect(page.get_by_role("group", name="How").get_by_label("Face to face")).to_be_checked()
        expect(page.get_by_role("group", name="With").get_by_label("Client")).to_be_checked()
        expect(page.get_by_label("Minutes", exact=True)).to_have_value(str(MINUTES))
        expect(page.get_by_role("group", name="Where").get_by_label("Community")).to_be_checked()
        thumb.tap(
            page.get_by_role("button", name="Log contact", exact=True),
            "Log contact",
            loads_page=True,
        )
        expect(page.get_by_text("Contact logged.")).to_be_visible()
        heading(page, "Amani Okonjo")
        expect(page.get_by_text("1 kept, 0 missed.")).to_be_visible()

    assert thumb.taps == TAPS_TO_LOG, (
        f"Logging the contact from the appointment took {thumb.taps} taps "
        f"({TAPS_TO_LOG} wanted): " + "; ".join(thumb.log)
    )
    contact = Contact.objects.get()
    assert contact.case == case
    assert contact.worker == specialist
    assert (contact.date, f"{contact.time:%H:%M}") == (day, starts)
    assert (contact.mode, contact.party) == (Contact.Mode.FACE_TO_FACE, Contact.Party.CLIENT)
    assert (contact.duration_minutes, contact.place) == (MINUTES, Contact.Place.COMMUNITY)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED
    assert appointment.contact == contact

    # Another specialist cannot open the appointment.
    sign_out(browse, page)
    colleague = person_with_device("kim@example.org", "Kim Colleague", Role.SPECIALIST, "1")
    sign_in(browse, colleague)
    browse.visit(appointment_page, status=404)
