"""The update on each case active in a return's quarter (statement of requirement 8.1): the
specialist's list of their updates to write, and the page of one update, where its
specialist writes and submits it and a manager reads, edits and marks it reviewed.

Every update is fetched through get_case_update_for: a specialist sees only the updates,
on draft returns, of the cases they may open (404 otherwise) and cannot change one a
manager has reviewed (403); the OPCC and evaluators are refused by the access rules, and
read the updates only in the signed-off PDF. The updates are made by the snapshot job, so
every form here changes an update and none makes one: a form sent twice saves the same
text twice, which changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.access import may
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors
from reporting import services
from reporting.forms import NO_IDENTIFIERS, CaseUpdateForm
from reporting.models import CaseUpdate
from reporting.selectors import (
    case_updates_for_worker,
    get_case_update_for,
    may_change_case_update,
    previous_case_update,
)

#: Earlier versions shown on an update's page, newest first.
VERSIONS_SHOWN = 20

Action = Callable[..., CaseUpdate]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def case_update_list(request: HttpRequest) -> HttpResponse:
    """The specialist's updates on the draft returns, by return: those to write first."""
    updates = list(case_updates_for_worker(_user(request)))
    log_access(request, "case", [u.case_id for u in updates if u.case_id is not None])
    returns = [
        {
            "return": quarterly_return,
            "updates": sorted(group, key=lambda u: (u.is_reviewed, u.status != "draft")),
        }
        for quarterly_return, group in groupby(updates, key=lambda u: u.quarterly_return)
    ]
    return render(request, "reporting/case_update_list.html", {"returns": returns})


@require_http_methods(["GET", "POST"])
def case_update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the update and save it as it is (a draft, for its specialist)."""
    update = get_case_update_for(_user(request), pk, write=request.method == "POST")
    return _update_page(
        request, update, action=services.case_update_save, saved="The update has been saved."
    )


@require_POST
def case_update_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The specialist's: save the update and send it to a manager to review."""
    update = get_case_update_for(_user(request), pk, write=True)
    return _update_page(
        request,
        update,
        action=services.case_update_submit,
        saved="The update has been submitted. A manager will review it.",
        then=reverse("reporting:case-updates"),
    )


@require_POST
def case_update_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager's: save the update as it stands and mark it reviewed."""
    update = get_case_update_for(_user(request), pk, write=True)
    return _update_page(
        request,
        update,
        action=services.case_update_review,
        saved=f"The update on {update.pseudonym} has been reviewed.",
        then=reverse("reporting:return-detail", kwargs={"pk": update.quarterly_return_id})
        + "#case-updates",
    )


def _update_page(
    request: HttpRequest,
    update: CaseUpdate,
    *,
    action: Action,
    saved: str,
    then: str | None = None,
) -> HttpResponse:
    """The update's page; on a valid POST, `action` is called and the user sent to `then`
    (the update's page when None)."""
    user = _user(request)
    if update.case_id is not None:
        log_access(request, "case", [update.case_id])
    quarterly_return = update.quarterly_return
    if request.method == "POST" and quarterly_return.is_signed_off:
        # The services refuse it too; say so plainly rather than show the form again.
        messages.error(request, services.FROZEN_MESSAGE)
        return redirect("reporting:case-update", pk=update.pk)
    initial = {part: getattr(update, part) for part in CaseUpdate.PARTS}
    form = CaseUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action(update=update, by=user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(then or reverse("reporting:case-update", kwargs={"pk": update.pk}))
    return render(request, "reporting/case_update.html", _page_context(user, update, form))


def _page_context(user: User, update: CaseUpdate, form: CaseUpdateForm) -> dict[str, Any]:
    versions = update.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:VERSIONS_SHOWN]
    return {
        "update": update,
        "return": update.quarterly_return,
        "form": form,
        "editable": may_change_case_update(user, update),
        "may_submit": may(user, "reporting:case-update-submit"),
        "may_review": may(user, "reporting:case-update-review"),
        "back_to_list": may(user, "reporting:case-updates"),
        "previous": previous_case_update(update),
        "versions": versions,
        "no_identifiers": NO_IDENTIFIERS,
    }
