"""AL-6: what goes into the logs. No partner-link secrets, no personal data."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client


def render(records: list[logging.LogRecord]) -> str:
    formatter = next(h.formatter for h in logging.getLogger().handlers if h.formatter)
    return "\n".join(formatter.format(record) for record in records)


@pytest.mark.django_db
def test_partner_link_tokens_never_reach_the_logs(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Zq3-secret-token-value-that-must-not-be-logged"
    with caplog.at_level(logging.INFO):
        client.get(f"/referrals/refer/{secret}/")
    lines = render(caplog.records)
    assert "/referrals/refer/[redacted]" in lines
    assert secret not in lines


@pytest.mark.django_db
@pytest.mark.parametrize("role_fixture", ["opcc", "evaluator"])
def test_an_aggregate_only_role_asking_for_a_case_raises_an_alert(
    request: pytest.FixtureRequest,
    signed_in: Any,
    specialist: Any,
    role_fixture: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.factories import CaseFactory

    case = CaseFactory(worker=specialist)
    client = signed_in(request.getfixturevalue(role_fixture))
    with caplog.at_level(logging.INFO):
        assert client.get(f"/cases/{case.pk}/").status_code == 403
        assert client.get("/referrals/").status_code == 403  # a list: no single person
    alerts = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(alerts) == 1
    assert "access.client_record_refused" in render(alerts)
    assert case.referral.first_name not in render(caplog.records)


@pytest.mark.django_db
def test_invitation_and_password_reset_tokens_never_reach_the_logs(
    client: Client, caplog: pytest.LogCaptureFixture, specialist: Any
) -> None:
    from core.services import set_password_url

    path = set_password_url(specialist).split("://", 1)[-1].split("/", 1)[-1]
    uid, token = path.rstrip("/").split("/")[-2:]
    with caplog.at_level(logging.INFO):
        client.get(f"/{path}")
        client.get(f"/set-password/{uid}/wrong-{token}/")  # a refused one is logged too
    lines = render(caplog.records)
    assert "/set-password/[redacted]/[redacted]" in lines
    assert token not in lines
