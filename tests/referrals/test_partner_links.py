"""Managers make partner links: shown once, stored as a hash, expiring and revocable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import User
from referrals.models import PartnerLink
from referrals.selectors import token_hash
from referrals.services import partner_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(manager: User, signed_in: Callable[..., Client]) -> Client:
    return signed_in(manager)


def test_a_new_link_is_shown_once_with_instructions_and_kept_only_as_a_hash(
    desk: Client, manager: User
) -> None:
    response = desk.post(
        reverse("referrals:link-new"),
        {"organisation": "West Midlands Police (Ladywood)", "source": "police", "valid_days": "30"},
    )
    link = PartnerLink.objects.get()
    assert response["Location"] == reverse("referrals:link-created", args=[link.pk])
    page = desk.get(response["Location"]).content.decode()
    url = page.split('id="partner-link">')[1].split("</code>")[0]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43 and link.token_hash == token_hash(token)
    assert "It is shown only once" in page and "secure email" in page
    assert token not in desk.get(response["Location"]).content.decode()
    assert link.created_by == manager and link.source == "police"
    assert timedelta(days=29, hours=23) < link.expires_at - timezone.now() <= timedelta(days=30)
    assert Client().get(url.split("testserver", 1)[1]).status_code == 200


def test_the_link_lasts_as_long_as_chosen(desk: Client) -> None:
    desk.post(
        reverse("referrals:link-new"),
        {"organisation": "A college", "source": "further_education", "valid_days": "7"},
    )
    link = PartnerLink.objects.get()
    assert link.expires_at - timezone.now() <= timedelta(days=7)


def test_a_link_needs_an_organisation_and_a_known_length(desk: Client) -> None:
    response = desk.post(
        reverse("referrals:link-new"),
        {"organisation": "", "source": "police", "valid_days": "3650"},
    )
    page = response.content.decode()
    assert "Enter the partner organisation" in page and "Select a valid choice" in page
    assert PartnerLink.objects.count() == 0


def test_revoking_asks_first_and_then_the_link_stops_working(desk: Client, manager: User) -> None:
    link, token = partner_link_create(
        organisation="Probation", source="probation", valid_days=30, by=manager
    )
    url = reverse("referrals:link-revoke", args=[link.pk])
    assert "Revoke the link for Probation?" in desk.get(url).content.decode()
    assert Client().get(reverse("referrals:partner-form", args=[token])).status_code == 200
    desk.post(url)
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == manager
    assert Client().get(reverse("referrals:partner-form", args=[token])).status_code == 404
    assert "Revoked" in desk.get(reverse("referrals:links")).content.decode()


def test_the_list_says_which_links_work(desk: Client, manager: User) -> None:
    active, _ = partner_link_create(
        organisation="Active org", source="dwp", valid_days=30, by=manager
    )
    expired, _ = partner_link_create(organisation="Old org", source="dwp", valid_days=7, by=manager)
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    page = desk.get(reverse("referrals:links")).content.decode()
    assert "Active org" in page and "Expired" in page and "Active" in page
    assert reverse("referrals:link-revoke", args=[active.pk]) in page
    assert reverse("referrals:link-revoke", args=[expired.pk]) not in page


def test_specialists_cannot_make_links(specialist: User, signed_in: Callable[..., Client]) -> None:
    client = signed_in(specialist)
    response = client.post(
        reverse("referrals:link-new"), {"organisation": "X", "source": "police", "valid_days": "30"}
    )
    assert response.status_code == 403
    assert PartnerLink.objects.count() == 0
