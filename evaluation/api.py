"""The evaluators' read-only API (Django REST framework), described by an OpenAPI schema
(drf-spectacular). It serves what the evaluators' pages show, from the same code:
pseudonymised records (evaluation.records) and the figures of any period
(reporting.figures). It uses the signed-in session with its second factor, answers GET
only, and writes every record it returns to the access log.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import asdict, fields
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.audit import log_access
from core.paginator import CountedPaginator
from core.periods import (
    financial_year_named,
    last_complete_quarter,
    month_named,
    quarter_named,
    whole_period_name,
)
from evaluation.records import (
    FIELDS,
    STATUS_FILTERS,
    EvaluationRecord,
    cases_of_status,
    evaluation_cases,
    record_detail,
    records_of,
)
from reporting.figures import figures_for
from reporting.figures.suppression import relabel_workers

_HELP = {name: f"{label}. {meaning}".strip() for name, label, meaning in FIELDS}
_TYPES = {field.name: field.type for field in fields(EvaluationRecord)}


def _field(name: str) -> serializers.Field:
    kind = str(_TYPES[name])
    nullable = "None" in kind
    if kind.startswith("int"):
        return serializers.IntegerField(help_text=_HELP[name], allow_null=nullable)
    if kind.startswith("float"):
        return serializers.FloatField(help_text=_HELP[name], allow_null=nullable)
    return serializers.CharField(help_text=_HELP[name], allow_blank=True)


#: One record, its fields made from FIELDS so that the schema documents each of them.
RecordSerializer = type(
    "EvaluationRecordSerializer",
    (serializers.Serializer,),
    {name: _field(name) for name, _, _ in FIELDS},
)


class RecordDetailSerializer(RecordSerializer):  # type: ignore[misc,valid-type]
    outcomes = serializers.ListField(child=serializers.DictField(), help_text="Type and months.")
    distance = serializers.ListField(
        child=serializers.DictField(), help_text="Each assessment's month and domain scores."
    )
    contacts_by_month = serializers.ListField(
        child=serializers.DictField(), help_text="Contacts, client contacts and hours a month."
    )
    appointments_by_month = serializers.ListField(
        child=serializers.DictField(), help_text="Appointments kept and missed a month."
    )


class RecordPagination(PageNumberPagination):
    page_size = 100


class ReadOnlyAPIView(APIView):
    http_method_names: ClassVar[list[str]] = ["get", "head"]


class RecordList(ReadOnlyAPIView):
    @extend_schema(
        summary="Pseudonymised records, one per case, oldest referral first",
        parameters=[
            OpenApiParameter("status", str, enum=list(STATUS_FILTERS), required=False),
            OpenApiParameter("page", int, required=False),
        ],
        responses=RecordSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", "")
        if status and status not in STATUS_FILTERS:
            raise ValidationError({"status": f"Use one of: {', '.join(STATUS_FILTERS)}."})
        paginator = RecordPagination()
        paginator.django_paginator_class = functools.partial(
            CountedPaginator, count_of=cases_of_status(status)
        )
        page = paginator.paginate_queryset(evaluation_cases(status), request, view=self) or []
        log_access(request, "case", [case.pk for case in page])
        return paginator.get_paginated_response([asdict(record) for record in records_of(page)])


class RecordDetail(ReadOnlyAPIView):
    @extend_schema(
        summary="One pseudonymised record with its outcomes, assessments and contacts",
        responses=RecordDetailSerializer,
    )
    def get(self, request: Request, pseudonym: str) -> Response:
        case_id, detail = record_detail(pseudonym)
        log_access(request, "case", [case_id])
        return Response(
            {
                **asdict(detail.record),
                "outcomes": detail.outcomes,
                "distance": detail.distance,
                "contacts_by_month": detail.contacts_by_month,
                "appointments_by_month": detail.appointments_by_month,
            }
        )


class Figures(ReadOnlyAPIView):
    @extend_schema(
        summary="The figures of a whole month, quarter or financial year that has ended, "
        "exactly as the return defines them, with workers numbered instead of named",
        description="Figures are given for whole periods only, and only once they have "
        "ended, so that no one's dates can be worked out by comparing short periods. By "
        "default: the latest complete quarter.",
        parameters=[
            OpenApiParameter("quarter", str, required=False, description="e.g. 2026-27-Q3"),
            OpenApiParameter("month", str, required=False, description="e.g. 2026-10"),
            OpenApiParameter("year", str, required=False, description="e.g. 2026-27"),
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                required=False,
                description="with end: the first and last day of a whole month, quarter or "
                "financial year",
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, required=False),
        ],
        responses=inline_serializer("Figures", {"meta": serializers.DictField()}),
    )
    def get(self, request: Request) -> Response:
        start, end = _period(request.query_params)
        return Response(relabel_workers(figures_for(start, end)))


WHOLE_PERIODS_ONLY = (
    "Ask for a whole month (month=2026-10), quarter (quarter=2026-27-Q3) or financial year "
    "(year=2026-27) that has ended; start and end must be the first and last day of one."
)


def _period(params: Any) -> tuple[datetime.date, datetime.date]:
    """The period asked for: a whole month, quarter or financial year that has ended (IN-9:
    shorter or open periods would let dates be worked out by differencing). By default the
    latest complete quarter."""
    today = timezone.localdate()
    asked = [name for name in ("quarter", "month", "year", "start", "end") if params.get(name)]
    period: tuple[datetime.date, datetime.date] | None
    if not asked:
        latest = last_complete_quarter(today)
        return latest.start, latest.end
    if asked == ["quarter"]:
        quarter = quarter_named(params["quarter"].strip())
        period = (quarter.start, quarter.end) if quarter else None
    elif asked == ["month"]:
        period = month_named(params["month"])
    elif asked == ["year"]:
        period = financial_year_named(params["year"])
    elif asked == ["start", "end"]:
        try:
            start = datetime.date.fromisoformat(params["start"])
            end = datetime.date.fromisoformat(params["end"])
        except ValueError:
            period = None
        else:
            period = (start, end) if whole_period_name(start, end) else None
    else:
        period = None
    if period is None:
        raise ValidationError({"period": WHOLE_PERIODS_ONLY})
    if period[1] >= today:
        raise ValidationError({"period": "That period has not ended yet. " + WHOLE_PERIODS_ONLY})
    return period
