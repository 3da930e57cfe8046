"""Production settings: start-up guards, deploy checks, headers (HD-1, HD-2, HD-4, HD-7,
AU-4, AU-5, SE-7)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from core.models import User

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "production-like-secret-key-for-tests-0123456789-abcdefghijklmnop",
    "E4E_PSEUDONYM_KEY": "production-like-pseudonym-key-for-tests",
    "ALLOWED_HOSTS": "e4e.example.org",
    "DATABASE_URL": "postgres://e4e:x@db.example.org:5432/e4e?sslmode=verify-full",
    "EMAIL_URL": "smtp+tls://mailer:x@smtp.example.org:587",
}


def run_django(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("E4E_", "DJANGO_"))}
    clean.pop("DEBUG", None)
    clean.pop("SECRET_KEY", None)
    clean.update({"E4E_ENV_FILE": "", "DJANGO_SETTINGS_MODULE": "e4e.settings", **env})
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_setting(expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run_django(["-c", code], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_missing_secret_key_stops_start_up_with_a_clear_message() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_django(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings() -> None:
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_two_factor_cannot_be_switched_off_in_production() -> None:
    result = run_django(["manage.py", "check"], {**PRODUCTION_ENV, "E4E_REQUIRE_2FA": "false"})
    assert result.returncode != 0
    assert "e4e.E001" in result.stderr


def test_the_demo_may_switch_two_factor_off() -> None:
    result = run_django(["manage.py", "check"], {"DEBUG": "true", "E4E_REQUIRE_2FA": "false"})
    assert result.returncode == 0, result.stderr


def test_production_cookies_are_secure_host_only_and_samesite() -> None:
    values = production_setting(
        "settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,"
        " settings.SESSION_COOKIE_SAMESITE, settings.SESSION_COOKIE_AGE,"
        " settings.SESSION_SAVE_EVERY_REQUEST, settings.SECURE_HSTS_SECONDS,"
        " settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.PASSWORD_HASHERS[0]"
    )
    assert values == (
        "__Host-sessionid __Host-csrftoken True True True Lax 1800 True 31536000 True "
        "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    )


def test_the_database_connection_verifies_tls_in_production() -> None:
    assert production_setting("settings.DATABASES['default']['OPTIONS']['sslmode']") == (
        "verify-full"
    )


def test_password_policy_is_12_characters_and_no_common_passwords() -> None:
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "CommonPasswordValidator" in names
    minimum = next(
        v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("MinimumLengthValidator")
    )
    assert minimum["OPTIONS"]["min_length"] >= 12


def test_lockout_has_a_cool_off_and_a_limit_of_ten() -> None:
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME is not None
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.django_db
def test_every_page_sends_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert "unsafe-inline" not in csp
    nonce = directives["script-src"].split("'nonce-")[1].rstrip("'")
    body = response.content.decode()
    assert body.count("<script") == body.count(f'nonce="{nonce}"')
    assert "style=" not in body and "<style" not in body


@pytest.mark.django_db
def test_security_headers_are_present(client: Client) -> None:
    response = client.get("/sign-in/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unexpected_error_shows_a_plain_page_without_detail(
    monkeypatch: pytest.MonkeyPatch, signed_in: Callable[..., Client], evaluator: User
) -> None:
    from evaluation import views as evaluation_views

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(evaluation_views, "render", explode)
    client = signed_in(evaluator)
    client.raise_request_exception = False
    response = client.get("/reporting/evaluation/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "hunter2" not in body and "Traceback" not in body and "SECRET" not in body


@pytest.mark.django_db
def test_an_unknown_page_gives_a_plain_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
