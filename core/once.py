"""One-time keys: a create form posted twice writes its row once.

A double click, a retry after a lost answer or the browser's "resend" posts the same form
again. Every create form carries a hidden random key (`OnceForm`, made when the form is
shown and kept when it fails validation); its view is wrapped in `create_view`, which runs
the POST in one transaction that also inserts the key (unique). A second post of the key
finds it and writes nothing: the user is sent where the first post sent them, with
ALREADY_SAVED. Two posts at once are the same: the second insert waits for the first
transaction and then finds its key.

A key is honoured only for the user who posted it and on the URL it was posted to, so one
user cannot replay another's key to learn what it made; a post of such a key is refused
and the user asked to send the form again. A create POST with no key (a page opened
before keys existed) is processed as before, without the guard, and logged.

The key row also says a write committed (`saved_to`): the session middleware then never
turns a failure to save the session after that commit into an error page.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import structlog
from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from core.models import SubmissionKey

logger = structlog.get_logger("e4e.once")

#: The hidden field's name.
FIELD = "once_key"
#: What a key looks like (secrets.token_urlsafe(32) is 43 of these).
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
#: Keys are kept this long, then purged (core.tasks.clear_expired_sessions).
KEEP_FOR = timedelta(days=7)
ALREADY_SAVED = "This was already saved."
FOREIGN_KEY = (
    "This form could not be sent as it was. Your answers were not saved: fill the form in "
    "again and send it."
)
_SAVED_TO = "_e4e_once_saved_to"

View = Callable[..., HttpResponse]


def new_key() -> str:
    return secrets.token_urlsafe(32)


class OnceForm(forms.Form):
    """Put first in a create form's bases: adds the hidden one-time key, which never
    reaches `cleaned_data` (so `**form.cleaned_data` still fits the service)."""

    once_key = forms.CharField(widget=forms.HiddenInput, required=False, initial=new_key)

    def full_clean(self) -> None:
        super().full_clean()
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is not None:
            cleaned.pop(FIELD, None)


def _path_hash(request: HttpRequest) -> str:
    return hashlib.sha256(request.path.encode()).hexdigest()


def _stored_target(request: HttpRequest, location: str) -> str:
    """A redirect under the posted URL is kept relative to it, so a URL whose path is a
    secret (a partner link) is never stored."""
    if location.startswith(request.path):
        return location[len(request.path) :]
    return location


def _target(request: HttpRequest, stored: str) -> str:
    return stored if stored.startswith("/") else request.path + stored


def _claim(request: HttpRequest, key: str) -> SubmissionKey | HttpResponse:
    """The new key's row, or the answer to a post whose key was used before."""
    user = request.user if request.user.is_authenticated else None
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return SubmissionKey.objects.create(
                    key=key, user=user, path_hash=_path_hash(request)
                )
        except IntegrityError:
            earlier = SubmissionKey.objects.filter(key=key).first()
        if earlier is None:  # the first post was undone meanwhile: this one goes ahead
            continue
        if earlier.user_id != getattr(user, "pk", None) or earlier.path_hash != _path_hash(request):
            logger.warning("once.key_not_theirs", url_name=_url_name(request))
            messages.error(request, FOREIGN_KEY)
            return HttpResponseRedirect(request.path)
        logger.info("once.repeat_refused", url_name=_url_name(request))
        messages.success(request, ALREADY_SAVED)
        return HttpResponseRedirect(_target(request, earlier.redirect_to))
    raise RuntimeError("unreachable: a key is inserted or found")  # pragma: no cover


def _url_name(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return getattr(match, "view_name", None)


def create_view(view: View) -> View:
    """Wrap a create view: its POST writes at most once per form key (see the module doc)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = request.POST.get(FIELD, "")
        if not KEY_PATTERN.fullmatch(key):
            logger.warning("once.key_missing", url_name=_url_name(request))
            return view(request, *args, **kwargs)
        with transaction.atomic():
            claim = _claim(request, key)
            if isinstance(claim, HttpResponse):
                return claim
            response = view(request, *args, **kwargs)
            location = response.get("Location", "") if response.status_code in (302, 303) else ""
            if location.startswith("/") and not location.startswith("//"):
                claim.redirect_to = _stored_target(request, location)
                claim.save(update_fields=["redirect_to"])
            else:
                # Not saved (the form is shown again with its errors): the key stays
                # usable, so the corrected form goes through.
                claim.delete()
                return response
        setattr(request, _SAVED_TO, location)
        return response

    return wrapper


def saved_to(request: HttpRequest) -> str | None:
    """Where a create that committed on this request sent the user, else None."""
    return getattr(request, _SAVED_TO, None)


def purge(*, now: datetime | None = None) -> int:
    """Delete keys older than KEEP_FOR; how many went."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
