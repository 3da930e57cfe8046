"""Every page of the service, for every role that may open it, on a phone and a desktop
screen: axe clean (WCAG 2.2 A/AA), no script or CSP errors, no sideways scrolling on the
phone. The journeys test
what people do; this makes sure no page is left out of the checks.

The pages and their sample objects come from the access registry and tests/access_matrix.py,
so a new page is checked the day its rule and sample are added. Files (PDF, CSV, zip) and
the JSON API, and the fragments htmx swaps into a page, are fetched but not rendered on
their own; the sign-in pages have their own journeys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.access import policy
from core.models import Role, User
from tests.access_matrix import GET_STATUS, SIGNED_IN_GET_STATUS, URL_KWARGS
from tests.conftest import sign_in

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

PHONE, DESKTOP = (375, 667), (1280, 800)


def pages_for(role: str) -> list[str]:
    """The URL names this role may GET and that answer 200, sign-in pages aside."""
    return sorted(
        name
        for name, rule in policy().items()
        if not (rule.public or rule.before_second_factor)
        and role in rule.roles
        and SIGNED_IN_GET_STATUS.get(name, GET_STATUS.get(name, 200)) == 200
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375x667", "1280x800"])
@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_page_a_role_may_open_passes_the_checks(
    browse: Browse, cast: dict[str, User], role: str, viewport: tuple[int, int]
) -> None:
    session = sign_in(Client(), cast[role]).cookies[settings.SESSION_COOKIE_NAME].value
    browse.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": browse.base_url}]
    )
    checked: list[str] = []
    failures: list[str] = []
    samples: dict[object, dict[str, object]] = {}  # one sample per kind, shared by its pages
    for name in pages_for(role):
        make = URL_KWARGS.get(name)
        if make is not None and make not in samples:
            samples[make] = make(cast)
        kwargs = samples[make] if make is not None else {}
        path = reverse(name, kwargs=kwargs)
        # The samples pile up in one database here, so a page may now send the user on
        # (the fund set-up page, once a fund exists): check the page they land on.
        answer = browse.context.request.get(browse.url(path))
        assert answer.status == 200, f"{name}: GET {path} answered {answer.status}"
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        if "<html" not in answer.text()[:500]:
            continue  # a fragment for htmx: checked inside the page that loads it
        try:
            browse.visit(path)
        except pytest.fail.Exception as failure:
            failures.append(f"{name} ({path}):\n{failure}")
            browse.problems.clear()
            browse.checked_loads = len(browse.loaded)
        checked.append(name)
    assert checked, f"No page was checked for {role}"
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
