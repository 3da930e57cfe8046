"""Session lifetime and saving, and cache headers."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from core import once

logger = structlog.get_logger("e4e.auth")

#: Session key holding the UNIX time of sign-in, for the 12-hour absolute limit.
SIGNED_IN_AT = "e4e_signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after sign-in, however active it has been.

    The 30-minute idle limit is Django's own: SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logger.info("auth.session_expired", user_id=request.user.pk, reason="absolute")
                logout(request)
                login_url = reverse(settings.LOGIN_URL) + "?expired=1"
                return redirect_to_login(request.get_full_path(), login_url)
        return self.get_response(request)


class SavedWriteSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, except that a create that committed keeps its answer.

    The session is saved after the view, so after the create's commit: when that save fails
    (the session was ended by a sign-out in another tab: SessionInterrupted; the database
    connection dropped) the user would see an error page saying their record may not have
    been saved, and send it again. After a committed create (core.once) the redirect to
    what it made goes back instead; a session that could not be saved only means signing in
    again. The outcome's message travels in its cookie, not in the session.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, DatabaseError) as error:
            if once.saved_to(request) is None:
                raise
            logger.warning("session.not_saved_after_commit", error=type(error).__name__)
            patch_vary_headers(response, ("Cookie",))
            return response


class NoStoreMiddleware:
    """Pages about people must never be kept by a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, no_store=True, private=True)
        return response


#: The largest request body a visitor who has not signed in may send: the sign-in, password
#: and partner referral forms are a few kilobytes; nothing anonymous uploads a file.
ANONYMOUS_BODY_LIMIT = 64 * 1024


class AnonymousBodyLimitMiddleware:
    """Refuses (413) a body over ANONYMOUS_BODY_LIMIT from anyone not signed in, before any
    of it is read, so an anonymous page cannot be made to take in megabytes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = ANONYMOUS_BODY_LIMIT + 1
            if length > ANONYMOUS_BODY_LIMIT:
                logger.warning("request.body_too_large", path_kind="anonymous", length=length)
                return HttpResponse(
                    "The form sent was too large.", status=413, content_type="text/plain"
                )
        return self.get_response(request)
