"""AL-6: what goes into the logs. No partner-link secrets, no personal data."""

from __future__ import annotations

import logging

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
