"""What an upload may do to accounts: nothing that gives anyone access.

An upload (by a manager, on the page) may not create a manager's account nor change an
existing account's email or role: that would let a manager mint, or take over, the account
that gives a second approval of a fund award. Only the command line may (run by an
administrator). Imported accounts have no password until an administrator invites them.
"""

from __future__ import annotations

from typing import Any

from core.models import Role, User


def upload_refusal(existing: User | None, wanted: dict[str, Any]) -> tuple[str, str] | None:
    """(column, message) when an upload may not write this worker row, else None."""
    if existing is None:
        if wanted["role"] == Role.MANAGER:
            return (
                "role",
                "an upload cannot create a manager's account: an administrator imports "
                "managers with the import_legacy command, or adds them on the Users page",
            )
        return None
    changed = [field for field in ("email", "role") if getattr(existing, field) != wanted[field]]
    if changed:
        return (
            changed[0],
            f"an upload cannot change an existing account's {' or '.join(changed)}: an "
            "administrator changes accounts on the Users page",
        )
    return None
