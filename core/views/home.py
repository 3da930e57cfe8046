"""The home URL that sends each role to its own home page, and the health endpoint. The
home pages themselves belong to the apps (caseload, evaluation, reporting)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static

from core.health import ServiceHealthView
from core.roles import home_url_name


def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("images/favicon.ico"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url_name(request.user.role))  # type: ignore[union-attr]


def home_opcc(request: HttpRequest) -> HttpResponse:
    """OPCC staff work from the list of signed-off returns."""
    return redirect("reporting:opcc-returns")


health = ServiceHealthView.as_view(
    checks=[
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "core.health.Broker",
        "core.health.BackgroundJobs",
    ]
)
