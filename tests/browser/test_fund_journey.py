"""The enterprise fund in the browser, axe-checked on every page: a specialist drafts a bid
with the client and submits it; a manager who did not submit it assesses it and gives the
first approval; a second manager approves the amount above the £1,000 threshold and records
a payment; the specialist records the business start, and half a year later the 26-week
trading check is on their home page."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from playwright.sync_api import Page, expect

from core.models import Role
from enterprise_fund.models import FundApplication, LedgerEntry
from tests.browser.people import heading, person_with_device, sign_in, sign_out
from tests.enterprise_fund.helpers import PDF, make_fund
from tests.factories import CaseFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

DESKTOP = (1280, 800)
MOBILE = (375, 667)


@pytest.fixture(autouse=True)
def _private_media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def click(browse: Browse, page: Page, name: str, *, role: str = "button") -> None:
    page.get_by_role(role, name=name, exact=True).click()  # type: ignore[arg-type]
    page.wait_for_load_state("load")
    browse.check()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280x800", "375x667"])
def test_a_bid_is_drafted_submitted_approved_twice_paid_and_followed_up(
    browse: Browse, viewport: tuple[int, int]
) -> None:
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    first = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    second = person_with_device("sa@example.org", "Sasha Second", Role.MANAGER, "0.2")
    make_fund(first, total_pence=6_000_000)
    today = datetime.date.today()
    case = CaseFactory(
        worker=specialist,
        referral__first_name="Jordan",
        referral__last_name="Sampleton",
        referral__received_date=today - datetime.timedelta(days=40),
        referral__decision_date=today - datetime.timedelta(days=30),
        start_date=today - datetime.timedelta(days=29),
    )

    # The specialist drafts the bid with the client, from the case.
    page = sign_in(browse, specialist)
    page = browse.visit(f"/cases/{case.pk}/")
    click(browse, page, "Start a fund bid", role="link")
    heading(page, "Start a fund bid")
    expect(page.get_by_text("Readiness and commitment")).to_be_visible()
    page.get_by_label("The business idea").fill("A mobile barber's visiting people at home.")
    page.get_by_label("Amount asked for").fill("1500")
    page.get_by_label("Item 1", exact=True).fill("Clippers, chair and kit")
    page.get_by_label("Cost of item 1", exact=True).fill("1200")
    page.get_by_label("Supplier of item 1", exact=True).fill("Barber Supplies Ltd")
    page.get_by_label("Item 2", exact=True).fill("Insurance")
    page.get_by_label("Cost of item 2", exact=True).fill("300")
    page.get_by_label("Business plan summary").fill("Ten cuts a week at £15, rising to 30.")
    page.get_by_label("Other support involved").fill("Prince's Trust enterprise course")
    click(browse, page, "Save draft")
    application = FundApplication.objects.get()
    heading(page, f"Fund application {application.reference}")
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    click(browse, page, "Attach a quote or plan")
    heading(page, "Attach a file")
    page.get_by_label("Quote", exact=True).check()
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "barber-quote.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click(browse, page, "Attach file")
    expect(page.get_by_role("link", name="barber-quote.pdf")).to_be_visible()

    click(browse, page, "Check and submit")
    heading(page, "Check and submit the fund bid")
    page.get_by_label("The applicant has seen this application").check()
    click(browse, page, "Submit the bid")
    expect(page.get_by_text("Application submitted.")).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    sign_out(browse, page)

    # The first manager (not its submitter) assesses it and gives the first approval.
    page = sign_in(browse, first)
    page = browse.visit("/fund/applications/")
    heading(page, "Enterprise fund applications")
    click(browse, page, application.reference, role="link")
    click(browse, page, "Assess")
    heading(page, "Assess the fund bid")
    for criterion, score in [
        ("Viability", "4"),
        ("Readiness and commitment", "5"),
        ("Value for money", "4"),
        ("Risk: legality and safeguarding", "4"),
        ("Use of other support", "3"),
    ]:
        page.get_by_role("group", name=f"{criterion}: score").get_by_label(
            score, exact=True
        ).check()
    page.get_by_label("Viability: notes").fill("Regular customers already asking.")
    click(browse, page, "Save assessment")
    expect(page.get_by_text("Assessment saved.")).to_be_visible()
    click(browse, page, "Decide")
    heading(page, "Decide the fund bid")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Amount to award").fill("1500")
    click(browse, page, "Record the decision")
    expect(page.get_by_text("need a second manager's approval")).to_be_visible()
    assert not LedgerEntry.objects.filter(kind="award").exists()
    sign_out(browse, page)

    # The second manager approves the amount above the threshold, and records a payment.
    page = sign_in(browse, second)
    page = browse.visit(f"/fund/applications/{application.pk}/")
    click(browse, page, "Decide")
    heading(page, "Second approval")
    expect(page.get_by_label("Amount to award")).to_have_value("1500")
    click(browse, page, "Record the decision")
    expect(page.get_by_text("Approved: £1,500 awarded.")).to_be_visible()
    click(browse, page, "Record a payment")
    heading(page, "Record a payment")
    page.get_by_label("Amount paid").fill("1200")
    page.get_by_label("A supplier", exact=True).check()
    page.get_by_label("Name of the supplier or person paid").fill("Barber Supplies Ltd")
    page.get_by_label("Invoice", exact=True).check()
    page.get_by_label("Receipt or invoice", exact=True).set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click(browse, page, "Record the payment")
    expect(page.get_by_text("Payment of £1,200 to Barber Supplies Ltd recorded.")).to_be_visible()
    page = browse.visit("/fund/")
    expect(page.get_by_text("£58,500", exact=True)).to_be_visible()
    sign_out(browse, page)

    # The specialist records the business start: trading checks at 26 and 52 weeks.
    page = sign_in(browse, specialist)
    page = browse.visit(f"/fund/applications/{application.pk}/")
    click(browse, page, "Record the business start")
    group = page.get_by_role("group", name="Date the business started trading")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Name of the business").fill("Fresh Cuts")
    page.get_by_label("Hours a week").fill("25")
    click(browse, page, "Record the business start")
    expect(page.get_by_text("Business start recorded")).to_be_visible()
    sign_out(browse, page)

    application.refresh_from_db()
    assert application.status == FundApplication.Status.APPROVED
    assert (application.first_approved_by, application.decided_by) == (first, second)
    assert application.amount_paid_pence == 120_000

    # Half a year on, the 26-week trading check is on the specialist's home page.
    with time_machine.travel(today + datetime.timedelta(weeks=26, hours=10), tick=True):
        page = sign_in(browse, specialist)
        heading(page, "Your caseload")
        tasks = page.locator(".app-task-list")
        expect(tasks.get_by_role("link", name="26-week trading check")).to_be_visible()
        expect(tasks.get_by_text("52-week trading check")).to_have_count(0)
