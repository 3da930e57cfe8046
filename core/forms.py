from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from core.govuk_forms import GovukDateField
from core.models import Role, User
from core.once import OnceForm


class SignInForm(AuthenticationForm):
    """Email and password. Django's form names the email field `username`."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "The email address or password is not right. Check them and try again. "
            "After 10 failed attempts, sign-in is paused for 15 minutes."
        ),
        "inactive": "This account has been deactivated. Ask your administrator.",
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class SetPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="Confirm new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The two passwords do not match")
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError("Your current password is not right")
        return old


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right format, like name@example.org",
        },
    )


ROLE_CHOICES = [(role.value, role.label) for role in Role]


class UserDetailsForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the full name"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    fte = forms.DecimalField(
        label="Full-time equivalent (FTE)",
        required=False,
        max_digits=3,
        decimal_places=2,
        help_text=(
            "Specialists and managers only. For example 1 for full time, 0.6 for three days a "
            "week. Capacity is 25 open cases for each full-time worker."
        ),
        error_messages={"invalid": "Enter the FTE as a number, like 1 or 0.6"},
    )
    start_date = GovukDateField(
        label="Started as a worker",
        name="The start date",
        required=False,
        not_future=True,
        help_text=(
            "Specialists and managers only: their first day on the service, for the year's "
            "targets. Leave blank to use their earliest case or contact."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, fte = cleaned.get("role"), cleaned.get("fte")
        if role in Role.with_caseload():
            if fte is None and "fte" not in self.errors:
                self.add_error("fte", "Enter the FTE for a specialist or manager, like 1 or 0.6")
            elif fte is not None and not (Decimal(0) < fte <= Decimal(1)):
                self.add_error("fte", "FTE must be more than 0 and at most 1")
        elif role:
            cleaned["fte"] = None
            cleaned["start_date"] = None
        return cleaned


class InviteUserForm(OnceForm, UserDetailsForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address",
            "invalid": "Enter an email address in the right format, like name@example.org",
        },
    )
    field_order = ["full_name", "email", "role", "fte", "start_date"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name of the token",
        max_length=100,
        help_text="What it is for, such as “weekly R extract”, so you know which to revoke.",
        error_messages={"required": "Give the token a name, such as the script it is for"},
    )
