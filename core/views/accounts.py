"""Signing in (password, then the second factor), signing out, and the account page."""

from __future__ import annotations

import io
from typing import cast

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from core import history, two_factor
from core.access import has_confirmed_device, second_factor_redirect, with_next
from core.client import client_ip
from core.forms import (
    CodeForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SetPasswordForm,
    SignInForm,
)
from core.models import User
from core.roles import home_url_name
from core.services import password_reset_send, set_password_tokens

ENROL_KEY = "e4e_enrol_totp_key"
NEW_BACKUP_CODES = "e4e_new_backup_codes"


def _next_url(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _destination(request: HttpRequest) -> str:
    """Where to go once signed in: the page asked for, or the role's home page."""
    user = cast(User, request.user)
    return _next_url(request) or reverse(home_url_name(user.role))


def _after_sign_in(request: HttpRequest) -> HttpResponse:
    return redirect(_destination(request))


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        next_url = _destination(request)
        return second_factor_redirect(request, next_url=next_url) or redirect(next_url)
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        next_url = _destination(request)
        return second_factor_redirect(request, next_url=next_url) or redirect(next_url)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "expired": "expired" in request.GET, "next": _next_url(request)},
    )


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return _after_sign_in(request)
    if not has_confirmed_device(request):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.second_factor_device(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return _after_sign_in(request)
        form.add_error(
            "code",
            "The code is not right or has been used already. Enter the code your "
            "authenticator app shows now, or one of your backup codes.",
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if has_confirmed_device(request):
        return redirect("accounts:verify")
    hex_key = request.session.get(ENROL_KEY)
    if not hex_key:
        hex_key = request.session[ENROL_KEY] = two_factor.new_totp_key()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_code_matches(hex_key, form.cleaned_data["code"]):
            codes = two_factor.totp_enrol(user=user, hex_key=hex_key)  # type: ignore[arg-type]
            device = two_factor.second_factor_device(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
            del request.session[ENROL_KEY]
            if device is not None:
                otp_login(request, device)
            request.session.cycle_key()
            request.session[NEW_BACKUP_CODES] = codes
            return redirect(with_next(reverse("accounts:backup-codes-new"), _next_url(request)))
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "secret": two_factor.totp_key_base32(hex_key), "next": _next_url(request)},
    )


@never_cache
@require_http_methods(["GET"])
def enrol_qr(request: HttpRequest) -> HttpResponse:
    hex_key = request.session.get(ENROL_KEY)
    if not hex_key:
        raise Http404("No enrolment in progress")
    qr = segno.make(two_factor.totp_config_url(request.user, hex_key), error="m")  # type: ignore[arg-type]
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=6, border=2, xmldecl=False, title="QR code for your app")
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@never_cache
@require_http_methods(["GET"])
def backup_codes_new(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(NEW_BACKUP_CODES, None)
    if not codes:
        return redirect("accounts:account")
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "continue_url": _next_url(request) or reverse("core:home")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        codes = two_factor.backup_codes_regenerate(user=request.user)  # type: ignore[arg-type]
        return render(
            request,
            "accounts/backup_codes.html",
            {"codes": codes, "continue_url": reverse("accounts:account")},
        )
    return render(request, "accounts/backup_codes_confirm.html")


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("accounts:sign-in")
    return render(request, "accounts/sign_out.html")


@never_cache
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {"has_authenticator": has_confirmed_device(request)},
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["new_password1"])
        user.save(update_fields=["password"])
        # Keep this session; every other session of the user ends.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed. Other sessions were signed out.")
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


def _user_from_link(uidb64: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if set_password_tokens.check_token(user, token) else None


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["new_password1"])
        history.save(user, by=user, update_fields=["password"])
        if request.user.is_authenticated:
            logout(request)
        messages.success(request, "Your password has been set. Sign in with it now.")
        return redirect("accounts:sign-in")
    return render(
        request, "accounts/set_password.html", {"form": form, "invited": user.last_login is None}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_send(email=form.cleaned_data["email"], client=client_ip(request))
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")
