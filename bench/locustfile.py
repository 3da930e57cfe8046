"""The load test's users: employment specialists browsing their caseload and logging contacts.

bench/load.py runs it, once it has started the server and signed the accounts in (as
people do, with the code from their authenticator: see its docstring for why before the
timed part): E4E_LOAD_SESSIONS names a JSON file of [{"email", "cookies"}], each
account's session. By hand, with such a file:
`locust -f bench/locustfile.py --host http://127.0.0.1:PORT`.

Each specialist takes the next account's session and, pausing 1 to 5 seconds between
steps, opens their home page, the caseload list or one of their cases, or logs a contact
on a case: the form is opened first and posted back with the CSRF token and the one-time
key it rendered (core/once.py), so every post is one new contact. With more users than
accounts, the users of one account share its session, as tabs of one browser do.

A request fails when its status is 400 or more, and also when it lands anywhere but the
page it was for (the sign-in page, a form shown again with its errors).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from urllib.parse import urlsplit

import pages
from locust import HttpUser, between, events, task
from locust.clients import ResponseContextManager
from locust.env import Environment
from locust.stats import StatsEntry, StatsError

SESSIONS_ENV = "E4E_LOAD_SESSIONS"
#: Where to write the run's figures when it ends (JSON), for bench/load.py's table.
SUMMARY_ENV = "E4E_LOAD_SUMMARY"
HOME = "/"


class Sessions:
    """Hands the signed-in sessions out in turn."""

    def __init__(self) -> None:
        self._sessions: list[dict[str, str]] = []
        self._taken = 0

    def take(self) -> dict[str, str]:
        """The next session's cookies."""
        if not self._sessions:
            path = os.environ.get(SESSIONS_ENV)
            if not path:
                raise RuntimeError(f"{SESSIONS_ENV} names no sessions file (see bench/load.py)")
            self._sessions = [row["cookies"] for row in json.loads(Path(path).read_text())]
            if not self._sessions:
                raise RuntimeError(f"The sessions file {path} lists none")
        cookies = self._sessions[self._taken % len(self._sessions)]
        self._taken += 1
        return cookies


SESSIONS = Sessions()


def _path(url: str) -> str:
    return urlsplit(url).path


def _landed(response: ResponseContextManager, path: str) -> bool:
    """Whether the response is the page at `path`; marks it failed if not (a status of 400
    or more is marked by locust itself)."""
    if response.status_code >= 400:
        return False
    landed = _path(response.url or "")
    if landed != path:
        response.failure(f"landed on {landed}, not {path}")
        return False
    return True


class Specialist(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.rng = random.Random()  # noqa: S311  (which page next, not security)
        self.cases: list[str] = []
        self.client.cookies.update(SESSIONS.take())
        self.caseload()

    def page(self, url: str, name: str, *, at: str | None = None, says: str = "") -> str | None:
        """GET `url`, following redirects as a browser does: its text if it is the page at
        `at` (by default `url` itself) and shows `says`, else None and the request failed."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if not _landed(response, at or url):
                return None
            if says not in response.text:
                response.failure(f"the page does not say {says!r}")
                return None
            return response.text

    def post(self, url: str, data: dict[str, str], name: str, *, then: str) -> str | None:
        """POST a form without following its redirect, so that its row is the time of the
        write alone: where it sends the user (the page at `then`), else None and the
        request failed."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code >= 400:
                return None
            if response.status_code not in (302, 303) or _path(location) != then:
                response.failure(f"answered {response.status_code}, not a redirect to {then}")
                return None
            return location

    @task(2)
    def home(self) -> None:
        self.page(HOME, HOME, at=pages.CASELOAD)

    @task(2)
    def caseload(self) -> None:
        text = self.page(pages.CASELOAD, pages.CASELOAD)
        if text is not None:
            self.cases = pages.open_case_paths(text) or self.cases

    @task(4)
    def case(self) -> None:
        if self.cases:
            self.page(self.rng.choice(self.cases), pages.CASE_NAME)

    @task(1)
    def log_contact(self) -> None:
        if not self.cases:
            return
        case = self.rng.choice(self.cases)
        form = self.page(pages.contact_path(case), pages.CONTACT_NAME)
        if form is None:
            return
        data = pages.contact_post(form, rng=self.rng)
        if self.post(pages.contact_path(case), data, pages.CONTACT_NAME, then=case):
            self.page(case, pages.CASE_NAME, says=pages.CONTACT_LOGGED)


class _Run:
    environment: Environment | None = None


@events.init.add_listener
def _keep_environment(environment: Environment, **kwargs: object) -> None:
    _Run.environment = environment


def _figures(entry: StatsEntry) -> dict[str, object]:
    return {
        "method": entry.method or "",
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "median": entry.median_response_time,
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
        "max": round(entry.max_response_time or 0),
    }


@events.quit.add_listener
def _write_summary(exit_code: int, **kwargs: object) -> None:
    """The figures once every user has stopped (locust's CSV files lag by a second)."""
    path, environment = os.environ.get(SUMMARY_ENV), _Run.environment
    if not path or environment is None:
        return
    stats = environment.stats
    runner = environment.runner
    summary = {
        "requests": [
            _figures(entry)
            for entry in sorted(stats.entries.values(), key=lambda e: (e.name, e.method or ""))
        ],
        "total": _figures(stats.total),
        "failures": [
            {
                "method": error.method,
                "name": error.name,
                "error": StatsError.parse_error(error.error),
                "occurrences": error.occurrences,
            }
            for error in stats.errors.values()
        ],
        "exceptions": [
            {"count": e["count"], "message": e["msg"], "traceback": e["traceback"]}
            for e in (runner.exceptions.values() if runner else [])
        ],
    }
    Path(path).write_text(json.dumps(summary, indent=1))
