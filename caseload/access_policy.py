"""Access rules for the caseload URLs; merged into the one registry in e4e/access_policy.py."""

from __future__ import annotations

from e4e.access import Rule

RULES: dict[str, Rule] = {}
