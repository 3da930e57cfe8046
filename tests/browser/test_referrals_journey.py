"""Referral journeys in the browser, axe-checked on every page: a partner refers someone
through a link; a manager screens and accepts the referral to a specialist, who then sees
the new case; and a rejection without a rationale is refused."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from core.models import Role
from referrals.services import partner_link_create
from tests.browser.people import person_with_device, sign_in, sign_out
from tests.factories import CaseFactory, ReferralFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

MOBILE = (375, 667)
BORN = datetime.date(2000, 6, 5)


def fill_partner_form(page: Page) -> None:
    page.get_by_label("Your name", exact=True).fill("Pat Partner")
    page.get_by_label("Your email address", exact=True).fill("pat@partner.example.org")
    page.get_by_label("First name", exact=True).fill("Jordan")
    page.get_by_label("Last name", exact=True).fill("Sampleton")
    born = page.get_by_role("group", name="Date of birth")
    born.get_by_label("Day").fill(str(BORN.day))
    born.get_by_label("Month").fill(str(BORN.month))
    born.get_by_label("Year").fill(str(BORN.year))
    page.get_by_role("group", name="Gender").get_by_label("Male", exact=True).check()
    page.get_by_role("group", name="Ethnic group").get_by_label("Not stated").check()
    page.get_by_label("Their phone number").fill("07700 900 321")
    page.get_by_label("Their postcode").fill("b12 9lp")
    page.get_by_role("group", name="Which describes them?").get_by_label("At risk").check()
    page.get_by_label("Why are you referring them?").fill(
        "Left school last year and wants steady work away from the area's trouble."
    )
    page.get_by_label("Paid work").check()
    consent = page.get_by_role("group", name="Has the person agreed to be referred?")
    consent.get_by_label("Yes").check()


def test_a_partner_referral_is_screened_accepted_and_reaches_the_specialist(
    browse: Browse,
) -> None:
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    _link, token = partner_link_create(
        organisation="Birmingham Probation (test)", source="probation", valid_days=30, by=manager
    )
    # Referred once before, and withdrawn: the screener should be warned.
    earlier = ReferralFactory(
        first_name="Jordan",
        last_name="Sampleton",
        date_of_birth=BORN,
        status="withdrawn",
        decision_date=datetime.date.today(),
    )

    # The partner: no account, just the link.
    page = browse.visit(f"/referrals/refer/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer someone to E4E")
    fill_partner_form(page)
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    browse.check()
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    assert reference.startswith("E4E-")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()

    # The manager screens it.
    page = sign_in(browse, manager)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals")
    browse.check()
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Sampleton")
    browse.check()
    expect(page.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    expect(page.get_by_role("link", name=earlier.reference)).to_be_visible()
    checks = page.get_by_role("table", name="Eligibility checks")
    expect(checks).to_contain_text("Aged 18 to 35")
    expect(checks).to_contain_text("B12 is a Birmingham postcode district.")
    expect(checks).to_contain_text("The referrer recorded that the person agreed")
    expect(checks.get_by_text("Not met")).to_have_count(0)

    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept Jordan Sampleton")
    browse.check()
    page.get_by_label("Sam Specialist").check()
    page.get_by_role("button", name="Accept and open the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Sampleton")
    expect(page.get_by_text(f"Referral {reference} accepted.")).to_be_visible()
    browse.check()
    sign_out(browse, page)
    browse.check()

    # The specialist sees the new case on their home page.
    page = sign_in(browse, specialist)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    expect(page.get_by_text("Jordan Sampleton")).to_be_visible()


def test_a_rejection_without_a_rationale_is_refused_with_an_error_summary(
    browse: Browse,
) -> None:
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    referral = ReferralFactory(first_name="Casey", last_name="Exampleford")
    page = sign_in(browse, manager)
    page = browse.visit(f"/referrals/{referral.pk}/reject/")
    page.get_by_role("group", name="Why is the referral not being accepted?").get_by_label(
        "Not ready to engage"
    ).check()
    page.get_by_role("button", name="Reject referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(
        summary.get_by_role("link", name="Write down why the referral is rejected")
    ).to_be_visible()
    title = f"Error: Reject referral {referral.reference} \N{EN DASH} E4E Case"
    expect(page).to_have_title(title)
    browse.check()
    referral.refresh_from_db()
    assert referral.status == "received"


@pytest.mark.parametrize("viewport", [MOBILE], ids=["375x667"])
def test_the_referral_pages_reflow_on_a_phone(browse: Browse, viewport: tuple[int, int]) -> None:
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    _link, token = partner_link_create(
        organisation="A partner", source="police", valid_days=7, by=manager
    )
    page = browse.visit(f"/referrals/refer/{token}/")
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    browse.check()
    CaseFactory(worker=manager, referral__first_name="Remy", referral__last_name="Phoneworth")
    waiting = ReferralFactory(postcode="WS2 9ZZ")
    sign_in(browse, manager)
    for path in [
        "/referrals/",
        f"/referrals/{waiting.pk}/",
        f"/cases/accept-referral/{waiting.pk}/",
        "/cases/waiting-list/",
        "/referrals/partner-links/",
        "/referrals/new/",
    ]:
        browse.visit(path)
