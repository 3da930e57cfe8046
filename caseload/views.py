"""Case pages. Every case is fetched through get_case_for, so another worker's case is 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from caseload import fidelity, services
from caseload.forms import (
    ActionPlanGoalForm,
    AdminTimeForm,
    CloseCaseForm,
    ComplaintUpdateForm,
    ContactForm,
    ContactNoteForm,
    EmployerForm,
    FidelityReviewForm,
    InitialAssessmentForm,
    JobDevelopmentContactForm,
    OutcomeEndForm,
    OutcomeForm,
    ReassignForm,
    RiskAssessmentForm,
    TaskDoneForm,
    VocationalProfileForm,
)
from caseload.models import (
    ActionPlanGoal,
    Case,
    Complaint,
    Contact,
    Employer,
    FidelityReview,
    Outcome,
    VocationalProfile,
)
from caseload.records import RECORD_KINDS, records_on
from caseload.selectors import (
    case_changes,
    case_timeline,
    cases_visible_to,
    distance_travelled,
    get_case_for,
    get_task_for,
    team_caseloads,
)
from core.access import may
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk)
    log_access(request, "case", [case.pk])
    return render(
        request,
        "caseload/case_detail.html",
        {
            "case": case,
            "referral": case.referral,
            "timeline": case_timeline(case),
            "risk": case.risk_assessments.first(),
            "tasks": case.tasks.filter(done_date__isnull=True),
            "may_reassign": may(user, "caseload:case-reassign"),
            "records": records_on(case),
            "profile": VocationalProfile.objects.filter(case=case).first(),
            "goals": case.action_plan.all(),
            "complaints": case.complaints.all(),
            "distance": distance_travelled(case),
            "record_kinds": RECORD_KINDS,
            "may_reopen": may(user, "caseload:case-reopen"),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def case_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    if case.start_date is not None:
        messages.info(request, "The initial assessment has already been recorded.")
        return redirect("caseload:case-detail", pk=case.pk)
    log_access(request, "case", [case.pk])
    form = InitialAssessmentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assess(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Initial assessment recorded. Active support has started.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_assess.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    now = timezone.localtime()
    form = ContactForm(
        request.POST or None,
        initial={
            "date": now.date(),
            "time": now.time().replace(second=0, microsecond=0),
            "mode": Contact.Mode.FACE_TO_FACE,
            "party": Contact.Party.CLIENT,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_log(case=case, worker=user, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contact logged.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/contact_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def admin_time_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = AdminTimeForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.contact_log(case=None, worker=user, by=user, **form.cleaned_data)
        messages.success(request, "Admin time logged.")
        return redirect("core:home")
    return render(request, "caseload/admin_time_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def risk_assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_assessment_record(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Risk assessment saved.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/risk_assessment_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            outcome = services.outcome_start(case=case, by=user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            follow_up = outcome.tasks.count()
            messages.success(
                request,
                f"{outcome.get_type_display()} recorded."
                + (f" {follow_up} follow-up tasks added to your list." if follow_up else ""),
            )
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/outcome_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    task = get_task_for(user, pk)
    log_access(request, "case", [task.case_id])
    form = TaskDoneForm(request.POST or None, initial={"done_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.task_complete(task=task, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{task.title} done.")
            return redirect("caseload:case-detail", pk=task.case_id)
    return render(request, "caseload/task_done.html", {"task": task, "form": form})


def employer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "caseload/employer_list.html", {"employers": Employer.objects.all()})


@require_http_methods(["GET", "POST"])
def employer_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = services.employer_record(by=user, **form.cleaned_data)
        messages.success(request, f"{employer.name} added.")
        return redirect("caseload:employers")
    return render(request, "caseload/employer_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def employer_contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    employer = get_object_or_404(Employer, pk=pk)
    now = timezone.localtime()
    form = JobDevelopmentContactForm(
        request.POST or None,
        initial={
            "date": now.date(),
            "time": now.time().replace(second=0, microsecond=0),
            "mode": Contact.Mode.FACE_TO_FACE,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.contact_log(
            case=None,
            worker=user,
            by=user,
            party=Contact.Party.EMPLOYER,
            employer=employer,
            **form.cleaned_data,
        )
        messages.success(request, f"Contact with {employer.name} logged.")
        return redirect("caseload:employers")
    return render(
        request, "caseload/employer_contact_form.html", {"form": form, "employer": employer}
    )


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = CloseCaseForm(request.POST or None, initial={"closed_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                case=case,
                closed_date=form.cleaned_data["closed_date"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The case is closed. It can be reopened if needed.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_close.html", {"case": case, "form": form})


@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    try:
        services.case_reopen(case=case, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The case is open again.")
    return redirect("caseload:case-detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    workers = team_caseloads(timezone.localdate()).exclude(pk=case.worker_id)
    form = ReassignForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reassign(case=case, worker=form.cleaned_data["worker"], by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The case is now with {form.cleaned_data['worker'].full_name}."
            )
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_reassign.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    spec = RECORD_KINDS.get(kind)
    if spec is None:
        raise Http404("No such kind of record")
    log_access(request, "case", [case.pk])
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in spec.confirm_only}
        try:
            spec.add(case=case, model=spec.model, by=user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{spec.title} recorded.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/record_form.html", {"case": case, "form": form, "spec": spec})


@require_http_methods(["GET", "POST"])
def vocational_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    profile = VocationalProfile.objects.filter(case=case).first()
    initial = {f: getattr(profile, f) for f in VocationalProfileForm.base_fields} if profile else {}
    form = VocationalProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.vocational_profile_save(case=case, by=user, **form.cleaned_data)
        messages.success(request, "Vocational profile saved.")
        return redirect("caseload:case-detail", pk=case.pk)
    versions = profile.history.select_related("history_user")[:20] if profile else []
    return render(
        request,
        "caseload/vocational_profile_form.html",
        {"case": case, "form": form, "versions": versions},
    )


@require_http_methods(["GET", "POST"])
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
        services.action_plan_goal_save(case=case, by=user, existing=goal, **form.cleaned_data)
        messages.success(request, "Action plan saved.")
        return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/goal_form.html", {"case": case, "form": form, "goal": goal})


def fidelity_list(request: HttpRequest) -> HttpResponse:
    reviews = [(r, fidelity.band(r.total)) for r in FidelityReview.objects.select_related("by")]
    return render(request, "caseload/fidelity_list.html", {"reviews": reviews})


@require_http_methods(["GET", "POST"])
def fidelity_new(request: HttpRequest) -> HttpResponse:
    from core.periods import period_for_quarter

    user = cast(User, request.user)
    start, end = _last_complete_quarter(timezone.localdate(), period_for_quarter)
    prefilled = fidelity.evidence_from_records(start, end)
    initial: dict[str, Any] = {
        "period_start": start,
        "period_end": end,
        **{f"evidence_{n}": text for n, text in prefilled.items()},
    }
    form = FidelityReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = services.fidelity_review_record(
            period_start=data["period_start"],
            period_end=data["period_end"],
            scores={n: data[f"score_{n}"] for n, _ in fidelity.ITEMS},
            evidence={n: data[f"evidence_{n}"] for n, _ in fidelity.ITEMS},
            by=user,
        )
        messages.success(
            request, f"Fidelity review saved: {review.total} of 125, {fidelity.band(review.total)}."
        )
        return redirect("caseload:fidelity-list")
    return render(
        request,
        "caseload/fidelity_form.html",
        {"form": form, "prefilled": sorted(prefilled), "start": start, "end": end},
    )


def _last_complete_quarter(today: Any, period_for_quarter: Any) -> tuple[Any, Any]:
    """The financial-year quarter before the one `today` is in (quarters start in January,
    April, July and October; the financial year starts in April)."""
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    previous_end = quarter_start - timedelta(days=1)
    year = previous_end.year if previous_end.month >= 4 else previous_end.year - 1
    number = (previous_end.month - 4) % 12 // 3 + 1
    return period_for_quarter(f"{year}-{str(year + 1)[2:]}-Q{number}")


@require_http_methods(["GET", "POST"])
def contact_note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    contact = get_object_or_404(
        Contact.objects.select_related("case__referral"),
        pk=pk,
        case__in=cases_visible_to(user),
    )
    case = cast(Case, contact.case)  # only contacts on a visible case reach here
    log_access(request, "case", [case.pk])
    form = ContactNoteForm(request.POST or None, initial={"note": contact.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_change_note(contact=contact, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The note has been changed.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/contact_note_form.html", {"contact": contact, "form": form})


@require_http_methods(["GET", "POST"])
def outcome_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    outcome = get_object_or_404(
        Outcome.objects.select_related("case__referral"), pk=pk, case__in=cases_visible_to(user)
    )
    log_access(request, "case", [outcome.case_id])
    form = OutcomeEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_end(outcome=outcome, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{outcome.get_type_display()} ended.")
            return redirect("caseload:case-detail", pk=outcome.case_id)
    return render(request, "caseload/outcome_end_form.html", {"outcome": outcome, "form": form})


def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk)
    log_access(request, "case", [case.pk])
    return render(
        request, "caseload/case_history.html", {"case": case, "changes": case_changes(case)}
    )


@require_http_methods(["GET", "POST"])
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    complaint = get_object_or_404(
        Complaint.objects.select_related("case__referral"), pk=pk, case__in=cases_visible_to(user)
    )
    log_access(request, "case", [complaint.case.pk])
    form = ComplaintUpdateForm(
        request.POST or None,
        initial={
            "acknowledged_date": complaint.acknowledged_date,
            "outcome": complaint.outcome,
            "learning": complaint.learning,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_update(complaint=complaint, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The complaint has been updated.")
            return redirect("caseload:case-detail", pk=complaint.case.pk)
    return render(request, "caseload/complaint_form.html", {"complaint": complaint, "form": form})
