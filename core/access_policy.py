"""The core's access rules: every core URL name -> who may request it.

Every URL the project serves must have a rule in the `RULES` of some app's
`access_policy.py` (found by `core.access.policy()`); the test suite walks the URL
patterns and fails on any name missing, and the middleware refuses (403) a URL that has
no rule. Add the rule in the same change as the URL.
"""

from __future__ import annotations

from core.access import ANY_ROLE, OWN_ACCOUNT, PUBLIC, SIGN_IN_STEP, Rule, allow
from core.models import Role

SPECIALIST, MANAGER, OPCC = Role.SPECIALIST, Role.MANAGER, Role.OPCC
EVALUATOR, ADMIN = Role.EVALUATOR, Role.ADMIN

RULES: dict[str, Rule] = {
    # Core
    "core:home": ANY_ROLE,
    "core:home-opcc": allow(OPCC),
    "core:health": PUBLIC,
    "core:favicon": PUBLIC,
    # Signing in and the account itself
    "accounts:sign-in": PUBLIC,
    "accounts:sign-out": SIGN_IN_STEP,
    "accounts:verify": SIGN_IN_STEP,
    "accounts:enrol": SIGN_IN_STEP,
    "accounts:enrol-qr": SIGN_IN_STEP,
    "accounts:backup-codes-new": SIGN_IN_STEP,
    "accounts:set-password": PUBLIC,
    "accounts:password-reset": PUBLIC,
    "accounts:password-reset-sent": PUBLIC,
    "accounts:account": OWN_ACCOUNT,
    "accounts:password-change": OWN_ACCOUNT,
    "accounts:backup-codes-regenerate": OWN_ACCOUNT,
    "accounts:api-tokens": allow(EVALUATOR, own_account=True),
    "accounts:api-token-revoke": allow(EVALUATOR, own_account=True),
    # User administration
    "users:list": allow(ADMIN),
    "users:invite": allow(ADMIN),
    "users:detail": allow(ADMIN),
    "users:edit": allow(ADMIN),
    "users:deactivate": allow(ADMIN),
    "users:reactivate": allow(ADMIN),
    "users:end-sessions": allow(ADMIN),
    "users:resend-invitation": allow(ADMIN),
    "users:reset-2fa": allow(ADMIN),
}
