"""AC-1, AC-2: the access policy, written out. One line per URL name says who may request it.

`core.access.policy()` merges each app's `access_policy.py`; the walks in
test_access_policy.py take their expected answer from the rule under test, so a widened
rule would pass them. This table is the second copy: a rule that lets in a role, shuts
one out or becomes public without its line here being changed fails.

What the service intends, and what every line below follows:
- specialists work on their own cases (the object checks are walked in test_own_object_walk);
- managers do everything operational: referrals, cases, the fund, returns, data requests;
- OPCC staff see aggregates only: the signed-off returns and their downloads;
- evaluators read pseudonymised data only, never a person's record;
- administrators manage users, and see no case content.
"""

from __future__ import annotations

import pytest

from core.access import policy
from core.models import Role

SPECIALIST, MANAGER, OPCC = Role.SPECIALIST, Role.MANAGER, Role.OPCC
EVALUATOR, ADMIN = Role.EVALUATOR, Role.ADMIN
ALL = frozenset(Role)
#: Anyone, signed in or not.
PUBLIC = "public"
#: Any role once the password is accepted, before the second factor.
SIGN_IN_STEP = "sign-in step"

Access = frozenset[Role] | set[Role] | str

TABLE: dict[str, Access] = {
    # --- home pages (core:home sends each role on to its own) -----------------------------
    "core:home": ALL,
    "caseload:home": {SPECIALIST},
    "caseload:team": {MANAGER},
    "core:home-opcc": {OPCC},
    "evaluation:home": {EVALUATOR},
    "core:health": PUBLIC,
    "core:favicon": PUBLIC,
    # --- core: signing in, before and at the second factor ---------------------------------
    "accounts:sign-in": PUBLIC,
    "accounts:set-password": PUBLIC,  # the link's token is checked by the view
    "accounts:password-reset": PUBLIC,
    "accounts:password-reset-sent": PUBLIC,
    "accounts:sign-out": SIGN_IN_STEP,
    "accounts:verify": SIGN_IN_STEP,
    "accounts:enrol": SIGN_IN_STEP,
    "accounts:enrol-qr": SIGN_IN_STEP,
    "accounts:backup-codes-new": SIGN_IN_STEP,
    # --- core: one's own account ------------------------------------------------------------
    "accounts:account": ALL,
    "accounts:password-change": ALL,
    "accounts:backup-codes-regenerate": ALL,
    "accounts:api-tokens": {EVALUATOR},  # the evaluation API is the only API
    "accounts:api-token-revoke": {EVALUATOR},
    # --- core: user administration: administrators only -----------------------------------
    "users:list": {ADMIN},
    "users:invite": {ADMIN},
    "users:detail": {ADMIN},
    "users:edit": {ADMIN},
    "users:deactivate": {ADMIN},
    "users:reactivate": {ADMIN},
    "users:end-sessions": {ADMIN},
    "users:resend-invitation": {ADMIN},
    "users:reset-2fa": {ADMIN},
    # --- core: data-protection requests: managers log and answer them ---------------------
    "data-requests:list": {MANAGER},
    "data-requests:new": {MANAGER},
    "data-requests:detail": {MANAGER},
    "data-requests:pause": {MANAGER},
    "data-requests:resume": {MANAGER},
    "data-requests:extend": {MANAGER},
    "data-requests:close": {MANAGER},
    # --- referrals: managers screen and decide; specialists see those on their cases -------
    # (a specialist's list holds only the referrals whose case is theirs)
    "referrals:list": {SPECIALIST, MANAGER},
    "referrals:detail": {SPECIALIST, MANAGER},
    "referrals:new": {MANAGER},
    "caseload:waiting-list": {MANAGER},
    "referrals:set-status": {MANAGER},
    "caseload:referral-accept": {MANAGER},
    "referrals:reject": {MANAGER},
    "referrals:withdraw": {MANAGER},
    "referrals:waiting-list-add": {MANAGER},
    "privacy:erase": {MANAGER},
    "privacy:subject-access": {MANAGER},
    "referrals:links": {MANAGER},
    "referrals:link-new": {MANAGER},
    "referrals:link-created": {MANAGER},
    "referrals:link-revoke": {MANAGER},
    "referrals:partner-form": PUBLIC,  # the link's secret is checked by the view
    "referrals:partner-sent": PUBLIC,
    # the search for a person: those who open people's records (each finds only whom they
    # may open); OPCC staff, evaluators and administrators have none
    "search:people": {SPECIALIST, MANAGER},
    # --- caseload: the case and everything on it: its specialist and managers -------------
    "caseload:case-detail": {SPECIALIST, MANAGER},
    "caseload:case-assess": {SPECIALIST, MANAGER},
    "caseload:case-history": {SPECIALIST, MANAGER},
    "caseload:case-close": {SPECIALIST, MANAGER},
    "caseload:contact-new": {SPECIALIST, MANAGER},
    "caseload:contact-note": {SPECIALIST, MANAGER},
    "caseload:risk-new": {SPECIALIST, MANAGER},
    "caseload:outcome-new": {SPECIALIST, MANAGER},
    "caseload:outcome-end": {SPECIALIST, MANAGER},
    "caseload:task-done": {SPECIALIST, MANAGER},
    "caseload:record-new": {SPECIALIST, MANAGER},
    "caseload:profile-edit": {SPECIALIST, MANAGER},
    "caseload:goal-new": {SPECIALIST, MANAGER},
    "caseload:goal-edit": {SPECIALIST, MANAGER},
    "caseload:complaint-edit": {SPECIALIST, MANAGER},
    "caseload:record-detail": {SPECIALIST, MANAGER},
    "caseload:record-edit": {SPECIALIST, MANAGER},
    "caseload:disclosure-report": {SPECIALIST, MANAGER},
    "caseload:disclosure-report-pdf": {SPECIALIST, MANAGER},
    # caseload: moving a case between specialists, or opening it again: managers
    "caseload:case-reopen": {MANAGER},
    "caseload:case-reassign": {MANAGER},
    # caseload: cover during leave, given and ended by managers
    "caseload:covers": {MANAGER},
    "caseload:cover-new": {MANAGER},
    "caseload:cover-detail": {MANAGER},
    "caseload:cover-end": {MANAGER},
    # caseload: a worker's own time, and the shared employer list
    "caseload:appointment-new": {SPECIALIST, MANAGER},
    "caseload:appointment-detail": {SPECIALIST, MANAGER},
    "caseload:appointment-attended": {SPECIALIST, MANAGER},
    "caseload:appointment-missed": {SPECIALIST, MANAGER},
    "caseload:appointment-cancel": {SPECIALIST, MANAGER},
    "caseload:diary": {SPECIALIST, MANAGER},
    "caseload:team-diary": {MANAGER},
    "caseload:calendar-feed": {SPECIALIST, MANAGER},
    "caseload:calendar-feed-ics": PUBLIC,
    "caseload:case-reminders": {SPECIALIST, MANAGER},
    "caseload:notify-delivery-receipt": PUBLIC,
    "caseload:notify-received": PUBLIC,
    "caseload:admin-time-new": {SPECIALIST, MANAGER},
    "caseload:employers": {SPECIALIST, MANAGER},
    "caseload:employer-new": {SPECIALIST, MANAGER},
    "caseload:employer-contact-new": {SPECIALIST, MANAGER},
    # --- enterprise fund: the fund itself: managers ---------------------------------------
    "enterprise_fund:fund": {MANAGER},
    "enterprise_fund:fund-create": {MANAGER},
    "enterprise_fund:fund-adjust": {MANAGER},
    # enterprise fund: bids on a case: its specialist and managers
    # (a specialist's list holds only the bids on their own cases)
    "enterprise_fund:applications": {SPECIALIST, MANAGER},
    "enterprise_fund:case-applications": {SPECIALIST, MANAGER},
    "enterprise_fund:application-new": {SPECIALIST, MANAGER},
    "enterprise_fund:application-detail": {SPECIALIST, MANAGER},
    "enterprise_fund:application-edit": {SPECIALIST, MANAGER},
    "enterprise_fund:attachment-new": {SPECIALIST, MANAGER},
    "enterprise_fund:attachment-download": {SPECIALIST, MANAGER},
    "enterprise_fund:application-submit": {SPECIALIST, MANAGER},
    "enterprise_fund:business-start": {SPECIALIST, MANAGER},
    "enterprise_fund:income-new": {SPECIALIST, MANAGER},
    "enterprise_fund:business-stop": {SPECIALIST, MANAGER},
    # enterprise fund: assessing, deciding and paying: managers
    "enterprise_fund:application-assess": {MANAGER},
    "enterprise_fund:application-decide": {MANAGER},
    "enterprise_fund:payment-new": {MANAGER},
    # --- reporting: the returns: managers run them ----------------------------------------
    "reporting:dashboard": {MANAGER},
    "reporting:return-list": {MANAGER},
    "reporting:return-start": {MANAGER},
    "reporting:return-detail": {MANAGER},
    "reporting:return-status": {MANAGER},
    "reporting:return-narrative": {MANAGER},
    "reporting:return-sign-off": {MANAGER},
    "reporting:return-correction": {MANAGER},
    "reporting:return-rebuild": {MANAGER},
    "reporting:job-retry": {MANAGER},
    # reporting: the update on each active case: its specialist writes and submits it, a
    # manager reviews it; the OPCC reads it only in the signed-off PDF, evaluators never
    "reporting:case-updates": {SPECIALIST},
    "reporting:case-update": {SPECIALIST, MANAGER},
    "reporting:case-update-submit": {SPECIALIST},
    "reporting:case-update-review": {MANAGER},
    # reporting: the OPCC's aggregates: signed-off returns (a draft is 404 to them)
    "reporting:opcc-returns": {OPCC},
    "reporting:return-pdf": {MANAGER, OPCC},
    "reporting:return-csv": {MANAGER, OPCC},
    # reporting: IPS fidelity reviews
    "reporting:fidelity-list": {MANAGER},
    "reporting:fidelity-new": {MANAGER},
    "reporting:fidelity-detail": {MANAGER},
    # legacy_import: importing the history kept before the service
    "legacy_import:list": {MANAGER},
    "legacy_import:upload": {MANAGER},
    "legacy_import:detail": {MANAGER},
    "legacy_import:confirm": {MANAGER},
    # evaluation, pseudonymised: evaluators only (GET only: they only read)
    "evaluation:records": {EVALUATOR},
    "evaluation:record": {EVALUATOR},
    "evaluation:extract": {EVALUATOR},
    "evaluation:figures": {EVALUATOR},
    "evaluation:data": {EVALUATOR},
    "evaluation:api-records": {EVALUATOR},
    "evaluation:api-record": {EVALUATOR},
    "evaluation:api-figures": {EVALUATOR},
    "evaluation:api-schema": {EVALUATOR},
}


def roles_allowed(access: Access) -> frozenset[Role]:
    if access in (PUBLIC, SIGN_IN_STEP):
        return ALL
    assert not isinstance(access, str), f"unknown access {access!r}"
    return frozenset(access)


def test_the_table_names_every_url_with_a_rule_and_no_other() -> None:
    without_a_line = sorted(policy().keys() - TABLE.keys())
    stale = sorted(TABLE.keys() - policy().keys())
    assert without_a_line == [], (
        "URL names with an access rule but no line in TABLE (tests/core/test_access_table.py): "
        f"{without_a_line}. "
        "Add a line for each, saying which roles may request it."
    )
    assert stale == [], f"Lines in TABLE for URL names with no access rule: {stale}"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_rule_lets_in_exactly_the_roles_in_the_table(name: str, role: Role) -> None:
    rule = policy().get(name)
    assert rule is not None, f"{name} is in TABLE but has no access rule"
    expected = role in roles_allowed(TABLE[name])
    assert rule.allows_role(role) == expected, (
        f"{name}: the rule {'lets in' if rule.allows_role(role) else 'refuses'} {role.value}, "
        f"the table says it should {'let in' if expected else 'refuse'} them"
    )


@pytest.mark.parametrize("name", sorted(TABLE))
def test_public_and_sign_in_step_pages_are_those_in_the_table(name: str) -> None:
    rule = policy().get(name)
    assert rule is not None, f"{name} is in TABLE but has no access rule"
    access = TABLE[name]
    assert rule.public == (access == PUBLIC), (
        f"{name}: the rule says public={rule.public}, the table says {access!r}"
    )
    assert rule.before_second_factor == (access == SIGN_IN_STEP), (
        f"{name}: the rule says before_second_factor={rule.before_second_factor}, "
        f"the table says {access!r}"
    )
