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


@register()
def every_job_kind_says_how_it_is_sent_again(app_configs: Any, **kwargs: Any) -> list[Error]:
    from core.jobs import job_models_without_hooks

    return [
        Error(
            f"{model._meta.label} is a BackgroundJob without {', '.join(missing)}.",
            hint="Define job_task() (a classmethod), wait_again(now, interrupted) and "
            "give_up(now), so the sweep can send its jobs again or fail them "
            "(core.jobs.JobKind).",
            id="e4e.E002",
        )
        for model, missing in job_models_without_hooks()
    ]
