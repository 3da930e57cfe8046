"""The root URLs: each app's, under its prefix. Every URL needs a rule in an app's
`access_policy.py` (see core/access.py)."""

from __future__ import annotations

from django.urls import include, path

from core.urls import account_patterns, core_patterns, user_patterns
from privacy.urls import data_request_patterns
from referrals.urls import search_patterns

urlpatterns = [
    path("", include((core_patterns, "core"))),
    path("", include((account_patterns, "accounts"))),
    path("users/", include((user_patterns, "users"))),
    path("data-requests/", include((data_request_patterns, "data-requests"))),
    path("referrals/", include("referrals.urls")),
    path("search/", include((search_patterns, "search"))),
    path("cases/", include("caseload.urls")),
    path("fund/", include("enterprise_fund.urls")),
    path("reporting/", include("reporting.urls")),
    path("reporting/", include("evaluation.urls")),
    path("reporting/imports/", include("legacy_import.urls")),
    path("privacy/", include("privacy.urls")),
]

handler400 = "core.views.errors.bad_request"
handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"
