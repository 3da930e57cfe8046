"""The legacy import from the upload page: upload, see what would change and every error,
confirm, and follow the run in the background."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from core import once
from core.http import HtmxHttpRequest
from core.models import User
from core.money import pounds_to_pence
from core.utils import add_service_errors
from legacy_import.forms import ImportUploadForm
from legacy_import.models import ImportRun
from legacy_import.services import import_run_confirm, import_run_start


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def import_list(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.select_related("started_by", "confirmed_by")[:50]
    return render(request, "reporting/import_list.html", {"runs": runs})


@require_http_methods(["GET", "POST"])
@once.create_view
def import_upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        total = form.cleaned_data["fund_total"]
        try:
            run = import_run_start(
                upload=form.cleaned_data["file"],
                fund_total_pence=None if total is None else pounds_to_pence(total),
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("legacy_import:detail", pk=run.pk)
    return render(request, "reporting/import_upload.html", {"form": form})


def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The run; htmx polls its status part every 2 seconds while it is unfinished, and when
    it has finished the whole page reloads to show the result."""
    run = get_object_or_404(ImportRun, pk=pk)
    if not request.htmx:
        return render(request, "reporting/import_detail.html", {"run": run})
    if run.status not in ImportRun.UNFINISHED:
        return HttpResponseClientRefresh()
    return render(request, "reporting/includes/import_status.html", {"run": run})


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        import_run_confirm(run=run, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("legacy_import:detail", pk=run.pk)
