"""The evaluator in the browser, axe-checked on every page: from the home page to the
records, one record, the figures and the description of the data and the API."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from caseload.models import Contact
from core.models import Role
from tests.browser.people import heading, person_with_device, sign_in
from tests.factories import CaseFactory, UserFactory, evaluator_pseudonym

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [(1280, 800), (375, 667)], ids=["1280x800", "375x667"])
def test_an_evaluator_browses_pseudonymised_records(
    browse: Browse, viewport: tuple[int, int]
) -> None:
    evaluator = person_with_device("eve@example.org", "Eve Evaluator", Role.EVALUATOR, None)
    specialist = UserFactory(role=Role.SPECIALIST)
    today = datetime.date.today()
    case = CaseFactory(
        worker=specialist,
        referral__first_name="Jordan",
        referral__last_name="Sampleton",
        start_date=today - datetime.timedelta(days=1),
    )
    Contact.objects.create(
        case=case,
        worker=specialist,
        date=today,
        mode=Contact.Mode.FACE_TO_FACE,
        party=Contact.Party.CLIENT,
        duration_minutes=45,
    )
    pseudonym = evaluator_pseudonym(case)

    page = sign_in(browse, evaluator)
    heading(page, "Evaluation data")
    page.get_by_role("link", name="View open records").click()
    page.wait_for_load_state("load")
    browse.check()
    heading(page, "Records")
    expect(page.get_by_text("Sampleton")).to_have_count(0)
    page.get_by_role("link", name=pseudonym).click()
    page.wait_for_load_state("load")
    browse.check()
    heading(page, pseudonym)
    expect(page.get_by_text("Jordan")).to_have_count(0)

    for path, title in (
        ("/reporting/evaluation/figures/", "Figures"),
        ("/reporting/evaluation/data/", "Data and API"),
    ):
        page = browse.visit(path)
        heading(page, title)
