"""The quarterly update on a case in the browser, axe-checked on every page: the specialist
finds it on their home page, is told which part is missing, submits it; a manager opens it
from the return's page, edits it and marks it reviewed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from core.models import Role
from reporting import services
from reporting.models import CaseUpdate
from tests.browser.people import heading, person_with_device, sign_in, sign_out
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    private_media,
    snapshot,
)

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_celery", "private_media")]
__all__ = ["eager_celery", "private_media"]

DESKTOP = (1280, 800)
MOBILE = (375, 667)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280x800", "375x667"])
def test_a_specialist_submits_an_update_and_a_manager_reviews_it(
    browse: Browse, viewport: tuple[int, int]
) -> None:
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    specialist = person_with_device("sam@example.org", "Sam Specialist", Role.SPECIALIST, "1.0")
    history = build_history(worker=specialist)
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    update = quarterly_return.updates.filter(case__worker=specialist).order_by("pk").first()
    assert update is not None and update.case is not None
    person = update.case.referral.full_name

    # The specialist: the home page says how many updates are to write.
    page = sign_in(browse, specialist)
    heading(page, "Your caseload")
    expect(page.get_by_role("heading", name="Quarterly updates to write (3)")).to_be_visible()
    page.get_by_role("link", name="Your quarterly updates").click()
    heading(page, "Your quarterly updates")
    browse.check()
    page.get_by_role("link", name=person).click()
    heading(page, f"Quarterly update on {update.pseudonym}")
    browse.check()
    expect(page.get_by_label("What was achieved")).to_have_value(update.achieved)

    # Submitting with a part empty names the part.
    page.get_by_label("Next steps").fill("")
    page.get_by_role("button", name="Submit to a manager").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Enter the next steps")).to_be_visible()
    browse.check()
    page.get_by_label("Next steps").fill("Apply for three warehouse jobs.")
    page.get_by_role("button", name="Submit to a manager").click()
    heading(page, "Your quarterly updates")
    expect(page.get_by_text("The update has been submitted.")).to_be_visible()
    browse.check()
    sign_out(browse, page)

    # The manager: the return's page lists it as submitted; they edit it and review it.
    page = sign_in(browse, manager)
    page = browse.visit(f"/reporting/returns/{quarterly_return.pk}/")
    row = page.get_by_role("row").filter(has_text=update.pseudonym)
    expect(row.get_by_text("Submitted")).to_be_visible()
    row.get_by_role("link", name=update.pseudonym).click()
    heading(page, f"Quarterly update on {update.pseudonym}")
    browse.check()
    page.get_by_label("Next steps").fill("Apply for three warehouse jobs; practise interviews.")
    page.get_by_role("button", name="Save and mark as reviewed").click()
    heading(page, quarterly_return.quarter_name)
    expect(page.get_by_text(f"The update on {update.pseudonym} has been reviewed.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=update.pseudonym)
    expect(row.get_by_text("Reviewed")).to_be_visible()
    browse.check()

    update = CaseUpdate.objects.get(pk=update.pk)
    assert update.status == CaseUpdate.Status.REVIEWED
    assert update.next_steps == "Apply for three warehouse jobs; practise interviews."
    # The specialist's text is kept in the history.
    assert update.history.filter(
        history_user=specialist, next_steps="Apply for three warehouse jobs."
    ).exists()
    assert len(history.cases) == quarterly_return.updates.count()
