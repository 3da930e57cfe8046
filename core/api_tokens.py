"""Personal tokens for the evaluators' read-only API.

An evaluator makes a token on their account page (so only after signing in with the second
factor); it is shown once, only its SHA-256 is kept, it lasts TOKEN_DAYS and can be revoked.
`ApiTokenMiddleware` accepts `Authorization: Bearer <token>` on the API's URLs only, and
only for an active evaluator; everything else about the request (the access policy, GET
only, the access log) is as for a signed-in evaluator.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from core.models import ApiToken, Role, User

logger = structlog.get_logger("e4e.api_tokens")

TOKEN_DAYS = 90
MAX_ACTIVE = 5
PREFIX = "e4e_"
API_PATH = "/reporting/api/"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns it and the secret, which is never shown again."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role != Role.EVALUATOR:
        raise ValidationError("Only evaluators use the API.")
    if not name.strip():
        raise ValidationError({"name": "Give the token a name, such as the script it is for"})
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= MAX_ACTIVE:
        raise ValidationError(f"You have {MAX_ACTIVE} tokens already: revoke one first.")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        token_hash=_digest(raw),
        prefix=raw[: len(PREFIX) + 4],
        expires_at=now + timedelta(days=TOKEN_DAYS),
    )
    logger.info("api_token.created", user_id=user.pk, token_id=token.pk)
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        logger.info("api_token.revoked", user_id=token.user_id, token_id=token.pk, by=by.pk)
    return token


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every token of the user: a token must not outlive what ends the person's
    access (ended sessions, a reset second factor, deactivation, a change of role).
    Reactivating the account does not bring them back."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        logger.info("api_token.revoked_all", user_id=user.pk, count=revoked, reason=reason)
    return revoked


def user_for_token(raw: str) -> User | None:
    """The active evaluator whose usable token this is, else None."""
    if not raw.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_digest(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active or token.user.role != Role.EVALUATOR:
        return None
    return token.user


class ApiTokenMiddleware:
    """On the API's URLs, a bearer token signs the request in as its evaluator (after the
    session middlewares, before the access policy). A bad token is refused with 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if request.path.startswith(API_PATH) and header.startswith("Bearer "):
            user = user_for_token(header.removeprefix("Bearer ").strip())
            if user is None:
                logger.warning("api_token.refused", path=request.path)
                response = JsonResponse(
                    {"detail": "The token is not valid: it may have expired or been revoked."},
                    status=401,
                )
                response["WWW-Authenticate"] = 'Bearer realm="e4e"'
                return response
            # The token was made behind the second factor: it stands for it.
            user.is_verified = lambda: True  # type: ignore[attr-defined]
            request.user = user
        return self.get_response(request)
