from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from core.access import may, rule_for, second_factor_redirect
from core.roles import home_url_name

# (label, URL name, URL-name prefixes that mark the item as current). Only items whose
# rule admits the user's role are shown.
NAVIGATION: list[tuple[str, str, tuple[str, ...]]] = [
    ("Diary", "caseload:diary", ("caseload:diary", "caseload:appointment")),
    ("Referrals", "referrals:list", ("referrals:",)),
    ("Employers", "caseload:employers", ("caseload:employer",)),
    ("Cover", "caseload:covers", ("caseload:cover",)),
    ("Fidelity", "reporting:fidelity-list", ("reporting:fidelity",)),
    ("Users", "users:list", ("users:",)),
    ("Fund", "enterprise_fund:applications", ("enterprise_fund:",)),
    ("Returns", "reporting:dashboard", ("reporting:dashboard", "reporting:return")),
    ("Imports", "legacy_import:list", ("reporting:import",)),
    ("Data requests", "data-requests:list", ("data-requests:",)),
    ("Records", "evaluation:records", ("evaluation:record",)),
    ("Figures", "evaluation:figures", ("evaluation:figures",)),
    ("Data and API", "evaluation:data", ("evaluation:data",)),
    ("Your account", "accounts:account", ("accounts:account", "accounts:password-change")),
]


#: The header's search box sends here; shown to the roles its rule admits, on other pages.
SEARCH = "search:people"


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or second_factor_redirect(request) is not None:
        return {"nav_items": [], "header_search": False}
    current = request.resolver_match.view_name if request.resolver_match else ""
    home = home_url_name(user.role)
    items = [{"label": "Home", "url": reverse(home), "active": current == home}]
    for label, name, prefixes in NAVIGATION:
        rule = rule_for(name)
        if rule is None or user.role not in rule.roles or name == home:
            continue
        items.append({"label": label, "url": reverse(name), "active": current.startswith(prefixes)})
    return {"nav_items": items, "header_search": may(user, SEARCH) and current != SEARCH}
