"""`make bench` (pages part): the key pages' server time and SQL queries, as one table.

Against the databases BENCH_DATABASES names (space-separated URLs, each measured in its
own process: the sizes side by side), or the one DATABASE_URL names, as they stand (after
`manage.py seed_scale`), or, without either, a fresh SQLite file with the demo (or with
BENCH_CLIENTS=N, a synthetic history of N clients).

Each page is opened once, then timed BENCH_ROUNDS times (default 50): the median and 95th
percentile in milliseconds, the queries of one request, and the times as multiples of the
signed-in floor (the account page, the least a signed-in request costs: sessions, the
second factor, the access rules, the base template) measured in the same run. Numbers are
for this machine and compared between runs, not asserted. BENCH_PAGES=team,dashboard
measures only the pages whose names start so (and the floor); a page that fails is
reported with its status. Targets (the scale issue): p95 under 150 ms and at most 4x the
floor, at most 20 queries, and the same at 1,000 and 20,000 clients.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
#: A slow page is timed fewer times (three at least), so that one page cannot hold the run.
SECONDS_A_PAGE = 30.0
#: The host the bench's requests name. Django's test client says "testserver", which only
#: the test runner adds to ALLOWED_HOSTS (setup_test_environment); the bench does not run
#: under it (that would also instrument every template render), so it names a host the
#: settings allow instead, and allows only that one.
HOST = "localhost"
#: Pages the scale issue names that do not exist yet.
NOT_YET: list[str] = []


def setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    env = {
        "DEBUG": "true",
        "E4E_REQUIRE_2FA": "false",
        "ALLOWED_HOSTS": HOST,
        # One JSON line per request would bury the table.
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "e4e.settings",
    }
    fresh = not os.environ.get("DATABASE_URL")
    if fresh:
        env["E4E_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="e4e-bench-")) / "bench.sqlite3")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    if fresh:
        call_command("migrate", verbosity=0)
        clients = int(os.environ.get("BENCH_CLIENTS", "0"))
        if clients:
            call_command("seed_scale", clients=clients)
        else:
            call_command("seed_demo", quiet=True)


@dataclass
class Page:
    label: str
    role: str
    url: Callable[[], str]


def pages(sized: Any) -> list[Page]:
    from urllib.parse import urlencode

    from django.db.models import Count
    from django.db.models.functions import Length
    from django.urls import reverse

    from caseload.models import Case
    from caseload.pseudonyms import pseudonyms_of
    from referrals.models import Referral

    heaviest = Case.objects.annotate(n=Count("contacts")).order_by("-n", "pk").first()
    assert heaviest is not None, "No cases: seed the database first (seed_scale or seed_demo)."
    contacts = heaviest.contacts.count()
    # Searches: the surname of the heaviest case's person (the synthetic history has a few
    # dozen: hundreds of people each at 20,000 clients), its start, their postcode, and the
    # longest surname there is with its third letter left out (a close spelling, on
    # PostgreSQL with pg_trgm).
    name, postcode = heaviest.referral.last_name, heaviest.referral.postcode
    longest = (
        Referral.objects.order_by(Length("last_name").desc(), "pk")
        .values_list("last_name", flat=True)
        .first()
    ) or name

    def search(typed: str) -> Callable[[], str]:
        return lambda: f"{reverse('search:people')}?{urlencode({'q': typed})}"

    return [
        Page("signed-in floor", "specialist", lambda: reverse("accounts:account")),
        Page("specialist home", "specialist", lambda: reverse("caseload:home")),
        Page(f"case page ({contacts} contacts)", "case worker",
             lambda: reverse("caseload:case-detail", args=[heaviest.pk])),
        Page("case history", "case worker",
             lambda: reverse("caseload:case-history", args=[heaviest.pk])),
        Page("team view", "manager", lambda: reverse("caseload:team")),
        Page("referral queue", "manager", lambda: reverse("referrals:list")),
        Page("dashboard", "manager", lambda: reverse("reporting:dashboard")),
        Page("evaluator records", "evaluator", lambda: reverse("evaluation:records")),
        Page("evaluator record", "evaluator",
             lambda: reverse("evaluation:record", args=[pseudonyms_of(heaviest).evaluator])),
        Page("API records", "evaluator", lambda: reverse("evaluation:api-records")),
        Page("API figures", "evaluator", lambda: reverse("evaluation:api-figures")),
        Page("OPCC returns", "opcc", lambda: reverse("reporting:opcc-returns")),
        Page("fund page", "manager", lambda: reverse("enterprise_fund:fund")),
        Page("search: a name", "manager", search(name)),
        Page("search: part of a name", "manager", search(name[:4])),
        Page("search: misspelt name", "manager", search(longest[:2] + longest[3:])),
        Page("search: postcode", "manager", search(postcode)),
        Page("search: specialist's name", "case worker", search(name)),
        # The case-file issue's sizes (bench/sized.py), made in the bench's transaction.
        Page("case page (300 contacts)", "300-contact worker",
             lambda: reverse("caseload:case-detail", args=[sized.case.pk])),
        Page("home: 25 cases, 50 tasks", "25-case specialist", lambda: reverse("caseload:home")),
    ]  # fmt: skip


def users() -> dict[str, Any]:
    """Who opens each page: the synthetic accounts when there are some, else the demo's.
    The specialist is the one holding the most open cases."""
    from django.db.models import Count, Q

    from caseload.models import Case
    from core.models import Role, User
    from legacy_import.synthetic.plan import EMAIL_DOMAIN

    people = User.objects.filter(is_active=True)
    if people.filter(email__endswith=EMAIL_DOMAIN).exists():
        people = people.filter(email__endswith=EMAIL_DOMAIN)
    else:
        people = people.filter(email__endswith="@demo.e4e.invalid")

    def first(role: Role) -> User:
        user = people.filter(role=role).order_by("pk").first()
        assert user is not None, f"No {role.label} account to open the pages with."
        return user

    busiest = (
        people.filter(role=Role.SPECIALIST)
        .annotate(held=Count("cases", filter=Q(cases__closed_date__isnull=True)))
        .order_by("-held", "pk")
        .first()
    )
    heaviest = Case.objects.annotate(n=Count("contacts")).order_by("-n", "pk").first()
    assert heaviest is not None
    return {
        "specialist": busiest,
        "case worker": heaviest.worker,
        "manager": first(Role.MANAGER),
        "evaluator": first(Role.EVALUATOR),
        "opcc": first(Role.OPCC),
    }


def measure(page: Page, user: Any) -> tuple[float, float, int, int] | int:
    """(median ms, p95 ms, queries of one request, rounds), or the status of a failure."""
    from django.db import connection
    from django.test import Client

    client = Client(SERVER_NAME=HOST, raise_request_exception=False)
    client.force_login(user)
    url = page.url()
    began = time.perf_counter()
    warm_up = client.get(url)
    if warm_up.status_code != 200:
        return warm_up.status_code
    rounds = min(ROUNDS, max(3, int(SECONDS_A_PAGE / (time.perf_counter() - began))))
    # Counted as they run: each request empties connection.queries when it starts.
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[math.ceil(len(timings) * 0.95) - 1]  # nearest rank
    return statistics.median(timings), p95, len(queries), rounds


def measure_all() -> dict[str, Any]:
    """Every page on the database DATABASE_URL names: {"clients", "vendor", "rows": [...]}."""
    setup()
    from django.db import connection, transaction
    from sized import make_sized  # bench/sized.py, beside this script

    from referrals.models import Referral

    rows: list[dict[str, Any]] = []
    # BENCH_PAGES=dashboard,team: only the pages whose names start so (and the floor).
    wanted = [w.strip() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
    # The pages are opened on this thread's connection, so they see what make_sized wrote;
    # it is rolled back at the end and the database is left as it was.
    with transaction.atomic():
        who = users()
        sized = make_sized()
        who |= {"300-contact worker": sized.case.worker, "25-case specialist": sized.specialist}
        for page in pages(sized):
            if wanted and rows and not any(page.label.startswith(w) for w in wanted):
                continue
            measured = measure(page, who[page.role])
            if isinstance(measured, int):
                rows.append({"page": page.label, "failed": measured})
                continue
            median, p95, queries, rounds = measured
            rows.append(
                {
                    "page": page.label,
                    "median": median,
                    "p95": p95,
                    "queries": queries,
                    "rounds": rounds,
                }
            )
        clients = Referral.objects.count()
        transaction.set_rollback(True)
    return {"clients": clients, "vendor": connection.vendor, "rows": rows}


def _size(clients: int) -> str:
    return f"{clients // 1000}k" if clients >= 1000 else str(clients)


def table(runs: list[dict[str, Any]]) -> None:
    """One line a page: median / p95 ms and queries at each size, and the largest size's
    times as multiples of its signed-in floor."""
    sizes = [_size(run["clients"]) for run in runs]
    print(f"{runs[-1]['vendor']}, up to {ROUNDS} rounds a page; floor = the signed-in account page")
    header = f"{'page':<28}" + "".join(f" {size + ' median/p95 ms, q':>27}" for size in sizes)
    header += f" {'x floor (' + sizes[-1] + ')':>16}"
    print(header)
    print("-" * len(header))
    floor = runs[-1]["rows"][0]
    for index, row in enumerate(runs[-1]["rows"]):
        line = f"{row['page']:<28}"
        for run in runs:
            same = run["rows"][index] if index < len(run["rows"]) else {}
            if "failed" in same:
                line += f" {'failed: HTTP ' + str(same['failed']):>27}"
            elif same:
                cell = f"{same['median']:.1f} / {same['p95']:.1f}, {same['queries']}"
                line += f" {cell:>27}"
            else:
                line += f" {'-':>27}"
        if "failed" not in row and "failed" not in floor:
            line += f" {row['median'] / floor['median']:>7.1f} / {row['p95'] / floor['p95']:.1f}"
        print(line, flush=True)
    for label in NOT_YET:
        print(f"{label:<28} (no such page yet)")


def main() -> None:
    """BENCH_DATABASES="URL URL ...": each database measured in its own process, one table
    of all; else the one DATABASE_URL names (or a fresh SQLite demo)."""
    import json
    import subprocess

    if os.environ.get("BENCH_ONE") == "json":
        print(json.dumps(measure_all()))
        return
    urls = os.environ.get("BENCH_DATABASES", "").split()
    if not urls:
        table([measure_all()])
        return
    runs = []
    for url in urls:
        done = subprocess.run(  # noqa: S603 (this script, with the URLs it was given)
            [sys.executable, __file__],
            env={**os.environ, "DATABASE_URL": url, "BENCH_ONE": "json"},
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    table(sorted(runs, key=lambda run: run["clients"]))


if __name__ == "__main__":
    main()
