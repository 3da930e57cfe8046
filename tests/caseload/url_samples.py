"""For the access tests: sample URL arguments and non-200 GET statuses of this app's URLs.

See tests/access_matrix.py for what each dict means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from e4e.models import Role, User


def _awaiting_case(cast: dict[str, User]) -> dict[str, Any]:
    from tests.factories import CaseFactory

    return {"pk": CaseFactory(worker=cast[Role.SPECIALIST], start_date=None).pk}


URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    "caseload:case-detail": _awaiting_case,
    "caseload:case-assess": _awaiting_case,
}
GET_STATUS: dict[str, int] = {}
