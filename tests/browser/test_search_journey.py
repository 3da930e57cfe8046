"""A specialist finds a client from the header's search box, on a phone and a desktop
screen, axe-checked on every page: the results (their own client only, with why it
matched), a search with no one found, and an empty search with its error summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from core.models import Role
from tests.browser.people import heading, person_with_device, sign_in
from tests.factories import CaseFactory, UserFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

HEADER_LABEL = "Search for a person by name, reference, date of birth, phone number or postcode"


@pytest.mark.parametrize("viewport", [(1280, 800), (375, 667)], ids=["1280x800", "375x667"])
def test_a_specialist_finds_their_client_from_the_header(
    browse: Browse, viewport: tuple[int, int]
) -> None:
    specialist = person_with_device("sam@example.org", "Sam Owner", Role.SPECIALIST, "1.0")
    mine = CaseFactory(
        worker=specialist, referral__first_name="Zoë", referral__last_name="O\u2019Brien"
    )
    theirs = CaseFactory(
        worker=UserFactory(role=Role.SPECIALIST),
        referral__first_name="Zoe",
        referral__last_name="Obrien",
    )
    page = sign_in(browse, specialist)

    search = page.get_by_role("search", name="People")
    search.get_by_label(HEADER_LABEL).fill("zoe obrien")
    search.get_by_role("button", name="Search").click()
    page.wait_for_load_state("load")
    browse.check()
    heading(page, "Search for a person")
    expect(page.get_by_label("Search for a person", exact=True)).to_have_value("zoe obrien")
    expect(page.get_by_text("Searched names")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Zoë O\u2019Brien")
    expect(rows.first).to_contain_text("Name")
    link = rows.first.get_by_role("link", name="Zoë O\u2019Brien")
    expect(link).to_have_attribute("href", f"/cases/{mine.pk}/")
    expect(page.get_by_text(theirs.referral.reference)).to_have_count(0)

    page.get_by_label("Search for a person", exact=True).fill("Nobody Here")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state("load")
    browse.check()
    expect(page.get_by_role("heading", name="No one found")).to_be_visible()

    page.get_by_label("Search for a person", exact=True).fill("")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state("load")
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter a name, reference, date of birth, phone number or postcode"
    )
