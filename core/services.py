"""Writes to user accounts. Views, commands and the importer all call these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import structlog
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import history, ratelimit
from core.api_tokens import api_tokens_revoke_all
from core.models import Role, User, normalise_email

logger = structlog.get_logger("e4e.users")


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """One-time links to set a password: invitations and resets.

    A link stops working once used (the password hash changes), when the user is
    deactivated, and after PASSWORD_RESET_TIMEOUT.
    """

    key_salt = "e4e.services.SetPasswordTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.is_active}{user.session_generation}{timestamp}"


set_password_tokens = SetPasswordTokenGenerator()


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = set_password_tokens.make_token(user)
    path = reverse("accounts:set-password", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def clean_fte(role: str, fte: Decimal | None) -> Decimal | None:
    if role in Role.with_caseload():
        if fte is None:
            raise ValidationError({"fte": "Enter the full-time equivalent, for example 1 or 0.6."})
        if not (Decimal(0) < fte <= Decimal(1)):
            raise ValidationError(
                {"fte": "Full-time equivalent must be more than 0 and at most 1."}
            )
        return fte
    return None


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    fte: Decimal | None = None,
    start_date: date | None = None,
    password: str | None = None,
    by: User | None = None,
) -> User:
    """Create an account. Without a password the account can only be entered by invitation."""
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "There is already an account with this email address."})
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        fte=clean_fte(role, fte),
        start_date=start_date,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    history.save(user, by=by)
    logger.info("users.created", user_id=user.pk, role=role, by=getattr(by, "pk", None))
    return user


def _send_set_password_email(user: User, template: str, subject: str) -> None:
    body = render_to_string(template, {"user": user, "url": set_password_url(user)})
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    role: str,
    fte: Decimal | None = None,
    start_date: date | None = None,
    by: User,
) -> User:
    """Create an account and email the person a link to set their password."""
    user = user_create(
        email=email, full_name=full_name, role=role, fte=fte, start_date=start_date, by=by
    )
    invitation_send(user=user, by=by)
    return user


#: Emails with a set-password link: at most this many an hour to one address, and (password
#: resets) from one client address, so the form cannot be used to flood someone's inbox.
LINK_EMAILS_PER_ADDRESS_PER_HOUR = 5
RESET_REQUESTS_PER_CLIENT_PER_HOUR = 20


def _too_many_link_emails(user: User) -> int | None:
    return ratelimit.hit(
        "set-password-emails",
        str(user.pk),
        limit=LINK_EMAILS_PER_ADDRESS_PER_HOUR,
        window_seconds=3600,
    )


def invitation_send(*, user: User, by: User | None) -> User:
    if not user.is_invited:
        raise ValidationError("This person has already set a password.")
    if not user.is_active:
        raise ValidationError("This account is deactivated. Reactivate it first.")
    wait = _too_many_link_emails(user)
    if wait is not None:
        raise ValidationError(
            f"{LINK_EMAILS_PER_ADDRESS_PER_HOUR} emails have been sent to this address in the "
            f"last hour. Try again in {max(wait // 60, 1)} minutes."
        )
    transaction.on_commit(
        lambda: _send_set_password_email(
            user, "emails/invitation.txt", "You have been invited to E4E Case"
        )
    )
    logger.info("users.invited", user_id=user.pk, by=getattr(by, "pk", None))
    return user


def password_reset_send(*, email: str, client: str | None = None) -> None:
    """Email a reset link if an active account that has finished its invitation has this
    address; say nothing either way (the page reads the same whatever happened). An account
    still invited gets no reset: only the administrator's invitation sets its first password.
    Over the hourly limits (per address, per client address) nothing is sent."""
    if client and ratelimit.hit(
        "password-reset-requests",
        client,
        limit=RESET_REQUESTS_PER_CLIENT_PER_HOUR,
        window_seconds=3600,
    ):
        logger.warning("users.password_reset_rate_limited", by_client=True)
        return
    user = User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()
    if user is None or user.is_invited:
        logger.info("users.password_reset_not_sent")
        return
    if _too_many_link_emails(user) is not None:
        logger.warning("users.password_reset_rate_limited", user_id=user.pk)
        return
    _send_set_password_email(user, "emails/password_reset.txt", "Reset your E4E Case password")
    logger.info("users.password_reset_sent", user_id=user.pk)


@transaction.atomic
def user_update(
    *,
    user: User,
    role: str,
    fte: Decimal | None,
    full_name: str,
    start_date: date | None,
    by: User,
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk and role != user.role:
        raise ValidationError({"role": "You cannot change your own role."})
    if role != user.role:
        api_tokens_revoke_all(user=user, reason="role changed")
    user.role = role
    user.fte = clean_fte(role, fte)
    user.start_date = start_date
    user.full_name = full_name.strip()
    user.full_clean(exclude=["password"])
    history.save(user, by=by)
    logger.info("users.updated", user_id=user.pk, role=role, by=by.pk)
    return user


@transaction.atomic
def user_end_sessions(*, user: User, by: User | None) -> User:
    """End every session of the user at once (their next request goes to sign-in)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.session_generation += 1
    history.save(user, by=by, update_fields=["session_generation"])
    api_tokens_revoke_all(user=user, reason="sessions ended")
    logger.info("users.sessions_ended", user_id=user.pk, by=getattr(by, "pk", None))
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.session_generation += 1
    history.save(user, by=by, update_fields=["is_active", "session_generation"])
    api_tokens_revoke_all(user=user, reason="deactivated")
    logger.info("users.deactivated", user_id=user.pk, by=by.pk)
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = True
    history.save(user, by=by, update_fields=["is_active"])
    logger.info("users.reactivated", user_id=user.pk, by=by.pk)
    return user


@transaction.atomic
def user_reset_second_factor(*, user: User, by: User) -> User:
    """For a lost phone: remove the authenticator and backup codes and end every session.

    At their next sign-in the person sets up an authenticator again.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.pk == by.pk:
        raise ValidationError("Ask another administrator to reset your own two-factor sign-in.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_end_sessions(user=user, by=by)
    logger.info("users.second_factor_reset", user_id=user.pk, by=by.pk)
    return user
