"""Access rules for the referrals URLs; found by core.access.policy().

Managers screen and decide; specialists may open the referrals whose case is theirs
(get_referral_for gives 404 for any other); OPCC staff, evaluators and administrators
see no referral. The partner form is public: its link's secret is checked by the view.

The search for a person is the same split: specialists and managers search, and find only
whom they may open (referrals.search reads referrals_visible_to); OPCC staff, evaluators
and administrators have no search (one asking for it raises the alert of a client URL).
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
    "referrals:waiting-list-add": allow(MANAGER, client_scoped=True),
    "referrals:reject": allow(MANAGER, client_scoped=True),
    "referrals:withdraw": allow(MANAGER, client_scoped=True),
    "referrals:links": allow(MANAGER),
    "referrals:link-new": allow(MANAGER),
    "referrals:link-created": allow(MANAGER),
    "referrals:link-revoke": allow(MANAGER),
    "referrals:partner-form": PUBLIC,
    "referrals:partner-sent": PUBLIC,
    "search:people": allow(MANAGER, SPECIALIST, client_scoped=True),
}
