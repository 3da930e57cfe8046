"""The case file and the specialist's day, on a phone (375x667), axe-checked on every page.

* A specialist with a few cases finds one client from the header's search box by part of
  the surname (another specialist's client with a similar surname is not listed), opens
  the case and logs a contact with them, and every tap on the way is counted: it takes at
  most six, counted honestly (a field focused to type into is one tap, each radio chosen
  and each button or link pressed is one; typing and scrolling are not).
* Every kind of record with its own page (caseload.records.RECORD_PAGES) opens from a link
  in the case page's timeline, and its page shows that record; another specialist gets a
  404 for it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from caseload.models import (
    Case,
    CaseStudy,
    Complaint,
    Contact,
    CrisisEpisode,
    DistanceAssessment,
    Feedback,
    InitialAssessment,
    Offence,
    Outcome,
    RiskAssessment,
    Signposting,
    ThreatToLifeDisclosure,
)
from caseload.records import RECORD_PAGES
from core.models import Role, User
from tests.browser.people import Thumb, heading, person_with_device, sign_in, sign_out
from tests.factories import CaseFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

TODAY = datetime.date.today()
HEADER_SEARCH = "Search for a person by name, reference, date of birth, phone number or postcode"
#: The most taps a specialist should need from their home page to a logged contact.
MOST_TAPS = 6


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def new_case(**fields: Any) -> Case:
    """A case from the factory (typed as the model it makes)."""
    return cast(Case, CaseFactory(**fields))


@pytest.mark.parametrize("viewport", [(375, 667)], ids=["375x667"])
def test_a_specialist_finds_a_client_by_part_of_the_surname_and_logs_a_contact_in_six_taps(
    browse: Browse,
) -> None:
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    client = new_case(
        worker=specialist, referral__first_name="Priya", referral__last_name="Hargreaves"
    )
    new_case(worker=specialist, referral__first_name="Morgan", referral__last_name="Bell")
    new_case(worker=specialist, referral__first_name="Jo", referral__last_name="Featherstone")
    colleague = person_with_device("kim@example.org", "Kim Colleague", Role.SPECIALIST, "1")
    not_theirs = new_case(
        worker=colleague, referral__first_name="Daniel", referral__last_name="Hargreave"
    )
    page = sign_in(browse, specialist)
    heading(page, "Your caseload")
    thumb = Thumb(browse)

    # On a phone the header's search box is shown in full, above the menu: no toggle.
    search = page.get_by_role("banner").get_by_role("search", name="People")
    thumb.type_into(search.get_by_label(HEADER_SEARCH), "hargrea", "focus the header search")
    thumb.tap(search.get_by_role("button", name="Search"), "Search", loads_page=True)
    heading(page, "Search for a person")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Priya Hargreaves")
    expect(page.get_by_text(not_theirs.referral.reference)).to_have_count(0)
    expect(page.get_by_text("Daniel Hargreave")).to_have_count(0)

    thumb.tap(
        rows.first.get_by_role("link", name="Priya Hargreaves"),
        "open the client from the results",
        loads_page=True,
    )
    heading(page, "Priya Hargreaves")
    thumb.tap(
        page.get_by_role("button", name="Log a contact", exact=True),
        "Log a contact",
        loads_page=True,
    )
    heading(page, "Log a contact")
    # The date (today), how (face to face) and with whom (the client) come filled in; a
    # required answer the form does not already hold takes a tap.
    expect(page.get_by_label("Date", exact=True)).to_have_value(timezone.localdate().isoformat())
    expect(page.get_by_role("group", name="How").get_by_label("Face to face")).to_be_checked()
    expect(page.get_by_role("group", name="With").get_by_label("Client")).to_be_checked()
    minutes = page.get_by_label("Minutes")
    if not minutes.input_value():
        thumb.type_into(minutes, "30", "focus Minutes")
    where = page.get_by_role("group", name="Where")
    if where.get_by_role("radio", checked=True).count() == 0:
        thumb.tap(where.get_by_label("Office"), "Where: Office")
    chosen = (int(minutes.input_value()), where.get_by_role("radio", checked=True).input_value())
    thumb.tap(
        page.get_by_role("button", name="Log contact", exact=True),
        "Log contact",
        loads_page=True,
    )

    expect(page.get_by_text("Contact logged.")).to_be_visible()
    heading(page, "Priya Hargreaves")
    contact = Contact.objects.get()
    assert contact.case == client
    assert contact.worker == specialist
    assert contact.history.latest().history_user == specialist
    assert contact.date == timezone.localdate()
    assert (contact.mode, contact.party) == (Contact.Mode.FACE_TO_FACE, Contact.Party.CLIENT)
    assert (contact.duration_minutes, contact.place) == chosen
    assert thumb.taps <= MOST_TAPS, (
        f"Logging a contact with a client found by search took {thumb.taps} taps "
        f"(at most {MOST_TAPS} wanted): " + "; ".join(thumb.log)
    )


def one_of_every_record(case: Case, by: User) -> dict[str, tuple[Any, tuple[str, str]]]:
    """One record of every kind with its own page, each with a field whose value only it
    holds: (record, (field's label, value)) by the kind's slug."""
    now = timezone.now().replace(second=0, microsecond=0)
    made: dict[str, tuple[Any, tuple[str, str]]] = {
        "signposting": (
            Signposting.objects.create(
                case=case, date=days_ago(9), need="debt", organisation="Northfield Debt Advice"
            ),
            ("Organisation", "Northfield Debt Advice"),
        ),
        "crisis": (
            CrisisEpisode.objects.create(
                case=case, date=days_ago(8), kind="housing_loss", notes="Left the hostel"
            ),
            ("Kind", "Lost their housing"),
        ),
        "offence": (
            Offence.objects.create(
                case=case, date=days_ago(7), description="Shoplifting reported by probation"
            ),
            ("Description", "Shoplifting reported by probation"),
        ),
        "feedback": (
            Feedback.objects.create(
                case=case,
                date=days_ago(6),
                trust=5,
                confidence=4,
                respected=5,
                comment="Felt listened to every time",
            ),
            ("Comment", "Felt listened to every time"),
        ),
        "complaint": (
            Complaint.objects.create(
                case=case, received_date=days_ago(5), summary="Appointment missed, no call"
            ),
            ("Summary", "Appointment missed, no call"),
        ),
        "case-study": (
            CaseStudy.objects.create(
                case=case, consent_date=days_ago(4), text="From a prison workshop to joinery"
            ),
            ("Text", "From a prison workshop to joinery"),
        ),
        "distance-travelled": (
            DistanceAssessment.objects.create(
                case=case,
                date=days_ago(3),
                **{**dict.fromkeys(DistanceAssessment.DOMAINS, 6), "wellbeing": 9},
            ),
            ("Wellbeing", "9"),
        ),
        "disclosure": (
            ThreatToLifeDisclosure.objects.create(
                case=case,
                disclosed_at=now - datetime.timedelta(days=2),
                what="Named someone who plans to hurt them",
                police_told_at=now - datetime.timedelta(days=2),
                police_contact="DS Okafor",
                police_reference="WMP-4417",
                by=by,
            ),
            ("Police reference", "WMP-4417"),
        ),
        "contact": (
            Contact.objects.create(
                case=case,
                worker=by,
                date=days_ago(2),
                mode=Contact.Mode.PHONE,
                party=Contact.Party.CLIENT,
                duration_minutes=20,
                place=Contact.Place.ONLINE,
                note="Practised interview answers",
            ),
            ("Note", "Practised interview answers"),
        ),
        "outcome": (
            Outcome.objects.create(
                case=case,
                type=Outcome.Type.PAID_EMPLOYMENT,
                start_date=days_ago(1),
                hours_per_week=Decimal("30"),
                employer_name="Kestrel Joinery",
            ),
            ("Employer name", "Kestrel Joinery"),
        ),
        "initial-assessment": (
            InitialAssessment.objects.create(
                case=case,
                date=days_ago(20),
                readiness=InitialAssessment.Readiness.READY_NOW,
                goal=InitialAssessment.Goal.WORK,
                notes="Wants outdoor work",
                by=by,
            ),
            ("Notes", "Wants outdoor work"),
        ),
        "risk-assessment": (
            RiskAssessment.objects.create(
                case=case,
                date=days_ago(19),
                risks_to_client="None known",
                risks_from_client="None known",
                lone_working_plan="Meet in the Digbeth office only",
                review_date=TODAY + datetime.timedelta(days=60),
                by=by,
            ),
            ("Lone-working plan", "Meet in the Digbeth office only"),
        ),
    }
    assert set(made) == set(RECORD_PAGES), "a kind of record page is missing from this test"
    return made


def record_url(kind: str, record: Any) -> str:
    return reverse("caseload:record-detail", args=[kind, record.pk])


def timeline(page: Page) -> Locator:
    # The timeline is the ordered list under the case page's "Timeline" heading; it is not
    # a named region, so it is found by its class.
    return page.locator("ol.app-timeline")


def shows_record(page: Page, kind: str, row: tuple[str, str]) -> None:
    """The record's page: its kind as the heading, and the field's value in its row."""
    title, _ = RECORD_PAGES[kind]
    heading(page, title)
    key, value = row
    rows = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key").get_by_text(key, exact=True)
    )
    expect(rows.locator(".govuk-summary-list__value")).to_have_text(value)


@pytest.mark.parametrize("viewport", [(375, 667)], ids=["375x667"])
def test_every_kind_of_record_opens_from_the_timeline(browse: Browse) -> None:
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    case = new_case(
        worker=specialist,
        referral__first_name="Ellis",
        referral__last_name="Wainwright",
        referral__received_date=days_ago(30),
        referral__decision_date=days_ago(25),
        start_date=days_ago(20),
    )
    records = one_of_every_record(case, specialist)
    page = sign_in(browse, specialist)
    case_page = f"/cases/{case.pk}/"
    browse.visit(case_page)
    heading(page, "Ellis Wainwright")

    not_in_timeline = []
    for kind, (record, row) in records.items():
        url = record_url(kind, record)
        link = timeline(page).get_by_role("link").and_(page.locator(f'[href="{url}"]'))
        if link.count() == 0:
            not_in_timeline.append(kind)
            # Its page is still checked, opened directly.
            browse.visit(url)
            shows_record(page, kind, row)
            browse.visit(case_page)
            continue
        expect(link).to_have_count(1)
        with page.expect_navigation(wait_until="load"):
            link.click()
        browse.check()
        shows_record(page, kind, row)
        page.go_back(wait_until="load")
        browse.check()
        heading(page, "Ellis Wainwright")

    # Another specialist cannot open the records.
    sign_out(browse, page)
    colleague = person_with_device("kim@example.org", "Kim Colleague", Role.SPECIALIST, "1")
    sign_in(browse, colleague)
    record, _ = records["contact"]
    browse.visit(record_url("contact", record), status=404)

    assert not not_in_timeline, (
        "No link in the case page's timeline opens these kinds of record: "
        + ", ".join(not_in_timeline)
    )


@pytest.mark.parametrize("viewport", [(375, 667)], ids=["375x667"])
def test_a_manager_opens_a_disclosure_from_the_alert_and_adds_the_written_report(
    browse: Browse,
) -> None:
    manager = person_with_device("max@example.org", "Max Manager", Role.MANAGER, None)
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    case = new_case(worker=specialist, referral__first_name="Tyrone", referral__last_name="Ash")
    now = timezone.now()
    disclosure = ThreatToLifeDisclosure.objects.create(
        case=case,
        disclosed_at=now,
        what="Named someone who threatened him",
        police_told_at=now,
        police_contact="PC Example",
        police_reference="WMP-77",
        by=specialist,
    )
    page = sign_in(browse, manager)
    heading(page, "Your team")
    alert = page.get_by_role("region", name="To do")
    expect(alert).to_contain_text("1 threat-to-life disclosure still without the written report")
    alert.get_by_role("link", name="See which").click()
    page.get_by_role("link", name="Tyrone Ash, disclosed").click()
    page.wait_for_load_state("load")
    browse.check()
    heading(page, "Threat-to-life disclosure")
    page.get_by_role("link", name="Add the written report").click()
    page.wait_for_load_state("load")
    browse.check()
    page.get_by_label("Written follow-up report to the police").fill(
        "Met PC Example at Lloyd House; a visit to the family is arranged."
    )
    page.get_by_role("button", name="Add the report").click()
    page.wait_for_load_state("load")
    browse.check()
    expect(page.get_by_text("The written report has been added.")).to_be_visible()
    expect(page.get_by_text("a visit to the family is arranged")).to_be_visible()
    expect(
        page.get_by_role("link", name="Download the written report (PDF) to send to the police")
    ).to_have_attribute("href", reverse("caseload:disclosure-report-pdf", args=[disclosure.pk]))
    disclosure.refresh_from_db()
    assert disclosure.follow_up_report.startswith("Met PC Example")
    assert disclosure.history.latest().history_user == manager
    browse.visit(reverse("caseload:team"))
    expect(page.get_by_role("region", name="To do")).to_have_count(0)
