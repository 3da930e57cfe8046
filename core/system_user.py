"""The named system user that history records for changes made by tasks and commands."""

from __future__ import annotations

from core.models import Role, User

SYSTEM_EMAIL = "system@e4e.invalid"


def system_user() -> User:
    user, _ = User.objects.get_or_create(
        email=SYSTEM_EMAIL,
        defaults={"full_name": "E4E Case system", "role": Role.ADMIN, "is_active": False},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
