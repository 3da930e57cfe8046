"""Access rules for the evaluators' URLs (found by core.access.policy()): evaluators only,
read-only (the middleware refuses them anything but GET), pseudonymised records."""

from __future__ import annotations

from core.access import Rule, allow
from core.models import Role

EVALUATOR = Role.EVALUATOR

RULES: dict[str, Rule] = {
    "evaluation:home": allow(EVALUATOR),
    "evaluation:records": allow(EVALUATOR, client_scoped=True),
    "evaluation:record": allow(EVALUATOR, client_scoped=True),
    "evaluation:extract": allow(EVALUATOR, client_scoped=True),
    "evaluation:figures": allow(EVALUATOR),
    "evaluation:data": allow(EVALUATOR),
    "evaluation:api-records": allow(EVALUATOR, client_scoped=True),
    "evaluation:api-record": allow(EVALUATOR, client_scoped=True),
    "evaluation:api-figures": allow(EVALUATOR),
    "evaluation:api-schema": allow(EVALUATOR),
}
