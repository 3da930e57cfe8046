"""What every write to a return checks first: that a manager is making it, and that the
return is still a draft (locked while it is read, so that a sign-off cannot slip in between)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.models import Role, User
from reporting.models import QuarterlyReturn

FROZEN_MESSAGE = (
    "This return has been signed off and can no longer change. "
    "To change it, start a correction: a new version of the return."
)


def lock_return(quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    return QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)


def require_manager(user: User) -> None:
    if user.role != Role.MANAGER:
        raise ValidationError("Only a manager can do this.", code="not_manager")
