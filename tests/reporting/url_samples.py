"""For the access tests: sample URL arguments and non-200 GET statuses of this app's URLs.

See tests/access_matrix.py for what each dict means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from e4e.models import User

URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {}
GET_STATUS: dict[str, int] = {}
