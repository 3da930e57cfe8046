"""The quarterly return as a briefing, from end to end in the browser, axe-checked on every
page: each specialist finds their quarterly updates on their home page and submits every
one; a manager opens each from the return's page, edits one, marks them all reviewed,
writes the narrative and signs the return off; the OPCC downloads the PDF, whose first page
sets the headline figures beside last quarter and the year's targets."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from caseload.models import Contact, Outcome
from core.codes import ClosureReason
from core.models import Role, User
from referrals.models import Referral
from reporting import services
from reporting.briefing import headline
from reporting.models import CaseUpdate, QuarterlyReturn
from tests.browser.people import heading, person_with_device, sign_in, sign_out
from tests.factories import CaseFactory, ReferralFactory
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    pdf_text,
    private_media,
    snapshot,
)

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_celery", "private_media")]
__all__ = ["eager_celery", "private_media"]

PARTS = ("Objectives", "What was achieved", "Next steps")
OBJECTIVES = "Find warehouse work within a bus ride of home."
EDITED = "Apply for three warehouse jobs; practise interviews with the specialist."


def a_quarter_before(worker: User) -> list[Referral]:
    """2025-26-Q2: four referrals, two of them people who started, and left, in it; one
    started paid work. None is active in 2025-26-Q3."""
    people = [
        ("Ulrich", "Vandersloot"),
        ("Ursula", "Featherstonehaugh"),
        ("Umberto", "Castellanos-Vey"),
        ("Una", "Brackenridge"),
    ]
    referrals = [
        ReferralFactory(
            first_name=first,
            last_name=last,
            received_date=date(2025, 8, 4) + timedelta(days=index),
        )
        for index, (first, last) in enumerate(people)
    ]
    for referral in referrals[:2]:
        referral.status = Referral.Status.ACCEPTED
        referral.decision_date = referral.received_date + timedelta(days=1)
        referral.save()
        case = CaseFactory(
            referral=referral,
            worker=worker,
            accepted_date=referral.decision_date,
            start_date=referral.decision_date + timedelta(days=1),
            closed_date=date(2025, 9, 12),
            closure_reason=ClosureReason.MOVED_AWAY,
        )
        Contact.objects.create(
            case=case,
            worker=worker,
            date=case.start_date + timedelta(days=7),
            mode=Contact.Mode.FACE_TO_FACE,
            party=Contact.Party.CLIENT,
            duration_minutes=60,
        )
    Outcome.objects.create(
        case=referrals[0].case,
        type=Outcome.Type.PAID_EMPLOYMENT,
        start_date=date(2025, 8, 25),
        end_date=date(2025, 9, 10),
        hours_per_week=20,
        employer_name="Bolt Logistics",
    )
    return referrals


def submit_every_update(browse: Browse, specialist: User, updates: list[CaseUpdate]) -> None:
    """The specialist signs in, opens each of their updates from their home page, writes the
    objectives in their own words and submits it, until none is left to write."""
    page = sign_in(browse, specialist)
    heading(page, "Your caseload")
    panel = page.get_by_role("heading", name=f"Quarterly updates to write ({len(updates)})")
    expect(panel).to_be_visible()
    page.get_by_role("link", name="Your quarterly updates").click()
    heading(page, "Your quarterly updates")
    browse.check()
    for update in updates:
        assert update.case is not None
        row = page.get_by_role("row").filter(has_text=update.pseudonym)
        expect(row.get_by_text("Draft")).to_be_visible()
        row.get_by_role("link", name=update.case.referral.full_name).click()
        heading(page, f"Quarterly update on {update.pseudonym}")
        browse.check()
        for part in PARTS:  # each part is drafted from the case's record
            expect(page.get_by_label(part)).not_to_have_value("")
        page.get_by_label("Objectives").fill(OBJECTIVES)
        page.get_by_role("button", name="Submit to a manager").click()
        heading(page, "Your quarterly updates")
        expect(page.get_by_text("The update has been submitted.")).to_be_visible()
        row = page.get_by_role("row").filter(has_text=update.pseudonym)
        expect(row.get_by_text("Submitted")).to_be_visible()
        browse.check()
    expect(page.get_by_role("table").get_by_text("Draft")).to_have_count(0)
    page.get_by_role("link", name="Your caseload").click()
    heading(page, "Your caseload")
    expect(page.get_by_role("heading", name="Quarterly updates to write (0)")).to_be_visible()
    expect(page.get_by_text("You have submitted all your updates")).to_be_visible()
    browse.check()
    sign_out(browse, page)


def open_from_menu(page: Page, label: str) -> None:
    menu = page.get_by_role("navigation", name="Menu")
    link = menu.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        menu.get_by_role("button", name="Menu").click()
    link.click()


def pdf_text_in_reading_order(pdf: Path, tmp_path: Path) -> str:
    """The PDF's text as it was drawn, a table row by row and cell by cell, each page's
    words joined by single spaces and the pages by form feeds."""
    pdf_text(pdf.read_bytes(), tmp_path)  # skips the test when pdftotext is missing
    result = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("\f")
    return "\f".join(" ".join(page.split()) for page in pages)


def test_updates_are_submitted_and_reviewed_and_the_pdf_opens_on_the_headline(
    browse: Browse, tmp_path: Path
) -> None:
    """At the desktop size only: the phone's steps are those of the update and return
    journeys, which run at both."""
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1.0")
    opcc = person_with_device("oona@example.org", "Oona Opcc", Role.OPCC, None)
    history = build_history(worker=specialist)
    earlier = a_quarter_before(specialist)
    # The history's other specialist signs in with an authenticator app too.
    TOTPDevice.objects.create(user=history.workers[1], name="Authenticator app", confirmed=True)
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    updates = list(quarterly_return.updates.order_by("pseudonym"))
    assert len(updates) == len(history.cases)

    # Each specialist writes the updates on their own cases.
    for worker in history.workers:
        theirs = [update for update in updates if update.case and update.case.worker == worker]
        assert theirs
        submit_every_update(browse, worker, theirs)

    # The manager: from the returns to this one, then each update, all of them submitted.
    page = sign_in(browse, manager)
    open_from_menu(page, "Returns")
    heading(page, "Dashboard")
    browse.check()
    page.get_by_role("link", name="All quarterly returns").click()
    heading(page, "Quarterly returns")
    browse.check()
    page.get_by_role("row").filter(has_text="2025-26-Q3").get_by_role("link").click()
    heading(page, "2025-26-Q3")
    total = len(updates)
    expect(
        page.get_by_text(f"{total} of {total} not reviewed yet: 0 not submitted, {total} waiting")
    ).to_be_visible()
    browse.check()
    for index, update in enumerate(updates):
        row = page.get_by_role("row").filter(has_text=update.pseudonym)
        expect(row.get_by_text("Submitted")).to_be_visible()
        row.get_by_role("link", name=update.pseudonym).click()
        heading(page, f"Quarterly update on {update.pseudonym}")
        browse.check()
        expect(page.get_by_label("Objectives")).to_have_value(OBJECTIVES)
        if index == 0:
            page.get_by_label("Next steps").fill(EDITED)
        page.get_by_role("button", name="Save and mark as reviewed").click()
        heading(page, "2025-26-Q3")
        reviewed = f"The update on {update.pseudonym} has been reviewed."
        expect(page.get_by_text(reviewed)).to_be_visible()
        row = page.get_by_role("row").filter(has_text=update.pseudonym)
        expect(row.get_by_text("Reviewed")).to_be_visible()
        browse.check()
    expect(page.get_by_text("Every update is reviewed.")).to_be_visible()

    page.get_by_role("button", name="Write the narrative").click()
    heading(page, "Narrative")
    browse.check()
    page.get_by_label("Progress since last quarter").fill("Referrals doubled on last quarter.")
    page.get_by_label("Challenges").fill("Housing remains the main barrier.")
    page.get_by_label("Service-user feedback").fill("People felt respected.")
    page.get_by_role("button", name="Save the narrative").click()
    heading(page, "2025-26-Q3")
    expect(page.get_by_text("The narrative has been saved.")).to_be_visible()
    browse.check()
    page.get_by_role("button", name="Sign off", exact=True).click()
    heading(page, "Sign off the return?")
    browse.check()
    page.get_by_role("button", name="Sign off and send to the OPCC").click()
    heading(page, "2025-26-Q3")
    expect(page.get_by_text("The return has been signed off.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    browse.check()
    sign_out(browse, page)

    # What the first page must show, from the figures and comparison frozen with the return.
    quarterly_return = QuarterlyReturn.objects.get(pk=quarterly_return.pk)
    assert quarterly_return.is_signed_off and quarterly_return.comparison
    rows = headline(quarterly_return.figures or {}, quarterly_return.comparison)
    by_label = {row.label: row for row in rows}
    new_referrals = by_label["New referrals"]
    assert (new_referrals.this_quarter, new_referrals.last_quarter) == ("9", "4")
    assert new_referrals.year_to_date == "13"
    supported = by_label["People supported since the service began"]
    assert (supported.this_quarter, supported.last_quarter) == ("7", "2")
    paid = by_label["Paid outcomes started (jobs and businesses)"]
    assert (paid.this_quarter, paid.last_quarter, paid.year_to_date) == ("1", "1", "2")

    # The OPCC downloads the PDF from their list of returns.
    page = sign_in(browse, opcc)
    heading(page, "Quarterly returns")
    row = page.get_by_role("row").filter(has_text="2025-26-Q3")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == "e4e-quarterly-return-2025-26-Q3-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text_in_reading_order(saved, tmp_path)
    first_page = text.split("\f")[0]

    # Each heading and row in reading order, however pdftotext wraps the cells.
    assert "The quarter at a glance" in first_page
    columns = "Figure This quarter Last quarter Year to date Target for the year"
    assert columns in first_page
    for figure in rows:
        cells = [
            figure.label,
            figure.this_quarter,
            figure.last_quarter,
            figure.year_to_date,
            figure.target,
        ]
        assert " ".join(cells) in first_page, f"{cells} is not on the first page:\n{first_page}"
    assert text.count(OBJECTIVES) == len(updates) and EDITED in text
    squeezed = "".join(text.split())  # a name broken over two lines is still found
    for referral in history.referrals + earlier:
        assert referral.last_name not in squeezed, referral.last_name
