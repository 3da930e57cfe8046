"""An evaluator's API tokens: make one (shown once), see them, revoke one."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.api_tokens import MAX_ACTIVE, TOKEN_DAYS, api_token_create, api_token_revoke
from core.forms import ApiTokenForm
from core.models import ApiToken, User
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(user=user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=user),
            "days": TOKEN_DAYS,
            "max_active": MAX_ACTIVE,
        },
    )


@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    token = get_object_or_404(ApiToken, pk=pk, user=user, revoked_at__isnull=True)
    if request.method == "POST":
        api_token_revoke(token=token, by=user)
        messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
        return redirect("accounts:api-tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
