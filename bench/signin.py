"""Signing an account in over HTTP as its person does (bench/load.py's sign-in phase): the
sign-in form, then the code their authenticator shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pages
import requests


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    #: The authenticator's key, in hex.
    totp_key: str


@dataclass
class SignedIn:
    email: str
    cookies: dict[str, str] | None = None
    #: (request, milliseconds) for each request made.
    times: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""


class SignInFailed(Exception):
    pass


def sign_in(base: str, account: Account) -> SignedIn:
    """Sign one account in as its person does; its session's cookies, or why not."""
    result = SignedIn(email=account.email)
    session = requests.Session()
    session.trust_env = False  # never through a proxy: the server is on this machine

    def timed(label: str, call: Callable[[], requests.Response]) -> requests.Response:
        start = time.perf_counter()
        response = call()
        result.times.append((label, (time.perf_counter() - start) * 1000))
        return response

    def page(url: str, at: str) -> str:
        response = timed(f"GET {at}", lambda: session.get(urljoin(base, url), timeout=120))
        if response.status_code != 200 or urlsplit(response.url).path != at:
            raise SignInFailed(f"GET {url}: {response.status_code} at {response.url}")
        return response.text

    def post(url: str, data: dict[str, str], then: str) -> str:
        response = timed(
            f"POST {url}",
            lambda: session.post(urljoin(base, url), data=data, allow_redirects=False, timeout=120),
        )
        location = response.headers.get("Location", "")
        if response.status_code != 302 or urlsplit(location).path != then:
            raise SignInFailed(f"POST {url}: {response.status_code}, not a redirect to {then}")
        return location

    try:
        form = page(pages.SIGN_IN, pages.SIGN_IN)
        data = pages.sign_in_post(form, email=account.email, password=account.password)
        code_page = page(post(pages.SIGN_IN, data, then=pages.CODE), pages.CODE)
        data = pages.code_post(code_page, hex_key=account.totp_key)
        page(post(pages.CODE, data, then=pages.CASELOAD), pages.CASELOAD)
    except (SignInFailed, requests.RequestException) as error:
        result.error = str(error)
        return result
    result.cookies = {cookie.name: cookie.value or "" for cookie in session.cookies}
    return result
