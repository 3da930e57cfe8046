"""What the fund's services share: the application row lock, the one-time token of a form,
and saving with validation and history."""

from __future__ import annotations

from typing import Any

import structlog
from django.core.exceptions import ValidationError

from core import history
from core.models import User
from enterprise_fund.models import FundApplication

logger = structlog.get_logger("e4e.fund")

LOCKED = (
    "This application has been submitted, so its content cannot change. A manager can ask "
    "for more information, which opens it for changes again."
)


class StaleForm(ValidationError):
    """The form was made for an earlier state of the application (posted twice, or someone
    else acted first): refused, so that one click never does a thing twice (CI-4)."""

    def __init__(self) -> None:
        super().__init__(
            "This application has changed since you opened this page: someone may have acted "
            "on it already, or the form was sent twice. Check the application and try again.",
            code="stale",
        )


def lock_application(application: FundApplication) -> FundApplication:
    return FundApplication.objects.select_for_update().get(pk=application.pk)


def save_checked(instance: Any, by: User | None, reason: str = "") -> None:
    instance.full_clean()
    history.save(instance, by=by, reason=reason[:100])


def check_version(application: FundApplication, version: int | None) -> None:
    if version is None or version != application.version:
        raise StaleForm
