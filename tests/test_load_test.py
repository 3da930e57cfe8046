"""The load test (bench/load.py) sends what the pages ask for.

Its simulated specialists read each form from the page and post it back (bench/pages.py):
here the same reading and posting goes through Django's test client, CSRF checks on, so a
change to the sign-in, the code or the contact form that the load test would trip on fails
here rather than as a run full of errors.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import pages
from caseload.models import Contact
from core.models import User
from tests.factories import PASSWORD, CaseFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_a_simulated_specialist_signs_in_and_logs_one_contact_per_form(
    specialist: User, settings: Any
) -> None:
    settings.E4E_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(
        user=specialist, name="Load test", confirmed=True, tolerance=1
    )
    case = CaseFactory(worker=specialist)
    case_path = f"/cases/{case.pk}/"
    browser = Client(enforce_csrf_checks=True)

    sign_in = browser.get(pages.SIGN_IN).text
    to_code = browser.post(
        pages.SIGN_IN, pages.sign_in_post(sign_in, email=specialist.email, password=PASSWORD)
    )
    assert urlsplit(to_code["Location"]).path == pages.CODE
    code_page = browser.get(to_code["Location"]).text
    home = browser.post(pages.CODE, pages.code_post(code_page, hex_key=device.key))
    assert urlsplit(home["Location"]).path == pages.CASELOAD
    assert pages.case_paths(browser.get(home["Location"]).text) == [case_path]

    form = browser.get(pages.contact_path(case_path)).text
    data = pages.contact_post(form, rng=random.Random(1))
    logged = browser.post(pages.contact_path(case_path), data)
    assert (logged.status_code, logged["Location"]) == (302, case_path)
    assert pages.CONTACT_LOGGED in browser.get(case_path).text
    # The form's one-time key went with it: the same post again writes nothing.
    browser.post(pages.contact_path(case_path), data)
    assert Contact.objects.filter(case=case).count() == 1


def test_the_locustfile_loads_and_declares_the_specialist() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Specialist" in result.stdout.split()
