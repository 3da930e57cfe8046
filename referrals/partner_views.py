"""Partner links: managers make and revoke them; partners use them to refer people.

The public form (no account) shows nothing but itself and, once sent, the reference
number. An unknown, expired or revoked link gives the same 404, so a link's past cannot
be probed. Each link takes a limited number of submissions an hour.
"""

from __future__ import annotations

import secrets
from typing import cast

import structlog
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import once, ratelimit
from core.models import User
from core.utils import add_service_errors
from referrals import services
from referrals.forms import PartnerLinkForm, PartnerReferralForm
from referrals.models import PartnerLink
from referrals.selectors import partner_links, usable_partner_link

logger = structlog.get_logger("e4e.referrals")

#: Posts a link takes in a clock hour before it answers 429 (override in settings).
SUBMISSIONS_PER_HOUR = 20
#: The one-time form token lasts this long: long enough to fill the form in slowly.
FORM_TOKEN_MAX_AGE = 12 * 60 * 60
_FORM_TOKEN_SALT = "referrals.partner-form"  # noqa: S105 - a signing salt, not a secret
_NEW_LINK_SESSION_KEY = "referrals.new_link.{pk}"
_SENT_SESSION_KEY = "referrals.partner_sent"


# --- Managers: the links -------------------------------------------------------------------


def link_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/links/list.html",
        {"links": partner_links(), "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def link_new(request: HttpRequest) -> HttpResponse:
    form = PartnerLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.partner_link_create(
                **form.cleaned_data, by=cast(User, request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Held in the (server-side) session only until the next page shows it once.
            request.session[_NEW_LINK_SESSION_KEY.format(pk=link.pk)] = token
            return redirect("referrals:link-created", pk=link.pk)
    return render(request, "referrals/links/new.html", {"form": form})


def link_created(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PartnerLink, pk=pk)
    token = request.session.pop(_NEW_LINK_SESSION_KEY.format(pk=link.pk), None)
    url = None
    if token:
        url = request.build_absolute_uri(reverse("referrals:partner-form", args=[token]))
    return render(request, "referrals/links/created.html", {"link": link, "url": url})


@require_http_methods(["GET", "POST"])
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PartnerLink, pk=pk)
    if link.revoked_at is not None:
        messages.info(request, f"The link for {link.organisation} was already revoked.")
        return redirect("referrals:links")
    error = None
    if request.method == "POST":
        try:
            services.partner_link_revoke(link=link, by=cast(User, request.user))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, f"The link for {link.organisation} has been revoked. It no longer works."
            )
            return redirect("referrals:links")
    return render(request, "referrals/links/revoke.html", {"link": link, "error": error})


# --- Partners: the public form ---------------------------------------------------------------


def _unavailable(request: HttpRequest) -> HttpResponse:
    logger.info("referrals.partner_link_refused")
    return render(request, "referrals/partner/unavailable.html", status=404)


def new_form_token(link: PartnerLink) -> str:
    return signing.dumps(
        {"link": link.pk, "nonce": secrets.token_urlsafe(18)}, salt=_FORM_TOKEN_SALT
    )


def read_form_token(value: str, link: PartnerLink) -> str | None:
    """The nonce of a form token made for this link and still in date, else None."""
    if not value or len(value) > 300:
        return None
    try:
        data = signing.loads(value, salt=_FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("link") != link.pk:
        return None
    nonce = data.get("nonce")
    return nonce if isinstance(nonce, str) and nonce else None


def _seconds_over_rate(link: PartnerLink) -> int | None:
    """Count this post; None while within the hour's limit, else seconds until the next hour.
    Fails open when the cache is down: a referral is never lost to the limit."""
    limit = getattr(settings, "E4E_PARTNER_LINK_SUBMISSIONS_PER_HOUR", SUBMISSIONS_PER_HOUR)
    return ratelimit.hit("partner-link-posts", str(link.pk), limit=limit, window_seconds=3600)


@require_http_methods(["GET", "POST"])
@once.create_view
def partner_form(request: HttpRequest, token: str) -> HttpResponse:
    link = usable_partner_link(token, now=timezone.now())
    if link is None:
        return _unavailable(request)
    if request.method != "POST":
        form = PartnerReferralForm(initial={"form_token": new_form_token(link)})
        return render(request, "referrals/partner/form.html", {"form": form, "link": link})

    retry_after = _seconds_over_rate(link)
    if retry_after is not None:
        logger.warning("referrals.partner_link_rate_limited", link_id=link.pk)
        response = render(
            request,
            "referrals/partner/rate_limited.html",
            {"minutes": max(retry_after // 60, 1)},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response

    nonce = read_form_token(request.POST.get("form_token", ""), link)
    data: QueryDict = request.POST
    if nonce is None:
        # Out of date or tampered with: keep the answers, give the form a fresh token.
        data = request.POST.copy()
        data["form_token"] = new_form_token(link)
    form = PartnerReferralForm(data)
    if form.is_valid() and nonce is None:
        form.add_error(
            None,
            "This form had been open too long to send. Your answers are still here: "
            "check them and send the form again.",
        )
    elif form.is_valid() and nonce is not None:
        try:
            referral = services.referral_submit_via_link(
                link=link, nonce=nonce, **form.referral_fields()
            )
        except services.LinkNotUsable:
            return _unavailable(request)
        except services.AlreadySubmitted:
            logger.info("referrals.partner_form_replayed", link_id=link.pk)
            sent = request.session.get(_SENT_SESSION_KEY) or {}
            if sent.get("link") != link.pk:
                request.session[_SENT_SESSION_KEY] = {"link": link.pk, "reference": None}
            return redirect("referrals:partner-sent", token=token)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[_SENT_SESSION_KEY] = {"link": link.pk, "reference": referral.reference}
            return redirect("referrals:partner-sent", token=token)
    return render(request, "referrals/partner/form.html", {"form": form, "link": link})


def partner_sent(request: HttpRequest, token: str) -> HttpResponse:
    link = usable_partner_link(token, now=timezone.now())
    if link is None:
        return _unavailable(request)
    sent = request.session.get(_SENT_SESSION_KEY) or {}
    if sent.get("link") != link.pk:
        return redirect("referrals:partner-form", token=token)
    return render(
        request,
        "referrals/partner/sent.html",
        {"reference": sent.get("reference"), "token": token},
    )
