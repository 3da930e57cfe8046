"""The public partner form: no account, a reference number back, and nothing else to see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import User
from referrals.models import PartnerLink, PartnerSubmission, Referral
from referrals.services import partner_link_revoke
from tests.factories import ReferralFactory
from tests.referrals.conftest import form_token, partner_answers

pytestmark = pytest.mark.django_db


def test_a_partner_sends_a_referral_and_gets_a_reference_number(
    client: Client, submit: Callable[..., Any], link_and_token: tuple[PartnerLink, str]
) -> None:
    response = submit(client)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:partner-sent", args=[link_and_token[1]])
    page = client.get(response["Location"]).content.decode()
    assert referral.reference in page
    assert "What happens next" in page
    assert referral.first_name not in page
    link = link_and_token[0]
    assert (referral.source, referral.referrer_organisation) == ("probation", link.organisation)
    assert referral.received_date == timezone.localdate()
    assert (referral.phone, referral.postcode) == ("07700900123", "B12 9LP")
    assert referral.status == Referral.Status.RECEIVED and referral.consent is True
    assert referral.partner_submission.link == link


def test_the_form_page_shows_nothing_that_was_sent_before(client: Client, partner_url: str) -> None:
    earlier = ReferralFactory(first_name="Earlier", last_name="Person")
    page = client.get(partner_url).content.decode()
    assert earlier.reference not in page and "Earlier" not in page
    assert "Sign out" not in page


def test_posting_status_or_decided_by_changes_nothing(
    client: Client, submit: Callable[..., Any], manager: User
) -> None:
    submit(
        client,
        status="accepted",
        decided_by=str(manager.pk),
        decision_date="2026-01-01",
        source="police",
        reference="E4E-MINE-0001",
        received_date="2020-01-01",
    )
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.RECEIVED
    assert referral.decided_by is None and referral.decision_date is None
    assert referral.source == "probation" and referral.reference != "E4E-MINE-0001"
    assert referral.received_date == timezone.localdate()


def test_the_same_form_sent_twice_makes_one_referral(
    client: Client, partner_url: str, link_and_token: tuple[PartnerLink, str]
) -> None:
    token = form_token(client, partner_url)
    first = client.post(partner_url, partner_answers(token))
    again = client.post(partner_url, partner_answers(token))
    assert first.status_code == again.status_code == 302
    assert Referral.objects.count() == 1
    # The sender still sees their one reference.
    page = client.get(again["Location"]).content.decode()
    assert Referral.objects.get().reference in page


def test_a_replay_from_elsewhere_makes_nothing_and_reveals_nothing(
    client: Client, partner_url: str
) -> None:
    token = form_token(client, partner_url)
    client.post(partner_url, partner_answers(token))
    stranger = Client()
    response = stranger.post(partner_url, partner_answers(token))
    page = stranger.get(response["Location"]).content.decode()
    assert Referral.objects.count() == 1
    assert "already been sent" in page
    assert Referral.objects.get().reference not in page


def test_a_forged_or_foreign_form_token_is_refused_and_stores_nothing(
    client: Client, partner_url: str, manager: User
) -> None:
    from referrals.partner_views import new_form_token
    from referrals.services import partner_link_create

    other, _ = partner_link_create(organisation="Other", source="police", valid_days=7, by=manager)
    for token in ["not-a-token", new_form_token(other), ""]:
        response = client.post(partner_url, partner_answers(token))
        assert response.status_code == 200
        assert "send the form again" in response.content.decode() or token == ""
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Enter their first name"),
        ({"referrer_email": ""}, "Enter your email address"),
        ({"consent": ""}, "Choose whether the person has agreed to be referred"),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2001"},
            "Date of birth must be a real date",
        ),
        (
            {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
            "Enter the date of birth",
        ),
        ({"date_of_birth_1": ""}, "Date of birth must include a month"),
        ({"date_of_birth_2": "01"}, "Year must include 4 numbers"),
        ({"date_of_birth_0": "x"}, "Date of birth must be a real date"),
        ({"date_of_birth_2": "9" * 50_000}, "Date of birth must be a real date"),
        ({"reason": "x" * 50_000}, "must be 2,000 characters or fewer"),
        ({"first_name": "x" * 50_000}, "First name must be 100 characters or fewer"),
        ({"postcode": "B12 XYZ"}, "Enter a real postcode"),
        ({"phone": "call me"}, "Enter a phone number"),
        ({"referrer_email": "nope"}, "Enter an email address in the right format"),
        ({"gender": "robot"}, "Select a valid choice"),
    ],
)
def test_bad_answers_give_clear_errors_and_store_nothing(
    client: Client, submit: Callable[..., Any], changes: dict[str, str], message: str
) -> None:
    response = submit(client, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert message in page
    assert Referral.objects.count() == 0
    assert PartnerSubmission.objects.count() == 0


def test_a_future_date_of_birth_is_refused(client: Client, submit: Callable[..., Any]) -> None:
    soon = timezone.localdate() + timedelta(days=3)
    response = submit(
        client,
        date_of_birth_0=str(soon.day),
        date_of_birth_1=str(soon.month),
        date_of_birth_2=str(soon.year),
    )
    assert "Date of birth must be in the past" in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_script_tag_is_never_echoed_as_markup(
    client: Client, submit: Callable[..., Any], signed_in: Callable[..., Client], manager: User
) -> None:
    script = '<script>alert("x")</script>'
    refused = submit(client, first_name=script, reason=script)
    page = refused.content.decode()
    assert script not in page
    assert "&lt;script&gt;" in page
    assert "First name must not include &lt; or &gt;" in page
    # Free text may hold it, as text: stored as typed, shown escaped.
    submit(client, reason=script)
    referral = Referral.objects.get()
    assert referral.reason == script
    detail = signed_in(manager).get(reverse("referrals:detail", args=[referral.pk]))
    assert script not in detail.content.decode()
    assert "&lt;script&gt;" in detail.content.decode()


def test_an_unknown_link_is_not_found(client: Client) -> None:
    response = client.get(reverse("referrals:partner-form", args=["x" * 43]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_an_expired_link_is_not_found_and_takes_nothing(
    client: Client, partner_url: str, link_and_token: tuple[PartnerLink, str]
) -> None:
    token = form_token(client, partner_url)
    link = link_and_token[0]
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()
    assert client.get(partner_url).status_code == 404
    assert client.post(partner_url, partner_answers(token)).status_code == 404
    assert Referral.objects.count() == 0


def test_a_revoked_link_is_not_found_and_takes_nothing(
    client: Client, partner_url: str, link_and_token: tuple[PartnerLink, str], manager: User
) -> None:
    token = form_token(client, partner_url)
    partner_link_revoke(link=link_and_token[0], by=manager)
    assert client.get(partner_url).status_code == 404
    assert client.post(partner_url, partner_answers(token)).status_code == 404
    sent = reverse("referrals:partner-sent", args=[link_and_token[1]])
    assert client.get(sent).status_code == 404
    assert Referral.objects.count() == 0


@pytest.mark.usefixtures("one_rate_limit_window")
def test_a_link_takes_twenty_posts_an_hour_then_says_what_to_do(
    client: Client, partner_url: str
) -> None:
    token = form_token(client, partner_url)
    for _ in range(20):
        response = client.post(partner_url, partner_answers(token, first_name=""))
        assert response.status_code == 200
    refused = client.post(partner_url, partner_answers(token))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Try again in" in page and "contact the E4E team" in page
    assert Referral.objects.count() == 0


@pytest.mark.usefixtures("one_rate_limit_window")
def test_the_rate_limit_is_per_link(client: Client, partner_url: str, manager: User) -> None:
    from referrals.services import partner_link_create

    token = form_token(client, partner_url)
    for _ in range(21):
        client.post(partner_url, partner_answers(token, first_name=""))
    _other, other_token = partner_link_create(
        organisation="Other", source="police", valid_days=7, by=manager
    )
    other_url = reverse("referrals:partner-form", args=[other_token])
    response = client.post(other_url, partner_answers(form_token(client, other_url)))
    assert response.status_code == 302


def test_the_sent_page_without_a_referral_goes_back_to_the_form(
    client: Client, link_and_token: tuple[PartnerLink, str], partner_url: str
) -> None:
    response = client.get(reverse("referrals:partner-sent", args=[link_and_token[1]]))
    assert response.status_code == 302 and response["Location"] == partner_url


def test_only_a_hash_of_the_link_secret_is_stored(
    link_and_token: tuple[PartnerLink, str],
) -> None:
    link, token = link_and_token
    assert len(token) >= 43
    assert token not in link.token_hash
    assert not PartnerLink.objects.filter(token_hash=token).exists()


def test_a_referral_is_saved_when_the_cache_is_down(
    client: Client, submit: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import ratelimit

    class DownCache:
        def add(self, *args: object, **kwargs: object) -> None:
            raise ConnectionError("the cache is not reachable")

    monkeypatch.setattr(ratelimit, "cache", DownCache())
    client.raise_request_exception = False
    response = submit(client)
    assert response.status_code == 302  # the limit fails open: nothing is lost
    assert Referral.objects.count() == 1
