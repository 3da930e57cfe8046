"""Access rules for the referrals URLs; found by core.access.policy().

Managers screen and decide; specialists may open the referrals whose case is theirs
(get_referral_for gives 404 for any other); OPCC staff, evaluators and administrators
see no referral. The partner form is public: its link's secret is checked by the view.
"""

from __future__ import annotations

from core.access import PUBLIC, Rule, allow
from core.models import Role

MANAGER, SPECIALIST = Role.MANAGER, Role.SPECIALIST

RULES: dict[str, Rule] = {
    "referrals:list": allow(MANAGER, SPECIALIST),
    "referrals:new": allow(MANAGER),
    "referrals:detail": allow(MANAGER, SPECIALIST, own_object=True, client_scoped=True),
    "referrals:set-status": allow(MANAGER),
    "referrals:reject": allow(MANAGER, client_scoped=True),
    "referrals:withdraw": allow(MANAGER, client_scoped=True),
    "referrals:links": allow(MANAGER),
    "referrals:link-new": allow(MANAGER),
    "referrals:link-created": allow(MANAGER),
    "referrals:link-revoke": allow(MANAGER),
    "referrals:partner-form": PUBLIC,
    "referrals:partner-sent": PUBLIC,
}
