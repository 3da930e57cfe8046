"""A manager grants an erasure request in the browser, axe-checked on every page: the
referral page, the confirmation (first with its errors), and the referral afterwards."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from core.models import Role
from referrals.models import Referral
from tests.browser.people import heading, person_with_device, sign_in
from tests.factories import CaseFactory, UserFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [(1280, 800), (375, 667)], ids=["1280x800", "375x667"])
def test_a_manager_removes_a_persons_details_on_request(
    browse: Browse, viewport: tuple[int, int]
) -> None:
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    case = CaseFactory(
        worker=UserFactory(role=Role.SPECIALIST),
        referral__first_name="Jordan",
        referral__last_name="Sampleton",
        referral__received_date=date(2024, 1, 2),
        referral__decision_date=date(2024, 1, 3),
        accepted_date=date(2024, 1, 3),
        start_date=date(2024, 1, 4),
        closed_date=date(2025, 1, 4),
        closure_reason="client_request",
    )
    page = sign_in(browse, manager)
    page = browse.visit(f"/referrals/{case.referral_id}/")
    heading(page, "Jordan Sampleton")
    page.get_by_role("link", name="Remove this person's details").click()
    page.wait_for_load_state("load")
    browse.check()
    heading(page, "Remove the person's details")

    page.get_by_role("button", name="Remove the details").click()
    page.wait_for_load_state("load")
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reference of the erasure request")
    assert Referral.objects.get(pk=case.referral_id).first_name == "Jordan"

    page.get_by_label("Reference of the erasure request").fill("DPR-2026-014")
    page.get_by_label("I understand that the person's details cannot be brought back").check()
    page.get_by_role("button", name="Remove the details").click()
    page.wait_for_load_state("load")
    browse.check()
    heading(page, "Anonymised")
    expect(page.get_by_text("This person's details were removed on")).to_be_visible()
