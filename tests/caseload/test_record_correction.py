"""A mistake in a small record is corrected on its page, with a reason kept in its history;
nothing changes without a reason, and a record the service does not correct here (a
complaint, a disclosure) has no correction page."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Signposting
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def signposting(specialist: User) -> Signposting:
    return Signposting.objects.create(
        case=CaseFactory(worker=specialist),
        date=TODAY,
        need="accommodation",
        organisation="St Basils",
    )


def form_data(record: Signposting, **changes: str) -> dict[str, str]:
    data = {
        "date_0": str(record.date.day),
        "date_1": str(record.date.month),
        "date_2": str(record.date.year),
        "need": record.need,
        "organisation": record.organisation,
        "outcome": record.outcome,
    }
    data.update(changes)
    return data


def test_a_record_is_corrected_with_the_reason_kept_in_its_history(
    signed_in: Callable[..., Client], specialist: User, signposting: Signposting
) -> None:
    client = signed_in(specialist)
    detail = reverse("caseload:record-detail", args=["signposting", signposting.pk])
    url = reverse("caseload:record-edit", args=["signposting", signposting.pk])
    assert url in client.get(detail).content.decode()
    form = client.get(url).content.decode()
    assert 'value="St Basils"' in form  # the form opens with what was recorded

    refused = client.post(url, form_data(signposting, organisation="Shelter"))
    assert "Enter why the record is being corrected" in refused.content.decode()
    signposting.refresh_from_db()
    assert signposting.organisation == "St Basils"

    done = client.post(
        url,
        form_data(signposting, organisation="Shelter", change_reason="Wrong charity chosen"),
    )
    assert done.status_code == 302 and done["Location"] == detail
    signposting.refresh_from_db()
    assert signposting.organisation == "Shelter"
    latest = signposting.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        specialist,
        "Wrong charity chosen",
    )
    page = client.get(detail).content.decode()
    assert "Why: Wrong charity chosen" in page and "Changed: organisation" in page

    client.post(url, form_data(signposting, change_reason="Nothing really"))  # no change
    assert signposting.history.count() == 2


def test_another_specialist_cannot_correct_it_and_some_kinds_are_not_corrected_here(
    signed_in: Callable[..., Client],
    other_specialist: User,
    specialist: User,
    signposting: Signposting,
) -> None:
    url = reverse("caseload:record-edit", args=["signposting", signposting.pk])
    other = signed_in(other_specialist)
    assert other.get(url).status_code == 404
    assert (
        other.post(url, form_data(signposting, organisation="X", change_reason="y")).status_code
        == 404
    )
    signposting.refresh_from_db()
    assert signposting.organisation == "St Basils"
    own = signed_in(specialist)
    for kind in ("disclosure", "complaint"):
        path = reverse("caseload:record-edit", args=[kind, 1])
        assert own.get(path).status_code == 404
