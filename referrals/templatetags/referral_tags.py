"""Template helpers for the referral pages."""

from __future__ import annotations

from typing import Any

from django import template

from core.access import rule_for

register = template.Library()


@register.filter
def may_open(user: Any, url_name: str) -> bool:
    """Whether the access registry lets the user's role request `url_name`: pages offer
    only the links and buttons that would work, without checking roles themselves."""
    rule = rule_for(url_name)
    role = getattr(user, "role", None)
    return rule is not None and role is not None and rule.allows_role(role)


@register.filter
def days(count: int | None) -> str:
    """3 -> '3 days'; 1 -> '1 day'."""
    if count is None:
        return ""
    return f"{count} day" if count == 1 else f"{count} days"
