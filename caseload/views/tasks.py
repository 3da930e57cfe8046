"""Marking a follow-up task done."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.forms.tasks import TaskDoneForm
from caseload.selectors import get_task_for
from caseload.services import tasks
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    task = get_task_for(user, pk)
    log_access(request, "case", [task.case_id])
    form = TaskDoneForm(request.POST or None, initial={"done_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            tasks.task_complete(task=task, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{task.title} done.")
            return redirect("caseload:case-detail", pk=task.case_id)
    return render(request, "caseload/task_done.html", {"task": task, "form": form})
