"""First sign-in as each role: password, authenticator set-up, backup codes, home, sign out."""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

import pytest
from django_otp.oath import totp
from playwright.sync_api import Locator, LocatorAssertions, Page, expect

from core.models import Role, User
from tests.factories import PASSWORD, UserFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

SIGN_IN = "/sign-in/"
DESKTOP = (1280, 800)
MOBILE = (375, 667)

HOME_HEADINGS = {
    Role.SPECIALIST: "Your caseload",
    Role.MANAGER: "Your team",
    Role.OPCC: "Quarterly returns",
    Role.EVALUATOR: "Evaluation data",
    Role.ADMIN: "Users",
}


def current_code(secret: str) -> str:
    """The code an authenticator app would show now for the base32 `secret`.

    The site accepts a code only in its own 30-second step, so near the end of a step
    wait for the next one rather than race the clock.
    """
    left_in_step = 30 - time.time() % 30
    if left_in_step < 3:
        time.sleep(left_in_step + 0.1)
    secret = "".join(secret.split()).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def heading(page: Page) -> LocatorAssertions:
    return expect(page.get_by_role("heading", level=1))


def sign_out(page: Page) -> None:
    """Press "Sign out" in the header, opening the header's menu first if it is collapsed."""
    header = page.get_by_role("banner")
    button = header.get_by_role("button", name="Sign out", exact=True)
    if not button.is_visible():
        menu = header.get_by_role("button", name="Menu")
        if menu.count() == 1 and menu.is_visible():
            menu.click()
    button.click()


def make_user(role: Role) -> User:
    return UserFactory(email=f"{role.value}@example.org", role=role, full_name=f"Test {role.label}")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280x800", "375x667"])
@pytest.mark.parametrize("role", list(HOME_HEADINGS), ids=[role.value for role in HOME_HEADINGS])
def test_first_sign_in_sets_up_two_factor_and_reaches_home(
    browse: Browse, role: Role, viewport: tuple[int, int]
) -> None:
    user = make_user(role)

    page = browse.visit(SIGN_IN)
    heading(page).to_have_text("Sign in to E4E Case")
    page.get_by_label("Email address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    # No authenticator yet, and two-factor sign-in is required: set one up.
    heading(page).to_have_text("Set up two-factor sign-in")
    browse.check()
    secret = page.locator("code.app-secret-key").inner_text()
    page.get_by_label("Code", exact=True).fill(current_code(secret))
    page.get_by_role("button", name="Continue", exact=True).click()

    heading(page).to_have_text("Your backup codes")
    browse.check()
    page.get_by_role("button", name="I have saved my codes", exact=True).click()

    heading(page).to_have_text(HOME_HEADINGS[role])
    browse.check()

    sign_out(page)
    heading(page).to_have_text("Sign in to E4E Case")
    expect(page.get_by_text("You have signed out")).to_be_visible()
    browse.check()


def test_sign_in_with_the_keyboard_only(browse: Browse) -> None:
    user = make_user(Role.ADMIN)
    page = browse.visit(SIGN_IN)

    def focused_is(locator: Locator) -> bool:
        return locator.evaluate("element => element === document.activeElement")

    # The skip link is the first thing Tab reaches.
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => ({tag: document.activeElement.tagName, text: document.activeElement.textContent,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert skip["tag"] == "A", f"first Tab stop is not a link: {skip}"
    assert skip["text"].strip().startswith("Skip to"), f"first Tab stop is not skip link: {skip}"
    assert (skip["href"] or "").startswith("#"), f"the skip link goes nowhere on the page: {skip}"
    page.keyboard.press("Enter")

    # From the main content, the next Tab stop is the email field.
    page.keyboard.press("Tab")
    email = page.get_by_label("Email address", exact=True)
    assert focused_is(email), "after the skip link, Tab does not reach the email field"
    page.keyboard.type(user.email)

    page.keyboard.press("Tab")
    assert focused_is(page.get_by_label("Password", exact=True)), "Tab from email skips password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    heading(page).to_have_text("Set up two-factor sign-in")
    browse.check()
