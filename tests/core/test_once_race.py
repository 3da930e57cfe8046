"""The same create form sent many times at the same moment saves once (PostgreSQL only)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from caseload.models import Contact
from core import once
from core.models import Role
from tests.caseload.test_contacts import contact_data
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory
from tests.postgresql import require_postgresql

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    require_postgresql("SQLite takes one writer at a time, so nothing races there")


def test_one_contact_form_sent_eight_times_at_once_logs_one_contact() -> None:
    today = datetime.date.today()
    worker = UserFactory(role=Role.SPECIALIST)
    case = CaseFactory(
        worker=worker,
        referral__received_date=today - datetime.timedelta(days=40),
        referral__decision_date=today - datetime.timedelta(days=30),
        start_date=today - datetime.timedelta(days=29),
    )
    url = reverse("caseload:contact-new", args=[case.pk])
    key = once.new_key()
    clients = [sign_in(Client(), worker) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    answers: list[str] = []
    lock = threading.Lock()

    def send(client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(url, contact_data(once_key=key))
            with lock:
                answers.append(response["Location"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=[client]) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Contact.objects.filter(case=case).count() == 1
    assert answers == [reverse("caseload:case-detail", args=[case.pk])] * THREADS
