"""The evaluators' pages: pseudonymised records, one record, the CSV extract, the live
figures and the description of the data and the API. All read-only (the access policy
refuses anything but GET to evaluators); every record shown is written to the access log.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from caseload.models import Outcome
from core.audit import log_access
from core.paginator import CountedPaginator
from core.periods import last_complete_quarter
from evaluation.forms import RecordFilterForm
from evaluation.records import (
    DOMAIN_KEYS,
    FIELDS,
    STATUS_LABELS,
    cases_of_status,
    evaluation_cases,
    labelled,
    month_label,
    record_counts,
    record_detail,
    records_of,
)
from reporting.figures.suppression import relabel_workers
from reporting.selectors import dashboard as dashboard_figures
from reporting.spreadsheet import safe_cell
from reporting.views import dashboard_context

PAGE_SIZE = 50
OUTCOME_TYPES = dict(Outcome.Type.choices)


@require_safe
def records(request: HttpRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    paginator = CountedPaginator(
        evaluation_cases(status), PAGE_SIZE, count_of=cases_of_status(status)
    )
    page = paginator.get_page(request.GET.get("page"))
    log_access(request, "case", [case.pk for case in page])
    return render(
        request,
        "reporting/evaluation/records.html",
        {
            "form": form,
            "page_obj": page,
            "records": [labelled(record) for record in records_of(page)],
            "filtered": bool(status),
        },
    )


@require_safe
def record(request: HttpRequest, pseudonym: str) -> HttpResponse:
    case_id, detail = record_detail(pseudonym)
    log_access(request, "case", [case_id])
    shown = labelled(detail.record)
    return render(
        request,
        "reporting/evaluation/record.html",
        {
            "detail": detail,
            "pseudonym": detail.record.pseudonym,
            "rows": [(label, shown[name]) for name, label, _ in FIELDS[1:]],
            "outcomes": [
                {
                    "type": OUTCOME_TYPES.get(outcome["type"], outcome["type"]),
                    "start": month_label(outcome["start_month"]),
                    "end": month_label(outcome["end_month"]) or "Continuing",
                    "hours": outcome["hours_per_week"],
                }
                for outcome in detail.outcomes
            ],
            "domains": [domain.capitalize() for domain in DOMAIN_KEYS],
            "distance": [
                {
                    "month": month_label(row["month"]),
                    "scores": [(domain.capitalize(), row[domain]) for domain in DOMAIN_KEYS],
                    "total": sum(row[domain] for domain in DOMAIN_KEYS),
                }
                for row in detail.distance
            ],
            "contacts": [
                {**row, "month": month_label(row["month"])} for row in detail.contacts_by_month
            ],
            "appointments": [
                {**row, "month": month_label(row["month"])} for row in detail.appointments_by_month
            ],
        },
    )


@require_safe
def extract(request: HttpRequest) -> HttpResponse:
    """Every record as CSV, one row per case, the columns of FIELDS."""
    cases = list(evaluation_cases())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _, _ in FIELDS])
    for row in records_of(cases):
        writer.writerow([safe_cell(getattr(row, name)) for name, _, _ in FIELDS])
    log_access(request, "case", [case.pk for case in cases])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"e4e-evaluation-extract-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    """The figures of the latest complete quarter, with the trend: the manager's dashboard
    without the returns, workers numbered instead of named. Whole quarters that have ended
    only (as the API): live figures to date, compared day by day, would give away the dates
    things happened to people."""
    data = dashboard_figures(last_complete_quarter(timezone.localdate()).end)
    data["figures"] = relabel_workers(data["figures"])
    return render(request, "reporting/evaluation/figures.html", dashboard_context(data))


@require_safe
def data_and_api(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/evaluation/data_and_api.html", {"fields": FIELDS})


def home_evaluator(request: HttpRequest) -> HttpResponse:
    counts = record_counts()
    rows = [(key, label, counts[key]) for key, label in STATUS_LABELS.items()]
    return render(request, "home/evaluator.html", {"total": counts["all"], "rows": rows})
