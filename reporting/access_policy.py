"""Access rules for the reporting URLs; found by core.access.policy().

Managers run the returns; OPCC staff see signed-off returns and download them. Evaluators
read pseudonymised records, the extract, the live figures and the API (GET only: the
middleware refuses anything else to them). Whether a
given return may be seen (OPCC: signed off only) is decided by
reporting.selectors.get_return_for, which answers 404 otherwise.

The update on each case active in a return's quarter is written and submitted by the
case's specialist and reviewed by a manager; the OPCC reads it only in the signed-off PDF,
evaluators never. Which update a specialist may open (their cases', on draft returns) is
decided by reporting.selectors.get_case_update_for, which answers 404 otherwise.
"""

from __future__ import annotations

from core.access import Rule, allow
from core.models import Role

MANAGER, OPCC, SPECIALIST = Role.MANAGER, Role.OPCC, Role.SPECIALIST

RULES: dict[str, Rule] = {
    "reporting:dashboard": allow(MANAGER),
    "reporting:return-list": allow(MANAGER),
    "reporting:return-start": allow(MANAGER),
    "reporting:return-detail": allow(MANAGER, own_object=True),
    "reporting:return-status": allow(MANAGER, own_object=True),
    "reporting:return-narrative": allow(MANAGER, own_object=True),
    "reporting:return-sign-off": allow(MANAGER, own_object=True),
    "reporting:return-correction": allow(MANAGER, own_object=True),
    # Managers sign returns off, so they (only) rebuild a signed-off return's files.
    "reporting:return-rebuild": allow(MANAGER, own_object=True),
    "reporting:job-retry": allow(MANAGER, own_object=True),
    "reporting:return-pdf": allow(MANAGER, OPCC, own_object=True),
    "reporting:return-csv": allow(MANAGER, OPCC, own_object=True),
    "reporting:opcc-returns": allow(OPCC),
    # The update on each case active in a return's quarter: a person's record, under a
    # pseudonym. Its specialist writes and submits it; a manager reviews it.
    "reporting:case-updates": allow(SPECIALIST),
    "reporting:case-update": allow(SPECIALIST, MANAGER, own_object=True, client_scoped=True),
    "reporting:case-update-submit": allow(SPECIALIST, own_object=True, client_scoped=True),
    "reporting:case-update-review": allow(MANAGER, own_object=True, client_scoped=True),
    "reporting:fidelity-list": allow(MANAGER),
    "reporting:fidelity-new": allow(MANAGER),
    "reporting:fidelity-detail": allow(MANAGER),
}
