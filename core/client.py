"""Who is asking, as far as a request can tell: the client's address behind the service's
own proxies, and the email a sign-in attempt is for, normalised.

Each proxy in front of the app appends the address it took the connection from to
X-Forwarded-For, so of the list only the entries the trusted proxies appended can be
believed: with N proxies the client is the N-th entry from the right (the right-most one no
trusted proxy vouches for is the client's own). Everything to the left of it came from the
client and may be anything. With no proxies (E4E_PROXY_COUNT=0) the header is ignored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies: int = settings.E4E_PROXY_COUNT
    remote: str | None = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Fewer entries than proxies: every one was appended by a trusted proxy, so the
    # left-most is the client's.
    return forwarded[max(len(forwarded) - proxies, 0)]


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The email a sign-in attempt is for, as the lockout counts it: trimmed and
    case-folded, so that `Name@Example.org` and ` name@example.org` share one count."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return str(username).strip().casefold()
