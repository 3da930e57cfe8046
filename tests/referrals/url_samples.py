"""For the access tests: sample URL arguments and non-200 GET statuses of this app's URLs.

See tests/access_matrix.py for what each dict means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.models import Role, User


def _undecided(cast: dict[str, User]) -> dict[str, Any]:
    from tests.factories import ReferralFactory

    return {"pk": ReferralFactory().pk}


def _specialists_own(cast: dict[str, User]) -> dict[str, Any]:
    """A referral accepted to the cast's specialist: visible to them and to managers."""
    from tests.factories import CaseFactory

    return {"pk": CaseFactory(worker=cast[Role.SPECIALIST], start_date=None).referral.pk}


def _link(cast: dict[str, User]) -> dict[str, Any]:
    from referrals.services import partner_link_create

    link, _token = partner_link_create(
        organisation="Sample partner", source="police", valid_days=30, by=cast[Role.MANAGER]
    )
    return {"pk": link.pk}


def _link_token(cast: dict[str, User]) -> dict[str, Any]:
    from referrals.services import partner_link_create

    _link, token = partner_link_create(
        organisation="Sample partner", source="police", valid_days=30, by=cast[Role.MANAGER]
    )
    return {"token": token}


URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    "referrals:detail": _specialists_own,
    "referrals:set-status": _undecided,
    "caseload:referral-accept": _undecided,
    "referrals:reject": _undecided,
    "referrals:withdraw": _undecided,
    "referrals:waiting-list-add": _undecided,
    "privacy:erase": _undecided,
    "privacy:subject-access": _undecided,
    "referrals:link-created": _link,
    "referrals:link-revoke": _link,
    "referrals:partner-form": _link_token,
    "referrals:partner-sent": _link_token,
}
GET_STATUS: dict[str, int] = {
    "referrals:set-status": 405,  # POST only
    "referrals:partner-sent": 302,  # nothing sent in this session: back to the form
}
