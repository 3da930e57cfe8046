"""Access rules for the privacy URLs (found by core.access.policy()): managers log
data-protection requests and answer them."""

from __future__ import annotations

from core.access import Rule, allow
from core.models import Role

MANAGER = Role.MANAGER

RULES: dict[str, Rule] = {
    # Data-protection requests: managers log them and answer them.
    "data-requests:list": allow(MANAGER),
    "data-requests:new": allow(MANAGER),
    "data-requests:detail": allow(MANAGER),
    "data-requests:pause": allow(MANAGER),
    "data-requests:resume": allow(MANAGER),
    "data-requests:extend": allow(MANAGER),
    "data-requests:close": allow(MANAGER),
    # A person's whole record, downloaded or erased: from their referral page.
    "privacy:erase": allow(MANAGER, client_scoped=True),
    "privacy:subject-access": allow(MANAGER, client_scoped=True),
}
