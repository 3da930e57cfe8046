"""What the fund's pages share."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.models import User
from enterprise_fund.models import FundApplication

PAGE_SIZE = 25
NOT_AWAITING = "This application is not waiting for a decision."


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def threshold() -> int:
    return int(settings.E4E_FUND_SECOND_APPROVAL_PENCE)


def back_to_application(
    request: HttpRequest, application: FundApplication, message: str
) -> HttpResponse:
    """Back to the application's page, saying why the step asked for is not open to it."""
    messages.info(request, message)
    return redirect("enterprise_fund:application-detail", pk=application.pk)
