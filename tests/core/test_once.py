"""Nothing doubled, nothing lost on a create: every create form carries a one-time key, a
form sent twice saves once and answers with what the first post made, and a save that
committed is never turned into an error page by the session after it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.models import Case, Contact
from core import once
from core.models import SubmissionKey, User
from enterprise_fund.models import FundApplication
from referrals.models import Referral
from tests.caseload.test_contacts import contact_data
from tests.enterprise_fund.helpers import make_fund
from tests.enterprise_fund.test_applications import bid_data
from tests.factories import CaseFactory
from tests.referrals.conftest import partner_answers
from tests.referrals.test_screening import staff_answers

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def a_case(worker: User) -> Case:
    return CaseFactory(
        worker=worker,
        referral__received_date=TODAY - datetime.timedelta(days=40),
        referral__decision_date=TODAY - datetime.timedelta(days=30),
        start_date=TODAY - datetime.timedelta(days=29),
    )


@pytest.fixture
def case(specialist: User) -> Case:
    return a_case(specialist)


def opened(client: Client, url: str) -> dict[str, str]:
    """The hidden fields of the form on a freshly opened page."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    names = [name for name in ("once_key", "form_token") if name in form.fields]
    return {name: str(form[name].value()) for name in names}


def banners(client: Client, location: str) -> str:
    return client.get(location).content.decode()


# --- A form sent twice ----------------------------------------------------------------------


def test_a_contact_sent_twice_is_logged_once_and_the_repeat_shows_it_saved(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    key = opened(client, url)
    first = client.post(url, contact_data(**key))
    again = client.post(url, contact_data(**key))
    assert Contact.objects.filter(case=case).count() == 1
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == reverse("caseload:case-detail", args=[case.pk])
    assert once.ALREADY_SAVED in banners(client, again["Location"])


def test_a_staff_referral_sent_twice_is_recorded_once(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    url = reverse("referrals:new")
    key = opened(client, url)
    first = client.post(url, staff_answers(**key))
    again = client.post(url, staff_answers(**key))
    referral = Referral.objects.get()
    assert first["Location"] == again["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert once.ALREADY_SAVED in banners(client, again["Location"])


def test_a_fund_bid_sent_twice_is_drafted_once(
    signed_in: Callable[..., Client], specialist: User, manager: User, case: Case
) -> None:
    make_fund(manager)
    client = signed_in(specialist)
    url = reverse("enterprise_fund:application-new", args=[case.pk])
    key = opened(client, url)
    first = client.post(url, bid_data(**key))
    again = client.post(url, bid_data(**key))
    bid = FundApplication.objects.get()
    detail = reverse("enterprise_fund:application-detail", args=[bid.pk])
    assert first["Location"] == again["Location"] == detail
    assert once.ALREADY_SAVED in banners(client, again["Location"])


def test_a_partner_form_sent_twice_is_one_referral_and_the_partner_sees_its_reference(
    client: Client, manager: User
) -> None:
    from referrals.services import partner_link_create

    _link, token = partner_link_create(
        organisation="Birmingham Probation (test)", source="probation", valid_days=30, by=manager
    )
    url = reverse("referrals:partner-form", args=[token])
    keys = opened(client, url)
    first = client.post(url, partner_answers(keys["form_token"], once_key=keys["once_key"]))
    again = client.post(url, partner_answers(keys["form_token"], once_key=keys["once_key"]))
    assert Referral.objects.count() == 1
    assert first["Location"] == again["Location"] == reverse("referrals:partner-sent", args=[token])
    page = banners(client, again["Location"])
    assert once.ALREADY_SAVED in page and Referral.objects.get().reference in page
    # The link's URL is its secret: the key row keeps neither it nor a path holding it.
    row = SubmissionKey.objects.get()
    assert token not in row.redirect_to and token not in row.path_hash


def test_a_form_shown_again_with_errors_keeps_its_key_and_the_corrected_form_saves(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    key = opened(client, url)
    refused = client.post(url, contact_data(duration_minutes="", **key))
    assert refused.status_code == 200
    assert refused.context["form"]["once_key"].value() == key["once_key"]
    saved = client.post(url, contact_data(**key))
    assert saved.status_code == 302 and Contact.objects.filter(case=case).count() == 1


def test_each_opening_of_a_form_is_a_new_key_so_two_contacts_are_two_rows(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    client.post(url, contact_data(**opened(client, url)))
    client.post(url, contact_data(note="Second visit", **opened(client, url)))
    assert Contact.objects.filter(case=case).count() == 2


def test_a_key_of_another_user_is_not_honoured_and_shows_nothing_of_theirs(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User, case: Case
) -> None:
    mine = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    key = opened(mine, url)
    mine.post(url, contact_data(**key))
    theirs_case = a_case(other_specialist)
    theirs = signed_in(other_specialist)
    their_url = reverse("caseload:contact-new", args=[theirs_case.pk])
    response = theirs.post(their_url, contact_data(**key))
    assert response.status_code == 302 and response["Location"] == their_url
    assert Contact.objects.filter(case=theirs_case).count() == 0
    assert Contact.objects.filter(case=case).count() == 1
    page = theirs.get(their_url).content.decode()
    assert "were not saved" in page and case.referral.last_name not in page


def test_a_create_post_without_a_key_is_still_saved(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    response = signed_in(specialist).post(
        reverse("caseload:contact-new", args=[case.pk]), contact_data()
    )
    assert response.status_code == 302 and Contact.objects.filter(case=case).count() == 1
    assert not SubmissionKey.objects.exists()


def test_keys_older_than_a_week_are_purged_by_the_hourly_clean_up(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    from core.tasks import clear_expired_sessions

    client = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    client.post(url, contact_data(**opened(client, url)))
    client.post(url, contact_data(note="Later", **opened(client, url)))
    first = SubmissionKey.objects.earliest("pk")
    SubmissionKey.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    clear_expired_sessions()
    assert SubmissionKey.objects.count() == 1


# --- The session after the commit -----------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [UpdateError(), OperationalError("server closed the connection unexpectedly")],
    ids=["session-ended-meanwhile", "database-connection-dropped"],
)
def test_a_session_that_cannot_be_saved_after_the_commit_still_answers_with_the_record(
    signed_in: Callable[..., Client],
    specialist: User,
    case: Case,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
) -> None:
    client = signed_in(specialist)
    url = reverse("caseload:contact-new", args=[case.pk])
    key = opened(client, url)

    def fail(self: Any, must_create: bool = False) -> None:
        raise failure

    monkeypatch.setattr(SessionStore, "save", fail)
    response = client.post(url, contact_data(**key))
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:case-detail", args=[case.pk])
    assert Contact.objects.filter(case=case).count() == 1
    monkeypatch.undo()
    # Sent again (the user was unsure): still one contact.
    client.post(url, contact_data(**key))
    assert Contact.objects.filter(case=case).count() == 1


def test_a_session_that_cannot_be_saved_is_still_an_error_when_nothing_was_saved(
    signed_in: Callable[..., Client], specialist: User, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(specialist)

    def fail(self: Any, must_create: bool = False) -> None:
        raise UpdateError

    monkeypatch.setattr(SessionStore, "save", fail)
    assert client.get(reverse("caseload:case-detail", args=[case.pk])).status_code == 400


# --- Every create form carries the key ------------------------------------------------------

#: Every page whose form creates a record. A create page missing from here fails
#: test_every_create_page_is_listed; one listed here without the key fails the walk below.
CREATE_URLS = [
    "caseload:admin-time-new",
    "caseload:appointment-new",
    "caseload:case-assess",
    "caseload:contact-new",
    "caseload:cover-new",
    "caseload:employer-contact-new",
    "caseload:employer-new",
    "caseload:goal-new",
    "caseload:outcome-new",
    "caseload:record-new",
    "caseload:risk-new",
    "data-requests:new",
    "enterprise_fund:application-assess",
    "enterprise_fund:application-new",
    "enterprise_fund:attachment-new",
    "enterprise_fund:business-start",
    "enterprise_fund:fund-create",
    "enterprise_fund:income-new",
    "enterprise_fund:payment-new",
    "legacy_import:upload",
    "referrals:link-new",
    "referrals:new",
    "referrals:partner-form",
    "reporting:fidelity-new",
    "reporting:return-start",
    "users:invite",
]
#: Named like a create page, but not one: what each does instead.
NOT_CREATE_FORMS = {
    "accounts:backup-codes-new": "shows the new codes once; nothing is posted",
}
LOOKS_LIKE_CREATE = re.compile(r"(^|[:-])(new|create|invite|start|upload|assess)$")


def test_every_create_page_is_listed() -> None:
    from tests.access_matrix import named_url_patterns

    looks = {name for name in named_url_patterns() if LOOKS_LIKE_CREATE.search(name)}
    assert looks - set(NOT_CREATE_FORMS) <= set(CREATE_URLS)


def _create_pages() -> list[tuple[str, dict[str, str]]]:
    from caseload.records import RECORD_KINDS

    pages: list[tuple[str, dict[str, str]]] = [
        (name, {}) for name in CREATE_URLS if name != "caseload:record-new"
    ]
    pages += [("caseload:record-new", {"kind": kind}) for kind in RECORD_KINDS]
    return pages


@pytest.mark.parametrize(
    ("name", "extra"), _create_pages(), ids=[f"{n}{e}" for n, e in _create_pages()]
)
def test_every_create_form_carries_a_one_time_key(
    cast: dict[str, User], name: str, extra: dict[str, str]
) -> None:
    from core.access import policy
    from tests.access_matrix import URL_KWARGS
    from tests.conftest import sign_in

    rule = policy()[name]
    client = Client()
    if not rule.public:
        role = next(r for r in ("specialist", "manager", "admin") if r in rule.roles)
        sign_in(client, cast[role])
    make = URL_KWARGS.get(name)
    kwargs = {**(make(cast) if make else {}), **extra}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, f"{name} answered {response.status_code}"
    page = response.content.decode()
    keys = re.findall(r'<input type="hidden" name="once_key" value="([^"]+)"', page)
    assert len(keys) == 1 and once.KEY_PATTERN.fullmatch(keys[0]), name
