"""Access rules of the legacy import's pages (found by core.access.policy()): managers
only, who alone may import."""

from __future__ import annotations

from core.access import Rule, allow
from core.models import Role

RULES: dict[str, Rule] = {
    "legacy_import:list": allow(Role.MANAGER),
    "legacy_import:upload": allow(Role.MANAGER),
    "legacy_import:detail": allow(Role.MANAGER),
    "legacy_import:confirm": allow(Role.MANAGER),
}
