"""Access rules for the enterprise fund URLs, found by core.access.policy().

Specialists work on bids on their own cases (the views fetch every bid through
get_application_for, so another worker's is 404); managers see every bid, decide them and
record payments. OPCC staff, evaluators and administrators have no fund pages: the OPCC
return's fund section is computed by reporting.
"""

from __future__ import annotations

from core.access import Rule, allow
from core.models import Role

CASE_WORKERS = (Role.SPECIALIST, Role.MANAGER)
_OWN_CASE = allow(*CASE_WORKERS, own_object=True, client_scoped=True)
_MANAGERS_ON_A_CASE = allow(Role.MANAGER, client_scoped=True)

RULES: dict[str, Rule] = {
    "enterprise_fund:fund": allow(Role.MANAGER),
    "enterprise_fund:fund-create": allow(Role.MANAGER),
    "enterprise_fund:fund-adjust": allow(Role.MANAGER),
    "enterprise_fund:applications": allow(*CASE_WORKERS, client_scoped=True),
    "enterprise_fund:case-applications": _OWN_CASE,
    "enterprise_fund:application-new": _OWN_CASE,
    "enterprise_fund:application-detail": _OWN_CASE,
    "enterprise_fund:application-edit": _OWN_CASE,
    "enterprise_fund:attachment-new": _OWN_CASE,
    "enterprise_fund:attachment-download": _OWN_CASE,
    "enterprise_fund:application-submit": _OWN_CASE,
    "enterprise_fund:application-assess": _MANAGERS_ON_A_CASE,
    "enterprise_fund:application-decide": _MANAGERS_ON_A_CASE,
    "enterprise_fund:payment-new": _MANAGERS_ON_A_CASE,
    "enterprise_fund:business-start": _OWN_CASE,
    "enterprise_fund:income-new": _OWN_CASE,
    "enterprise_fund:business-stop": _OWN_CASE,
}
