from __future__ import annotations

from enterprise_fund.models import Fund


def current_fund() -> Fund | None:
    """The configured fund (the service has one pot at a time)."""
    return Fund.objects.order_by("-pk").first()
