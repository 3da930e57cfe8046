"""Access rules for the reporting URLs; found by core.access.policy().

Managers run the returns; OPCC staff see signed-off returns and download them. Evaluators
read pseudonymised records, the extract, the live figures and the API (GET only: the
middleware refuses anything else to them). Whether a
given return may be seen (OPCC: signed off only) is decided by
reporting.selectors.get_return_for, which answers 404 otherwise.
"""

from __future__ import annotations

from core.access import Rule, allow
from core.models import Role

MANAGER, OPCC, EVALUATOR = Role.MANAGER, Role.OPCC, Role.EVALUATOR

RULES: dict[str, Rule] = {
    "reporting:dashboard": allow(MANAGER),
    "reporting:return-list": allow(MANAGER),
    "reporting:return-start": allow(MANAGER),
    "reporting:return-detail": allow(MANAGER, own_object=True),
    "reporting:return-status": allow(MANAGER, own_object=True),
    "reporting:return-narrative": allow(MANAGER, own_object=True),
    "reporting:return-sign-off": allow(MANAGER, own_object=True),
    "reporting:return-correction": allow(MANAGER, own_object=True),
    "reporting:job-retry": allow(MANAGER, own_object=True),
    "reporting:return-pdf": allow(MANAGER, OPCC, own_object=True),
    "reporting:return-csv": allow(MANAGER, OPCC, own_object=True),
    "reporting:opcc-returns": allow(OPCC),
    "reporting:import-list": allow(Role.MANAGER),
    "reporting:import-upload": allow(Role.MANAGER),
    "reporting:import-detail": allow(Role.MANAGER),
    "reporting:import-confirm": allow(Role.MANAGER),
    "reporting:evaluation-records": allow(EVALUATOR, client_scoped=True),
    "reporting:evaluation-record": allow(EVALUATOR, client_scoped=True),
    "reporting:evaluation-extract": allow(EVALUATOR, client_scoped=True),
    "reporting:evaluation-figures": allow(EVALUATOR),
    "reporting:evaluation-data": allow(EVALUATOR),
    "reporting:api-records": allow(EVALUATOR, client_scoped=True),
    "reporting:api-record": allow(EVALUATOR, client_scoped=True),
    "reporting:api-figures": allow(EVALUATOR),
    "reporting:api-schema": allow(EVALUATOR),
}
