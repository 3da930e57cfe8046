"""Each role's home page, and the health endpoint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from health_check.views import HealthCheckView

from e4e.roles import home_url_name
from e4e.selectors import workers_with_capacity


def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("images/favicon.ico"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url_name(request.user.role))  # type: ignore[union-attr]


def home_specialist(request: HttpRequest) -> HttpResponse:
    return render(request, "home/specialist.html", {"worker": request.user})


def home_manager(request: HttpRequest) -> HttpResponse:
    return render(request, "home/manager.html", {"workers": workers_with_capacity()})


def home_opcc(request: HttpRequest) -> HttpResponse:
    return render(request, "home/opcc.html")


def home_evaluator(request: HttpRequest) -> HttpResponse:
    return render(request, "home/evaluator.html")


health = HealthCheckView.as_view(
    checks=[
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "e4e.health.Broker",
    ]
)
