"""Typed requests for the views: the user is signed in (the access middleware made sure), and
django-htmx's `request.htmx` says whether htmx asked for a part of a page."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
