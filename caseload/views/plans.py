"""The person's plan: their vocational profile and the goals of their action plan."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from caseload.forms.plans import ActionPlanGoalForm, VocationalProfileForm
from caseload.models import ActionPlanGoal, VocationalProfile
from caseload.selectors import get_case_for
from caseload.services import plans
from core import once
from core.audit import log_access
from core.models import User


@require_http_methods(["GET", "POST"])
def vocational_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    profile = VocationalProfile.objects.filter(case=case).first()
    initial = {f: getattr(profile, f) for f in VocationalProfileForm.base_fields} if profile else {}
    form = VocationalProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plans.vocational_profile_save(case=case, by=user, **form.cleaned_data)
        messages.success(request, "Vocational profile saved.")
        return redirect("caseload:case-detail", pk=case.pk)
    versions = profile.history.select_related("history_user")[:20] if profile else []
    return render(
        request,
        "caseload/vocational_profile_form.html",
        {"case": case, "form": form, "versions": versions},
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def goal_edit(request: HttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    goal = get_object_or_404(ActionPlanGoal, pk=goal_pk, case=case) if goal_pk else None
    initial = (
        {"goal": goal.goal, "target_date": goal.target_date, "status": goal.status}
        if goal
        else {"status": ActionPlanGoal.Status.NOT_STARTED}
    )
    form = ActionPlanGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plans.action_plan_goal_save(case=case, by=user, existing=goal, **form.cleaned_data)
        messages.success(request, "Action plan saved.")
        return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/goal_form.html", {"case": case, "form": form, "goal": goal})
