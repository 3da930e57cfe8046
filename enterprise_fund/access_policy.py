"""Access rules for the enterprise fund URLs, merged into e4e/access_policy.py."""

from __future__ import annotations

from e4e.access import Rule

RULES: dict[str, Rule] = {}
