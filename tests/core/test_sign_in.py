"""Sign-in with password and TOTP (AU-1, AU-2, AU-7, AU-8, SE-3) and its error pages."""

from __future__ import annotations

import logging
import re
import time
from binascii import unhexlify
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Role, User
from core.two_factor import totp_enrol
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


def post_password(client: Client, email: str, password: str, **extra: str) -> object:
    return client.post(SIGN_IN, {"username": email, "password": password}, **extra)


def code_now(key: bytes) -> str:
    """The app's code for this step; near the step's end, wait for the next so that the
    code is still current when the request reaches the service."""
    left_in_step = 30 - time.time() % 30
    if left_in_step < 2:
        time.sleep(left_in_step + 0.1)
    return f"{totp(key):06d}"


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return code_now(unhexlify(device.key))


@pytest.fixture
def enrolled(manager: User) -> tuple[User, list[str]]:
    codes = totp_enrol(user=manager, hex_key=TOTPDevice._meta.get_field("key").default())
    return manager, codes


def test_right_password_without_an_authenticator_leads_to_setting_one_up(
    client: Client, specialist: User
) -> None:
    response = post_password(client, specialist.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))
    # Nothing else is reachable until the second factor is set up.
    assert client.get(reverse("caseload:home"))["Location"].startswith("/sign-in/set-up")


def test_email_is_matched_without_regard_to_case(client: Client, specialist: User) -> None:
    response = post_password(client, specialist.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_enrolment_with_the_apps_code_signs_in_and_shows_backup_codes_once(
    client: Client, specialist: User
) -> None:
    post_password(client, specialist.email, PASSWORD)
    page = client.get(reverse("accounts:enrol"))
    secret = page.context["secret"]
    hex_key = client.session["e4e_enrol_totp_key"]
    assert client.get(reverse("accounts:enrol-qr"))["Content-Type"] == "image/svg+xml"
    assert secret and "Set up two-factor sign-in" in page.content.decode()

    wrong = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=specialist).exists()

    code = code_now(unhexlify(hex_key))
    response = client.post(reverse("accounts:enrol"), {"code": code})
    assert response["Location"].startswith(reverse("accounts:backup-codes-new"))
    codes_page = client.get(response["Location"])
    assert len(codes_page.context["codes"]) == 10
    # Shown once: a second visit goes to the account page instead.
    assert client.get(reverse("accounts:backup-codes-new")).status_code == 302
    assert client.get(reverse("caseload:home")).status_code == 200


def test_sign_in_with_password_then_code_reaches_the_home_page(
    client: Client, enrolled: tuple[User, list[str]]
) -> None:
    user, _ = enrolled
    response = post_password(client, user.email, PASSWORD)
    assert response["Location"].startswith(reverse("accounts:verify"))
    response = client.post(response["Location"], {"code": current_code(user)})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("caseload:team")).status_code == 200


def test_a_code_cannot_be_used_twice(enrolled: tuple[User, list[str]]) -> None:
    user, _ = enrolled
    first, second = Client(), Client()
    code = current_code(user)
    post_password(first, user.email, PASSWORD)
    post_password(second, user.email, PASSWORD)
    assert first.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    refused = second.post(reverse("accounts:verify"), {"code": code})
    assert refused.status_code == 200
    assert "has been used already" in refused.content.decode()


def test_a_code_from_two_steps_ago_is_refused(
    client: Client, enrolled: tuple[User, list[str]]
) -> None:
    user, _ = enrolled
    device = TOTPDevice.objects.get(user=user)
    old = f"{totp(unhexlify(device.key), t0=60):06d}"  # the code of two steps ago
    post_password(client, user.email, PASSWORD)
    assert client.post(reverse("accounts:verify"), {"code": old}).status_code == 200


def test_a_code_of_the_previous_step_is_accepted_once_when_the_request_was_slow(
    client: Client, enrolled: tuple[User, list[str]]
) -> None:
    user, _ = enrolled
    device = TOTPDevice.objects.get(user=user)
    left_in_step = 30 - time.time() % 30
    if left_in_step < 2:
        time.sleep(left_in_step + 0.1)
    previous = f"{totp(unhexlify(device.key), t0=30):06d}"
    post_password(client, user.email, PASSWORD)
    assert client.post(reverse("accounts:verify"), {"code": previous}).status_code == 302
    again = Client()
    post_password(again, user.email, PASSWORD)
    assert again.post(reverse("accounts:verify"), {"code": previous}).status_code == 200


def test_a_backup_code_works_once(enrolled: tuple[User, list[str]]) -> None:
    user, codes = enrolled
    first = Client()
    post_password(first, user.email, PASSWORD)
    assert first.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 302
    second = Client()
    post_password(second, user.email, PASSWORD)
    assert second.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_wrong_password_gives_a_clear_error_and_no_session(
    client: Client, specialist: User
) -> None:
    response = post_password(client, specialist.email, "not the password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The email address or password is not right" in body
    assert "govuk-error-summary" in body
    assert "_auth_user_id" not in client.session


def test_session_key_changes_at_sign_in_and_after_the_code(
    client: Client, enrolled: tuple[User, list[str]]
) -> None:
    user, _ = enrolled
    client.get(SIGN_IN)
    session = client.session
    session["marker"] = 1
    session.save()
    before = client.session.session_key
    post_password(client, user.email, PASSWORD)
    after_password = client.session.session_key
    client.post(reverse("accounts:verify"), {"code": current_code(user)})
    after_code = client.session.session_key
    assert len({before, after_password, after_code}) == 3


def test_ten_failures_lock_the_account_for_that_address_until_the_cool_off(
    specialist: User,
) -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(10):
        post_password(client, specialist.email, "wrong password here")
    locked = post_password(client, specialist.email, PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in is paused" in locked.content.decode()
    # Another address is not locked out.
    other = post_password(Client(REMOTE_ADDR="10.2.2.2"), specialist.email, PASSWORD)
    assert other.status_code == 302
    # After the cool-off the right password works again.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert post_password(client, specialist.email, PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_escape_the_lockout(
    settings: pytest.FixtureRequest, specialist: User
) -> None:
    client = Client(REMOTE_ADDR="10.1.1.9")
    for n in range(10):
        post_password(client, specialist.email, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    locked = post_password(client, specialist.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert locked.status_code == 429


def test_sign_in_events_are_logged_without_the_email_or_password(
    client: Client, specialist: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        post_password(client, specialist.email, "wrong password x")
        post_password(client, specialist.email, PASSWORD)
    text = "\n".join(str(r.msg) for r in caplog.records)
    assert "auth.sign_in" in text
    assert "'outcome': 'failure'" in text and "'outcome': 'success'" in text
    assert specialist.email not in text and PASSWORD not in text and "wrong password x" not in text


def test_sign_out_ends_the_session_on_the_server(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    client = signed_in(specialist)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:sign-in")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("caseload:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_an_invitation_link_sets_a_password_once_and_then_needs_2fa(
    signed_in: Callable[..., Client], admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(admin_user).post(
            reverse("users:invite"),
            {"full_name": "New Person", "email": "new@example.org", "role": Role.OPCC},
        )
    path = re.search(r"/set-password/\S+/", mail.outbox[-1].body).group(0)
    client = Client()
    assert client.get(path).status_code == 200
    new_password = "a long and unusual passphrase"
    response = client.post(path, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("accounts:sign-in")
    # The link is spent.
    spent = client.get(path)
    assert spent.status_code == 410
    assert "expired or has already been used" in spent.content.decode()
    # The password works, and the second factor is still required.
    response = post_password(client, "new@example.org", new_password)
    assert response["Location"].startswith(reverse("accounts:enrol"))


def test_an_expired_invitation_link_gives_a_clear_page(
    signed_in: Callable[..., Client], admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(admin_user).post(
            reverse("users:invite"),
            {"full_name": "Late Person", "email": "late@example.org", "role": Role.EVALUATOR},
        )
    link = re.search(r"/set-password/\S+/", mail.outbox[-1].body).group(0)
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = Client().get(link)
    assert response.status_code == 410
    assert "expired or has already been used" in response.content.decode()


def test_password_reset_keeps_the_second_factor(
    client: Client, enrolled: tuple[User, list[str]]
) -> None:
    user, _ = enrolled
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    link = re.search(r"/set-password/\S+/", mail.outbox[-1].body).group(0)
    new_password = "another long passphrase"
    client.post(link, {"new_password1": new_password, "new_password2": new_password})
    response = post_password(client, user.email, new_password)
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_password_reset_does_not_reveal_whether_an_account_exists(client: Client) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert mail.outbox == []


def test_weak_passwords_are_refused_with_the_reason(client: Client, specialist: User) -> None:
    client.post(reverse("accounts:password-reset"), {"email": specialist.email})
    link = re.search(r"/set-password/\S+/", mail.outbox[-1].body).group(0)
    short = client.post(link, {"new_password1": "short1", "new_password2": "short1"})
    assert "at least 12 characters" in short.content.decode()
    common = client.post(link, {"new_password1": "password1234", "new_password2": "password1234"})
    assert "too common" in common.content.decode()
    long_password = "x7" * 32
    ok = client.post(link, {"new_password1": long_password, "new_password2": long_password})
    assert ok.status_code == 302


def test_where_two_factor_is_optional_a_page_asks_once_whether_the_user_has_a_device(
    settings: Any,
    specialist: User,
    signed_in: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    # The access middleware and the navigation both ask; one answer does for the request.
    settings.E4E_REQUIRE_2FA = False
    client = signed_in(specialist, second_factor=False)
    with django_assert_max_num_queries(20) as captured:
        page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert page.context["nav_items"]  # the navigation was shown, so it asked too
    device_reads = [q for q in captured.captured_queries if '"otp_' in str(q["sql"])]
    assert len(device_reads) == 2  # one per kind of device (authenticator, backup codes)
