"""What the load test's specialists read from a page and send back, as a browser would.

Kept apart from the locustfile, which imports locust (and so patches the standard library
for gevent the moment it is imported), so that the test suite can check these against the
real pages with Django's test client (tests/test_load_test_pages.py): the form a page
renders, with its CSRF token and one-time key, is what the next post sends.
"""

from __future__ import annotations

import random
import re
import time
from binascii import unhexlify
from html.parser import HTMLParser

from django_otp.oath import TOTP

#: The sign-in, code and contact pages' own paths (core/urls.py, caseload/urls.py).
SIGN_IN = "/sign-in/"
CODE = "/sign-in/code/"
CASELOAD = "/cases/"
CASE_LINK = re.compile(r'href="(/cases/(\d+)/)"')
#: The names the load test's figures group requests under: one per page, whatever the case.
CASE_NAME = "/cases/[id]/"
CONTACT_NAME = "/cases/[id]/contacts/new/"
#: The banner a logged contact's redirect shows (caseload/views/contacts.py).
CONTACT_LOGGED = "Contact logged."
#: Contacts that need nothing else on the case: no employer, no community visit (those
#: need a risk assessment first).
MODES = ("face_to_face", "phone", "video", "message")
PLACES = ("office", "online")


def contact_path(case_path: str) -> str:
    return f"{case_path}contacts/new/"


class _Forms(HTMLParser):
    """The fields of each <form method="post"> on a page, with the values a browser would
    send untouched: text and hidden inputs, checked radios and boxes, textareas, the
    selected option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str | None, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action"), self._fields))
        elif self._fields is None or not name:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._fields[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file"):
                self._fields[name] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""
        elif tag == "select":
            self._select = name
            self._fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self._fields[self._select] = a.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, str]:
    """The fields of the page's own form: the first post form that posts back to the page
    (no action), not the header's sign-out. Empty when the page has none."""
    parser = _Forms()
    parser.feed(html)
    parser.close()
    for action, fields in parser.forms:
        if not action:
            return dict(fields)
    return {}


def case_paths(html: str) -> list[str]:
    """The case pages a caseload page links to, each once, in page order."""
    return list(dict.fromkeys(match.group(1) for match in CASE_LINK.finditer(html)))


def open_case_paths(html: str) -> list[str]:
    """The case pages of the caseload's open cases table (the page also links closed cases
    through their follow-up tasks, which take no contact)."""
    start = html.find("Open cases")
    if start == -1:
        return []
    end = html.find("</table>", start)
    return case_paths(html[start : end if end != -1 else len(html)])


def sign_in_post(page: str, *, email: str, password: str) -> dict[str, str]:
    return {**form_fields(page), "username": email, "password": password}


def totp_code(hex_key: str, *, now: float | None = None) -> str:
    """The code an authenticator app with this key shows now (django-otp's defaults: 30
    seconds, 6 digits)."""
    totp = TOTP(unhexlify(hex_key), step=30, t0=0, digits=6)
    totp.time = time.time() if now is None else now
    return f"{totp.token():06d}"


def code_post(page: str, *, hex_key: str) -> dict[str, str]:
    return {**form_fields(page), "code": totp_code(hex_key)}


def contact_post(page: str, *, rng: random.Random) -> dict[str, str]:
    """The contact form as the page gave it (CSRF token, one-time key, today's date and the
    time now), with a contact with the client filled in."""
    return {
        **form_fields(page),
        "mode": rng.choice(MODES),
        "party": "client",
        "place": rng.choice(PLACES),
        "duration_minutes": str(rng.choice((15, 30, 45, 60))),
        "note": "Load test: reviewed the job search.",
    }
