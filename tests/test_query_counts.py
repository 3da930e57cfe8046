"""Every list page makes as many queries with 50 rows as with 5: no query per row (N+1).

Each page is opened on a synthetic history of 5 clients (seed_scale's builder: referrals,
cases, contacts, assessments, outcomes, tasks, fund bids, workers in proportion), and
again after 50 more clients (and 5 then 50 returns, import runs and data-protection
requests); the second count may not pass the first. Each page is opened once before it is
counted, so that what a page caches on its first view does not count against the first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.models import Case
from caseload.pseudonyms import pseudonyms_of
from core.models import Role, User
from core.system_user import system_user
from enterprise_fund.models import FundApplication
from legacy_import.synthetic.plan import EMAIL_DOMAIN, seed_scale
from referrals.models import Referral
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

#: Rows of the kinds seed_scale does not write, added with each history.
_extra_seed = [0]


def build(clients: int) -> None:
    """`clients` more synthetic clients, and as many returns, import runs and requests."""
    _extra_seed[0] += 1
    seed_scale(
        clients=clients, seed=_extra_seed[0], today=timezone.localdate(), write_line=lambda _: None
    )
    _returns_imports_and_requests(clients)


def _returns_imports_and_requests(count: int) -> None:
    from core.periods import quarter_of
    from legacy_import.models import ImportRun
    from privacy.models import DataRequest
    from reporting.models import QuarterlyReturn

    by, manager = system_user(), User.objects.filter(role=Role.MANAGER).first()
    referral = Case.objects.first().referral  # type: ignore[union-attr]
    quarter = quarter_of(timezone.localdate())
    done = QuarterlyReturn.objects.count()
    for _ in range(done):
        quarter = quarter_of(quarter.start - datetime.timedelta(days=1))
    for index in range(count):
        quarter = quarter_of(quarter.start - datetime.timedelta(days=1))
        QuarterlyReturn.objects.create(
            period_start=quarter.start, period_end=quarter.end, started_by=by
        )
        ImportRun.objects.create(original_name=f"history-{index}.zip", started_by=manager)
        DataRequest.objects.create(
            reference=f"DR-{done + index:05d}",
            kind=DataRequest.Kind.ACCESS,
            received_date=timezone.localdate(),
            referral=referral,
            logged_by=manager,
        )


# --- Who opens each page, and which page -------------------------------------------------


def busiest_specialist() -> User:
    return (
        User.objects.filter(role=Role.SPECIALIST)
        .annotate(held=Count("cases", filter=Q(cases__closed_date__isnull=True)))
        .order_by("-held", "pk")
        .first()
    )  # type: ignore[return-value]


def heaviest_case() -> Case:
    return Case.objects.annotate(n=Count("contacts")).order_by("-n", "pk").first()  # type: ignore[return-value]


def role(name: Role) -> Callable[[], User]:
    """The first synthetic account of the role (not the system user)."""
    return lambda: (
        User.objects.filter(role=name, email__endswith=EMAIL_DOMAIN).order_by("pk").first()  # type: ignore[return-value]
    )


def a_bid() -> str:
    bid = FundApplication.objects.order_by("pk").first()
    assert bid is not None
    return reverse("enterprise_fund:application-detail", args=[bid.pk])


def a_search() -> str:
    """A search for the commonest first name: more people found as the history grows."""
    name = (
        Referral.objects.values_list("first_name", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n", "first_name")
        .first()
    )
    return f"{reverse('search:people')}?q={name}"


@dataclass(frozen=True)
class Page:
    name: str
    user: Callable[[], User]
    url: Callable[[], str]

    def __str__(self) -> str:
        return self.name


PAGES = [
    Page("specialist home and tasks", busiest_specialist, lambda: reverse("caseload:home")),
    Page("case page", lambda: heaviest_case().worker,
         lambda: reverse("caseload:case-detail", args=[heaviest_case().pk])),
    Page("case history", lambda: heaviest_case().worker,
         lambda: reverse("caseload:case-history", args=[heaviest_case().pk])),
    Page("team view", role(Role.MANAGER), lambda: reverse("caseload:team")),
    Page("referral queue", role(Role.MANAGER), lambda: reverse("referrals:list")),
    Page("search (manager)", role(Role.MANAGER), lambda: a_search()),
    Page("search (specialist)", busiest_specialist, lambda: a_search()),
    Page("waiting list", role(Role.MANAGER), lambda: reverse("caseload:waiting-list")),
    Page("dashboard", role(Role.MANAGER), lambda: reverse("reporting:dashboard")),
    Page("fund page", role(Role.MANAGER), lambda: reverse("enterprise_fund:fund")),
    Page("fund bids", role(Role.MANAGER), lambda: reverse("enterprise_fund:applications")),
    Page("fund bid", role(Role.MANAGER), a_bid),
    Page("evaluator records", role(Role.EVALUATOR), lambda: reverse("evaluation:records")),
    Page("evaluator record", role(Role.EVALUATOR),
         lambda: reverse("evaluation:record", args=[pseudonyms_of(heaviest_case()).evaluator])),
    Page("API records", role(Role.EVALUATOR), lambda: reverse("evaluation:api-records")),
    Page("returns", role(Role.MANAGER), lambda: reverse("reporting:return-list")),
    Page("import runs", role(Role.MANAGER), lambda: reverse("legacy_import:list")),
    Page("data-protection requests", role(Role.MANAGER), lambda: reverse("data-requests:list")),
    Page("users", role(Role.ADMIN), lambda: reverse("users:list")),
]  # fmt: skip


def signed_in_at(page: Page) -> tuple[Client, str]:
    """A client signed in as the page's user, that has opened the page once."""
    client, url = sign_in(Client(), page.user()), page.url()
    assert client.get(url).status_code == 200, url
    return client, url


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_the_page_makes_no_more_queries_with_50_rows_than_with_5(page: Page) -> None:
    build(5)
    few = queries_of(*signed_in_at(page))
    assert few, "no queries counted"

    build(50)
    many = queries_of(*signed_in_at(page))

    assert len(many) <= len(few), "\n".join(many)
    # The performance issue's target: at most 20 queries a page (the access log's insert
    # and the session's own queries included).
    assert len(many) + 1 <= MAX_QUERIES, "\n".join(many)


#: At most this many queries a page, at any size (the performance issue's target).
MAX_QUERIES = 20

#: The access log is one insert per page whoever it lists, and none when it lists no one
#: (the five-client history may have no one on a list): it is not a query per row.
ACCESS_LOG_INSERT = 'INSERT INTO "e4e_accesslog"'


def queries_of(client: Client, url: str) -> list[str]:
    """The SQL the page runs (the access log's one insert left out)."""
    seen: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return [sql for sql in seen if not sql.startswith(ACCESS_LOG_INSERT)]
