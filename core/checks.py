"""System checks that keep production settings safe."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def two_factor_required_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.DEBUG and not settings.E4E_REQUIRE_2FA:
        return [
            Error(
                "E4E_REQUIRE_2FA is off while DEBUG is off.",
                hint="Two-factor sign-in may only be switched off for a local demo (DEBUG=true).",
                id="e4e.E001",
            )
        ]
    return []
