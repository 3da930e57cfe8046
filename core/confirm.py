"""The page that confirms an action and asks why (withdraw a referral, put it on the waiting
list, reopen a case, end a cover): the reason form, the service, a message, and back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.govuk_forms import ReasonForm
from core.utils import add_service_errors


def confirm_with_reason(
    request: HttpRequest,
    *,
    label: str,
    required_message: str,
    hint: str,
    act: Callable[[str], object],
    done: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the confirmation page (`template` with `context` and the form). POST with a
    reason: `act(reason)`; its ValidationError is shown on the form, else `done` is the
    success message and the user goes to `then` (a URL)."""
    form = ReasonForm(
        request.POST or None, label=label, required_message=required_message, hint=hint
    )
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(then)
    return render(request, template, {**context, "form": form})
