from __future__ import annotations

from django.db.models import QuerySet

from core.models import Role, User
from core.system_user import SYSTEM_EMAIL


def users_for_admin() -> QuerySet[User]:
    return User.objects.exclude(email=SYSTEM_EMAIL).order_by("-is_active", "full_name", "email")


def workers_with_capacity() -> QuerySet[User]:
    """Active people who can hold cases: specialists and managers with an FTE."""
    return User.objects.filter(
        is_active=True, role__in=Role.with_caseload(), fte__isnull=False
    ).order_by("full_name")
