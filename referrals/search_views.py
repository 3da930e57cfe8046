"""The search for a person (referrals.search): one page, which the header's box sends to.

A GET form, so that a search can be bookmarked and works without JavaScript. The words
searched for travel in the URL: they reach no log (core/logging.py strips them from the
request lines). The access log records that the user searched (never the words) and, as
for every list of people (security target AL-3), the referrals the results listed.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.audit import log_access
from core.models import User
from referrals.forms import SearchForm
from referrals.search import people_found

#: The access log's row for the search itself: it has no subject (what was searched for may
#: be a name), so it says only who searched and when.
SEARCH_SUBJECT, NO_SUBJECT_ID = "search", 0


@require_safe
def people_search(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        results = people_found(user, form.cleaned_data["q"])
        log_access(request, SEARCH_SUBJECT, [NO_SUBJECT_ID])
        # Who was shown to whom, as for every list of people.
        log_access(request, "referral", [found.referral.pk for found in results.found])
    return render(request, "search/people.html", {"form": form, "results": results})
