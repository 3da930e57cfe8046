"""The specialist's home page, built for a phone: the caseload first, whoever needs
contact soonest at the top, each with one link to log a contact and the next thing to do;
the week's tasks grouped by person, each series showing only its next step."""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import Case, Contact, Outcome, Task
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def seen(worker: User, days_ago: int | None, name: str) -> Case:
    """A case whose person was last seen `days_ago` (None: awaiting assessment)."""
    if days_ago is None:
        return CaseFactory(worker=worker, start_date=None, referral__last_name=name)
    case = CaseFactory(
        worker=worker,
        referral__last_name=name,
        referral__received_date=TODAY - datetime.timedelta(days=200),
        referral__decision_date=TODAY - datetime.timedelta(days=190),
        start_date=TODAY - datetime.timedelta(days=180),
    )
    Contact.objects.create(
        case=case,
        worker=worker,
        date=TODAY - datetime.timedelta(days=days_ago),
        mode=Contact.Mode.PHONE,
        party=Contact.Party.CLIENT,
        duration_minutes=15,
    )
    return case


def home(client: Client) -> str:
    return html.unescape(client.get(reverse("caseload:home")).content.decode())


def test_the_caseload_comes_first_whoever_needs_contact_soonest_at_the_top(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    seen(specialist, 2, "Recently")
    seen(specialist, 40, "Longago")
    seen(specialist, None, "Waiting")
    seen(specialist, 15, "Fortnight")
    page = home(signed_in(specialist))
    order = [page.index(name) for name in ("Waiting", "Longago", "Fortnight", "Recently")]
    assert order == sorted(order)
    assert page.index("Open cases") < page.index("Tasks due this week")


def test_each_client_has_one_link_to_log_a_contact_and_their_next_step(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    case = seen(specialist, 5, "Linkson")
    Task.objects.create(
        case=case, kind=Task.Kind.SUSTAINMENT_CHECK, title="13-week check", due_date=TODAY
    )
    page = home(signed_in(specialist))
    assert f'href="{reverse("caseload:contact-new", args=[case.pk])}"' in page
    row = page.split(case.referral.full_name, 1)[1].split("</tr>", 1)[0]
    assert "Log a contact" in row and "13-week check, due" in row


def test_a_series_of_tasks_shows_only_its_next_step(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    case = seen(specialist, 3, "Series")
    job = Outcome.objects.create(
        case=case,
        type=Outcome.Type.PAID_EMPLOYMENT,
        start_date=TODAY - datetime.timedelta(days=1),
        hours_per_week=30,
        employer_name="Bolt Logistics",
    )
    for week in range(1, 8):  # a job start's in-work support, one task a week
        Task.objects.create(
            case=case,
            outcome=job,
            kind=Task.Kind.IN_WORK_SUPPORT,
            title=f"In-work support, week {week}",
            due_date=TODAY + datetime.timedelta(days=7 * (week - 1)),
        )
    Task.objects.create(
        case=case,
        outcome=job,
        kind=Task.Kind.SUSTAINMENT_CHECK,
        title="13-week check",
        due_date=TODAY + datetime.timedelta(days=3),
    )
    page = home(signed_in(specialist))
    tasks = page.split("Tasks due this week", 1)[1]
    assert "In-work support, week 1" in tasks and "then 6 more in this series" in tasks
    assert "In-work support, week 2" not in page
    assert "13-week check" in tasks
    # Grouped under the person: their name heads the group, once.
    assert tasks.count(case.referral.full_name) == 1


def test_another_specialists_tasks_and_cases_are_not_on_the_home_page(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User
) -> None:
    theirs = seen(other_specialist, 40, "Elsewhere")
    Task.objects.create(case=theirs, kind=Task.Kind.TRADING_CHECK, title="Trading", due_date=TODAY)
    page = home(signed_in(specialist))
    assert "Elsewhere" not in page and "Trading" not in page
