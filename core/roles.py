from __future__ import annotations

from core.models import Role

#: Where each role lands after signing in.
HOME_URL_NAMES: dict[str, str] = {
    Role.SPECIALIST: "caseload:home",
    Role.MANAGER: "caseload:team",
    Role.OPCC: "reporting:opcc-returns",
    Role.EVALUATOR: "evaluation:home",
    Role.ADMIN: "users:list",
}


def home_url_name(role: str) -> str:
    return HOME_URL_NAMES[role]
