"""Attaching a file to a draft, and downloading an attachment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import once
from core.audit import log_access
from core.utils import add_service_errors
from enterprise_fund.forms.attachments import AttachmentForm
from enterprise_fund.selectors import get_application_for, get_attachment_for
from enterprise_fund.services import attachments
from enterprise_fund.services.common import LOCKED
from enterprise_fund.views.common import back_to_application, user_of


@require_http_methods(["GET", "POST"])
@once.create_view
def attachment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_editable:
        return back_to_application(request, application, LOCKED)
    log_access(request, "case", [application.case_id])
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachments.fund_attachment_add(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{attachment.original_name} attached.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request,
        "enterprise_fund/attachment_form.html",
        {"application": application, "form": form},
    )


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, if the user may see its application's case; 404 otherwise. The name and the
    type come from the service (a generated name; the type found from the content)."""
    attachment = get_attachment_for(user_of(request), pk)
    log_access(request, "case", [attachment.application.case_id])
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    name = attachment.file.name or ""
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{attachment.application.reference}-{attachment.kind}-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
    )
