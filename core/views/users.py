"""User administration: invite, change role and FTE, end sessions, deactivate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core import once, services
from core.forms import InviteUserForm, UserDetailsForm
from core.models import User
from core.selectors import users_for_admin
from core.utils import add_service_errors


def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "users/list.html", {"users": users_for_admin()})


@require_http_methods(["GET", "POST"])
@once.create_view
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("users:detail", pk=user.pk)
    return render(request, "users/invite.html", {"form": form})


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    return render(request, "users/detail.html", {"person": user})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    initial = {
        "full_name": user.full_name,
        "role": user.role,
        "fte": user.fte,
        "start_date": user.start_date,
    }
    form = UserDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=user, **form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{user.full_name}'s details have been saved.")
            return redirect("users:detail", pk=user.pk)
    return render(request, "users/edit.html", {"form": form, "person": user})


@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk, is_active=True)
    error = None
    if request.method == "POST":
        try:
            services.user_deactivate(user=user, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, f"{user.full_name} has been deactivated and signed out everywhere."
            )
            return redirect("users:detail", pk=user.pk)
    return render(request, "users/deactivate.html", {"person": user, "error": error})


@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk, is_active=False)
    services.user_reactivate(user=user, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"{user.full_name} can sign in again.")
    return redirect("users:detail", pk=user.pk)


@require_POST
def user_end_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.user_end_sessions(user=user, by=request.user)  # type: ignore[arg-type]
    if user.pk == request.user.pk:
        return redirect("accounts:sign-in")
    messages.success(request, f"{user.full_name} has been signed out everywhere.")
    return redirect("users:detail", pk=user.pk)


@require_POST
def user_resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services.invitation_send(user=user, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new invitation has been sent to {user.email}.")
    return redirect("users:detail", pk=user.pk)


@require_http_methods(["GET", "POST"])
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.user_reset_second_factor(user=user, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"{user.full_name}'s two-factor sign-in has been reset. They will set up an "
                "authenticator app at their next sign-in.",
            )
            return redirect("users:detail", pk=user.pk)
    return render(request, "users/reset_second_factor.html", {"person": user, "error": error})
