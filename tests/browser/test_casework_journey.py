"""A specialist's casework on a phone, axe-checked on every page: the initial assessment,
contacts, a job development contact with an employer, a job start and a sustainment check."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from caseload.models import Contact, Outcome, Task
from core.models import Role
from tests.browser.people import person_with_device, sign_in
from tests.factories import CaseFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

TODAY = datetime.date.today()


def fill_date(page: Page, group: str, day: datetime.date) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


@pytest.mark.parametrize("viewport", [(375, 667)])
def test_a_specialist_works_a_case_from_a_phone(browse: Browse) -> None:
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1")
    case = CaseFactory(
        worker=specialist,
        start_date=None,
        referral__first_name="Jordan",
        referral__last_name="Sampleton",
        referral__received_date=TODAY - datetime.timedelta(days=20),
        referral__decision_date=TODAY - datetime.timedelta(days=14),
    )
    page = sign_in(browse, specialist)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    page.get_by_role("link", name="Jordan Sampleton").click()
    browse.check()

    # The initial assessment starts support.
    page.get_by_role("button", name="Record the initial assessment").click()
    browse.check()
    fill_date(page, "Date of the assessment", TODAY - datetime.timedelta(days=10))
    page.get_by_label("Ready to start now").check()
    page.get_by_label("Paid work").check()
    page.get_by_label("Transport").check()
    page.get_by_role("group", name="Have they had similar support before?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Active support has started")).to_be_visible()
    browse.check()

    # A contact in the office.
    page.get_by_role("button", name="Log a contact").click()
    browse.check()
    page.get_by_label("Minutes").fill("45")
    page.get_by_role("group", name="Where").get_by_label("Office").check()
    page.get_by_label("Note").fill("CV and job search")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()
    browse.check()
    assert Contact.objects.filter(case=case, party="client").count() == 1

    # A job development contact with an employer.
    browse.visit("/cases/employers/")
    page.get_by_role("button", name="Add an employer").click()
    browse.check()
    page.get_by_label("Name", exact=True).fill("Acme Builders")
    page.get_by_role("button", name="Save employer").click()
    browse.check()
    page.get_by_role("link", name="Log a job development contact").click()
    browse.check()
    page.get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Contact with Acme Builders logged.")).to_be_visible()
    browse.check()

    # A job start puts in-work support and sustainment checks on the task list.
    browse.visit(f"/cases/{case.pk}/")
    page.get_by_role("button", name="Record an outcome").click()
    browse.check()
    page.get_by_label("Paid employment").check()
    fill_date(page, "Start date", TODAY - datetime.timedelta(days=4))
    page.get_by_label("Employer, business or provider").fill("Acme Builders")
    page.get_by_label("Hours a week").fill("37.5")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Paid employment recorded.")).to_be_visible()
    browse.check()
    assert Outcome.objects.filter(case=case).count() == 1

    # The first in-work support is overdue: it is done with the evidence seen.
    home = browse.visit("/cases/")
    expect(home.get_by_text("Face-to-face employer contacts this week: 1")).to_be_visible()
    home.get_by_role("link", name="In-work support, day 3").click()
    browse.check()
    fill_date(page, "Date done", TODAY)
    page.get_by_label("Evidence seen").fill("Spoke to the site manager; first payslip due Friday")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("In-work support, day 3 done.")).to_be_visible()
    browse.check()
    assert Task.objects.filter(case=case, done_date=TODAY).count() == 1
