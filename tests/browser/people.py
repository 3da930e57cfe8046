"""People for the browser journeys: users with an authenticator app, and signing them in
and out the way a person does."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from core.models import Role, User
from tests.factories import PASSWORD, UserFactory

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

CODE_PAGE_HEADING = "Enter the code from your authenticator app"


def person_with_device(email: str, name: str, role: Role, fte: str | None) -> User:
    """A user with a confirmed authenticator app."""
    user = UserFactory(email=email, full_name=name, role=role, fte=Decimal(fte) if fte else None)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def code_for(user: User) -> str:
    """The code the user's app shows now, one the service will accept.

    A code is accepted once, in its own 30-second step, and never again after a later one
    was used: so when this person signed in earlier in the same step, or the step is about
    to end, wait for the next step.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    while True:
        otp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        otp.drift = device.drift
        left_in_step = device.step - (time.time() - device.t0) % device.step
        if otp.t() > device.last_t and left_in_step >= 3:
            return f"{otp.token():0{device.digits}d}"
        time.sleep(min(left_in_step, device.step) + 0.1)


def sign_in(browse: Browse, user: User) -> Page:
    page = browse.visit("/sign-in/")
    page.get_by_label("Email address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CODE_PAGE_HEADING)
    browse.check()
    page.get_by_label("Code", exact=True).fill(code_for(user))
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(CODE_PAGE_HEADING)
    browse.check()
    return page


def sign_out(browse: Browse, page: Page) -> None:
    header = page.get_by_role("banner")
    button = header.get_by_role("button", name="Sign out", exact=True)
    if not button.is_visible():
        header.get_by_role("button", name="Menu").click()
    button.click()
    page.wait_for_load_state("load")
    browse.check()


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


@dataclass
class Thumb:
    """Taps a person makes on the phone, counted as they are made; a tap that loads a page
    waits for it and checks it (browse.check())."""

    browse: Browse
    taps: int = 0
    log: list[str] = field(default_factory=list)

    def tap(self, target: Locator, what: str, *, loads_page: bool = False) -> None:
        self.taps += 1
        self.log.append(what)
        if loads_page:
            with self.browse.page.expect_navigation(wait_until="load"):
                target.click()
            self.browse.check()
        else:
            target.click()

    def type_into(self, target: Locator, text: str, what: str) -> None:
        """One tap to focus the field; the typing itself is not a tap."""
        self.tap(target, what)
        target.fill(text)
