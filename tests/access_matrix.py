"""What the access tests need to know about each URL: sample arguments and the status an
allowed GET gives when it is not 200. A URL with arguments must have an entry here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from core.models import Role, User
from tests.caseload import url_samples as caseload_samples
from tests.enterprise_fund import url_samples as fund_samples
from tests.referrals import url_samples as referral_samples
from tests.reporting import url_samples as reporting_samples

APP_SAMPLES = [referral_samples, caseload_samples, fund_samples, reporting_samples]

#: URL name -> function(cast) -> kwargs for reverse().
URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    "users:detail": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "users:edit": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "users:deactivate": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "users:reactivate": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "users:end-sessions": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "users:resend-invitation": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "users:reset-2fa": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "accounts:set-password": lambda cast: {"uidb64": "MQ", "token": "not-a-token"},
}


def _data_request(cast: dict[str, User]) -> dict[str, Any]:
    import datetime

    from privacy.models import DataRequest

    request = DataRequest.objects.create(
        reference=f"DPR-2026-{DataRequest.objects.count() + 1:03d}",
        kind=DataRequest.Kind.ACCESS,
        received_date=datetime.date(2026, 11, 2),
        logged_by=cast[Role.MANAGER],
    )
    return {"pk": request.pk}


for _name in ("detail", "pause", "resume", "extend", "close"):
    URL_KWARGS[f"data-requests:{_name}"] = _data_request


def _api_token(cast: dict[str, User]) -> dict[str, Any]:
    from core.api_tokens import api_token_create

    token, _secret = api_token_create(user=cast[Role.EVALUATOR], name="Sample")
    return {"pk": token.pk}


URL_KWARGS["accounts:api-token-revoke"] = _api_token

#: URL name -> status of a GET by an allowed role, where it is not 200.
GET_STATUS: dict[str, int] = {
    "core:home": 302,
    "core:home-opcc": 302,  # on to the signed-off returns
    "core:favicon": 301,
    "accounts:verify": 302,  # already past the second factor: on to the home page
    "accounts:enrol": 302,  # already has an authenticator
    "accounts:enrol-qr": 404,  # no enrolment in progress
    "accounts:backup-codes-new": 302,  # no new codes to show
    "accounts:set-password": 410,  # the sample link is not valid
    "users:reactivate": 405,
    "users:end-sessions": 405,
    "users:resend-invitation": 405,
    "data-requests:pause": 405,
    "data-requests:resume": 405,
    "data-requests:extend": 405,
    "data-requests:close": 405,
}


for _samples in APP_SAMPLES:
    URL_KWARGS.update(_samples.URL_KWARGS)
    GET_STATUS.update(_samples.GET_STATUS)

#: URL name -> status of a GET by a signed-in user, where it differs from GET_STATUS.
SIGNED_IN_GET_STATUS: dict[str, int] = {
    "accounts:sign-in": 302,  # already signed in: on to the home page
}


def named_url_patterns() -> list[str]:
    """Every named URL the project serves, as `namespace:name`."""
    names: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names
