"""`make bench`: time the service's main requests on a fresh demo database.

Prints the median and 95th percentile for each measured request. Numbers are for this
machine and are compared between runs, not asserted in tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 200
#: The host the bench's requests name. Django's test client says "testserver", which only
#: the test runner adds to ALLOWED_HOSTS (setup_test_environment); the bench does not run
#: under it (that would also instrument every template render), so it names a host the
#: settings allow instead, and allows only that one.
HOST = "localhost"


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    workdir = tempfile.mkdtemp(prefix="e4e-bench-")
    os.environ.update(
        {
            "DEBUG": "true",
            "E4E_REQUIRE_2FA": "false",
            "ALLOWED_HOSTS": HOST,
            # One JSON line per request would bury the table.
            "LOG_LEVEL": "WARNING",
            "E4E_SQLITE_PATH": str(Path(workdir) / "bench.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "e4e.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from core.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", quiet=True)

    cases: list[tuple[str, str | None, str]] = [
        ("sign-in page", None, "/sign-in/"),
        ("specialist home", "specialist@demo.e4e.invalid", "/cases/"),
        ("manager home", "manager@demo.e4e.invalid", "/cases/team/"),
        ("users list", "admin@demo.e4e.invalid", "/users/"),
    ]
    print(f"{'request':<20} {'median ms':>10} {'p95 ms':>10}   ({ROUNDS} rounds)")
    for label, email, path in cases:
        client = Client(SERVER_NAME=HOST)
        if email:
            client.force_login(User.objects.get(email=email))
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{label:<20} {statistics.median(timings):>10.2f} {p95:>10.2f}")


if __name__ == "__main__":
    main()
