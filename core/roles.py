from __future__ import annotations

from core.models import Role

#: Where each role lands after signing in.
HOME_URL_NAMES: dict[str, str] = {
    Role.SPECIALIST: "core:home-specialist",
    Role.MANAGER: "core:home-manager",
    Role.OPCC: "reporting:opcc-returns",
    Role.EVALUATOR: "core:home-evaluator",
    Role.ADMIN: "users:list",
}


def home_url_name(role: str) -> str:
    return HOME_URL_NAMES[role]
