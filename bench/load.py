"""The load test: employment specialists browsing and logging contacts, with locust.

Serves the app with gunicorn (as the production image does: three workers) on 127.0.0.1,
on a free port, with the production settings but over plain HTTP (no redirect to HTTPS,
no Secure-only cookies, ALLOWED_HOSTS=127.0.0.1) and two-factor sign-in on, against the
database DATABASE_URL names or, without it, a fresh SQLite file with the demo (migrate and
seed_demo, as `make run`). Loopback only.

First every account signs in, as a person does: the sign-in form (CSRF token, email and
password), then the code their authenticator shows, three at a time (the server's
workers). That comes before the timed part, and has its own table: a sign-in checks the
password with PBKDF2's 1.5 million iterations, slow on purpose, so fifty take a minute
or more on a small machine and would leave the timed part little to measure. Then
bench/locustfile.py runs headless with their sessions: LOAD_USERS simulated specialists
(default 50) started LOAD_SPAWN_RATE a second (10) for LOAD_SECONDS (60). The server is
stopped and each request's count, failures, median, 95th and 99th percentile and maximum
are printed in milliseconds (as locust rounds them). It exits 1 when any request failed,
no contact was logged, or the server logged an error or a post without its one-time key.

The accounts: up to LOAD_USERS active specialists with open cases whose password the run
knows: the demo's (DEMO_PASSWORD) or, for an account with no usable password (the
synthetic history's, from seed_scale), one the run sets. An account with a password of
its own is never used. So this writes to the database it is given: each account without
a usable password gets a password for the run, and each account an authenticator device
("Load test") whose codes the run computes; when the run ends the password hash is put
back as it was and the device deleted. What the run itself writes stays: the contacts it
logs (notes starting "Load test"), with their history, access-log rows, sessions and
one-time keys. Use a database meant for measuring, never a live one.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pages
from signin import Account, SignedIn, sign_in

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 3  # as the production image runs it (Dockerfile)
LOAD_DEVICE_NAME = "Load test"
#: Server log lines that fail the run: an error, a create without its key (core/once.py).
SERVER_LOG_FAILS = ('"level": "error"', "Traceback", "once.key_missing")
#: Requests to the server never go through a proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
#: How long the server may take to answer its first request.
START_SECONDS = 60


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {raw!r}")
    return value


USERS = _positive("LOAD_USERS", 50)
SPAWN_RATE = _positive("LOAD_SPAWN_RATE", 10)
SECONDS = _positive("LOAD_SECONDS", 60)


@dataclass
class Prepared:
    """What the run changed in the database, to put back."""

    passwords: dict[int, str] = field(default_factory=dict)
    devices: list[int] = field(default_factory=list)


def server_env(work: Path) -> dict[str, str]:
    env = {
        **os.environ,
        # The run is what this environment says, not what a .env file beside it says.
        "E4E_ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "E4E_REQUIRE_2FA": "true",
        "ALLOWED_HOSTS": HOST,
        "E4E_SSL_REDIRECT": "false",
        "E4E_SECURE_COOKIES": "false",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT") or str(ROOT / "staticfiles"),
        # One JSON line per request would cost the server time and bury the table.
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "e4e.settings",
    }
    if not os.environ.get("DATABASE_URL"):
        env["E4E_SQLITE_PATH"] = str(work / "load.sqlite3")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare_database(env: dict[str, str]) -> None:
    """The demo in a fresh SQLite file (seed_demo runs only with DEBUG on, as `make run`
    does it), and the static files the server's manifest storage needs: collected into
    STATIC_ROOT (staticfiles/, as the image builds it) when older than static/, since
    compressing them takes a while."""
    if "E4E_SQLITE_PATH" in env:
        print("Making the demo database ...", flush=True)
        demo = {**env, "DEBUG": "true"}
        manage(demo, "migrate", "--no-input", "-v", "0")
        manage(demo, "seed_demo", "--quiet")
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        print("Collecting the static files ...", flush=True)
        manage(env, "collectstatic", "--no-input", "--clear", "-v", "0")


def prepare_accounts(limit: int) -> tuple[list[Account], Prepared]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from caseload.selectors import caseload_for
    from core.management.commands.seed_demo import DEMO_PASSWORD
    from core.models import Role, User
    from core.two_factor import TOLERANCE_STEPS

    run_password = secrets.token_urlsafe(24)
    run_hash = make_password(run_password)
    accounts: list[Account] = []
    prepared = Prepared()
    with transaction.atomic():
        for user in User.objects.filter(role=Role.SPECIALIST, is_active=True).order_by("pk"):
            if len(accounts) == limit:
                break
            if not caseload_for(user).exists():
                continue
            if not user.has_usable_password():
                prepared.passwords[user.pk] = user.password
                User.objects.filter(pk=user.pk).update(password=run_hash)
                password = run_password
            elif user.check_password(DEMO_PASSWORD):
                password = DEMO_PASSWORD
            else:
                continue
            device = TOTPDevice.objects.create(
                user=user, name=LOAD_DEVICE_NAME, confirmed=True, tolerance=TOLERANCE_STEPS
            )
            prepared.devices.append(device.pk)
            accounts.append(Account(email=user.email, password=password, totp_key=device.key))
    return accounts, prepared


def undo(prepared: Prepared) -> None:
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import User

    with transaction.atomic():
        TOTPDevice.objects.filter(pk__in=prepared.devices).delete()
        for pk, password in prepared.passwords.items():
            User.objects.filter(pk=pk).update(password=password)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "e4e.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--timeout",
        "60",
        "--error-logfile",
        str(log),
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with DIRECT.open(f"http://{HOST}:{port}/sign-in/", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"The server did not start; its log:\n{log.read_text()[-4000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def sign_in_all(base: str, accounts: list[Account]) -> list[SignedIn]:
    """Sign every account in, as many at once as the server has workers; print the table."""
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda account: sign_in(base, account), accounts))
    seconds = time.monotonic() - start
    times: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    for result in results:
        for label, ms in result.times:
            times[label].append(ms)
        if result.cookies is None and result.times:
            failures[result.times[-1][0]] += 1
    failed = [result for result in results if result.cookies is None]
    print_table(
        [
            {
                "method": label.split()[0],
                "name": label.split()[1],
                **_figures(values),
                "failures": failures[label],
            }
            for label, values in times.items()
        ]
    )
    print(
        f"{len(results) - len(failed)} of {len(results)} accounts signed in, "
        f"{WORKERS} at a time, in {seconds:.0f} s."
    )
    for result in failed:
        print(f"FAILED sign-in of {result.email}: {result.error}")
    return results


def _figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def rank(share: float) -> float:
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    return {
        "requests": len(ordered),
        "median": rank(0.5),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": ordered[-1],
    }


def print_table(rows: list[dict[str, object]]) -> None:
    keys = ("requests", "failures", "median", "p95", "p99", "max")
    headings = ("Requests", "Failures", "Median", "p95", "p99", "Max")
    print(f"\n{'':6} {'Request':28} " + " ".join(f"{h:>8}" for h in headings))
    for row in rows:
        values = (round(float(str(row[key]))) for key in keys)
        print(f"{row['method']!s:6} {row['name']!s:28} " + " ".join(f"{v:>8}" for v in values))


def run_locust(port: int, sessions_file: Path, work: Path) -> int:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(USERS),
        "-r",
        str(SPAWN_RATE),
        "-t",
        f"{SECONDS}s",
        "--host",
        f"http://{HOST}:{port}",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        # Straight to the server on this machine, whatever proxy the environment names.
        "NO_PROXY": HOST,
        "no_proxy": HOST,
        "E4E_LOAD_SESSIONS": str(sessions_file),
        "E4E_LOAD_SUMMARY": str(work / "summary.json"),
    }
    log = work / "locust.log"
    with log.open("wb") as out:
        # The run's own limit, should locust not stop by itself.
        code = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=out, timeout=SECONDS + 120
        ).returncode
    # Its own tables are left in the log (the summary has them); its warnings are shown.
    for line in log.read_text().splitlines():
        if any(f"/{level}/" in line for level in ("WARNING", "ERROR", "CRITICAL")):
            print(line)
    return code


def report(work: Path) -> bool:
    """Print the table; whether the run went as it should: no request failed, no error,
    and at least one contact logged."""
    path = work / "summary.json"
    if not path.exists():
        print(f"Locust wrote no summary; its output:\n{(work / 'locust.log').read_text()[-4000:]}")
        return False
    summary = json.loads(path.read_text())
    print_table([*summary["requests"], {**summary["total"], "method": "", "name": "All"}])
    print(f"{USERS} users, {SPAWN_RATE} started a second, {SECONDS} s; times in ms.")
    for row in summary["failures"]:
        print(f"FAILED {row['occurrences']}x {row['method']} {row['name']}: {row['error']}")
    for row in summary["exceptions"]:
        print(f"ERROR {row['count']}x {row['message']}\n{row['traceback']}")
    logged = sum(
        row["requests"] - row["failures"]
        for row in summary["requests"]
        if (row["method"], row["name"]) == ("POST", pages.CONTACT_NAME)
    )
    if not logged:
        print("No contact was logged.")
    return not summary["total"]["failures"] and not summary["exceptions"] and logged > 0


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="e4e-load-") as tmp:
        work = Path(tmp)
        env = server_env(work)
        prepare_database(env)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        accounts, prepared = prepare_accounts(USERS)
        try:
            if not accounts:
                print("No specialist with open cases and a known or no password to sign in.")
                return 1
            connections.close_all()
            return serve_and_load(env, accounts, work)
        finally:
            undo(prepared)


def serve_and_load(env: dict[str, str], accounts: list[Account], work: Path) -> int:
    port = free_port()
    log = work / "server.log"
    server = start_server(env, port, log)
    try:
        print(f"Serving on http://{HOST}:{port}; signing {len(accounts)} accounts in", flush=True)
        signed_in = sign_in_all(f"http://{HOST}:{port}", accounts)
        sessions = [{"email": s.email, "cookies": s.cookies} for s in signed_in if s.cookies]
        if len(sessions) < len(signed_in):
            return 1
        sessions_file = work / "sessions.json"
        sessions_file.touch(mode=0o600)
        sessions_file.write_text(json.dumps(sessions))
        print(f"\n{USERS} specialists on {len(sessions)} accounts for {SECONDS} s", flush=True)
        code = run_locust(port, sessions_file, work)
    finally:
        stop_server(server)
    passed = report(work)
    errors = [
        line
        for line in log.read_text().splitlines()
        if any(sign in line for sign in SERVER_LOG_FAILS)
    ]
    if errors:
        print(f"The server logged {len(errors)} errors; the first:\n{errors[0]}")
    return 0 if passed and not code and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
