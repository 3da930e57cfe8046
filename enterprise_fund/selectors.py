"""Reads of the fund and its applications. The only place that knows who sees which bid:
an application is visible to whoever may see its case (caseload.selectors)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.shortcuts import get_object_or_404

from core.codes import Ethnicity, Gender
from core.models import Role, User
from enterprise_fund.models import Attachment, Fund, FundApplication, LedgerEntry

#: Age bands on the application date: (key, label, youngest, oldest or None). The same bands
#: as the return's equity figures, so the two read alike.
AGE_BANDS: tuple[tuple[str, str, int | None, int | None], ...] = (
    ("under_18", "Under 18", None, 17),
    ("18_21", "18 to 21", 18, 21),
    ("22_25", "22 to 25", 22, 25),
    ("26_30", "26 to 30", 26, 30),
    ("31_35", "31 to 35", 31, 35),
    ("over_35", "36 and over", 36, None),
)


def current_fund() -> Fund | None:
    """The configured fund (the service has one pot at a time)."""
    return Fund.objects.order_by("-pk").first()


def applications_visible_to(user: User) -> QuerySet[FundApplication]:
    """Specialists see the applications on their own cases, managers every application, and
    no one else any (the URL rules refuse them first)."""
    from caseload.selectors import cases_visible_to

    return FundApplication.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case__referral", "case__worker", "fund", "submitted_by"
    )


def get_application_for(user: User, pk: int, *, write: bool = False) -> FundApplication:
    """The application if the user may see it, else 404 (never confirming that it exists);
    403 when they may see it but not change it (no such role today: kept, like
    get_case_for's `write`, so that read-only roles can be added without changing callers)."""
    application = get_object_or_404(applications_visible_to(user), pk=pk)
    if write and user.role not in (Role.SPECIALIST, Role.MANAGER):
        raise PermissionDenied
    return application


def get_attachment_for(user: User, pk: int) -> Attachment:
    """An attachment, by the same rule as its application: 404 for anyone else."""
    return get_object_or_404(
        Attachment.objects.filter(application__in=applications_visible_to(user)).select_related(
            "application"
        ),
        pk=pk,
    )


def ledger(fund: Fund) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(fund=fund).select_related("by", "application")


def application_timeline(application: FundApplication) -> list[dict[str, Any]]:
    """Every step on the application, newest first: when, who, what and why."""
    entries: list[dict[str, Any]] = []
    for record in application.history.filter(history_change_reason__isnull=False).exclude(
        history_change_reason=""
    ):
        entries.append(
            {
                "at": record.history_date,
                "by": record.history_user,
                "title": record.history_change_reason,
                "detail": "",
            }
        )
    for assessment in application.assessments.select_related("assessor"):
        entries.append(
            {
                "at": assessment.created_at,
                "by": assessment.assessor,
                "title": f"Assessed: {assessment.total} out of 25",
                "detail": assessment.summary,
            }
        )
    for decision in application.decisions.select_related("by"):
        detail = [decision.reason, decision.conditions and f"Conditions: {decision.conditions}"]
        entries.append(
            {
                "at": decision.decided_at,
                "by": decision.by,
                "title": decision.label,
                "amount_pence": decision.amount_pence,
                "detail": "\n".join(part for part in detail if part),
            }
        )
    for payment in application.payments.select_related("by"):
        entries.append(
            {
                "at": payment.created_at,
                "by": payment.by,
                "title": f"Payment to {payment.payee_name}",
                "amount_pence": payment.amount_pence,
                "detail": payment.reference,
            }
        )
    for report in application.income_reports.select_related("by"):
        entries.append(
            {
                "at": report.created_at,
                "by": report.by,
                "title": f"Income reported for {report.period_start:%-d %b %Y} to "
                f"{report.period_end:%-d %b %Y}",
                "amount_pence": report.income_pence,
                "detail": report.notes,
            }
        )
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


def _age_on_application() -> Any:
    """Whole years of age on the application's submission date; needs the aliases that
    _applied_and_awarded adds."""
    birthday_to_come = Q(applied_month__lt=F("born_month")) | Q(
        applied_month=F("born_month"), applied_day__lt=F("born_day")
    )
    return (
        ExtractYear("submitted_date")
        - ExtractYear("case__referral__date_of_birth")
        - models.Case(When(birthday_to_come, then=Value(1)), default=Value(0))
    )


def _applied_and_awarded(
    applications: QuerySet[FundApplication],
) -> dict[str, list[dict[str, Any]]]:
    """The submitted `applications` counted by the applicant's ethnicity, gender and age
    band: each group's applied and awarded (approved). One grouped query, each
    application's age band worked out once, summed here into the three groupings."""
    aged = applications.alias(
        born_month=ExtractMonth("case__referral__date_of_birth"),
        born_day=ExtractDay("case__referral__date_of_birth"),
        applied_month=ExtractMonth("submitted_date"),
        applied_day=ExtractDay("submitted_date"),
    ).alias(age=_age_on_application())
    band = models.Case(
        *(
            When(
                (Q(age__gte=youngest) if youngest is not None else Q())
                & (Q(age__lte=oldest) if oldest is not None else Q()),
                then=Value(key),
            )
            for key, _label, youngest, oldest in AGE_BANDS
        ),
        default=Value(""),
        output_field=models.CharField(),
    )
    rows = (
        aged.annotate(band=band)
        .values("case__referral__ethnicity", "case__referral__gender", "band")
        .annotate(
            applied=Count("pk"),
            awarded=Count("pk", filter=Q(status=FundApplication.Status.APPROVED)),
        )
        .order_by()
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        for group, value in (
            ("ethnicity", row["case__referral__ethnicity"]),
            ("gender", row["case__referral__gender"]),
            ("age_band", row["band"]),
        ):
            cell = counts.setdefault((group, value), {"applied": 0, "awarded": 0})
            cell["applied"] += row["applied"]
            cell["awarded"] += row["awarded"]
    groups = {
        "ethnicity": Ethnicity.choices,
        "gender": Gender.choices,
        "age_band": [(key, label) for key, label, _youngest, _oldest in AGE_BANDS],
    }
    return {
        group: [
            {"label": label, **counts.get((group, code), {"applied": 0, "awarded": 0})}
            for code, label in choices
        ]
        for group, choices in groups.items()
    }


def fund_overview(fund: Fund) -> dict[str, Any]:
    """The manager's operational view of the fund, computed in the database: the balance and
    the money moved, applications by status with the amounts asked, awarded and paid, the
    time from submission to decision, who applied and who was awarded, and the businesses
    still trading."""
    applications = FundApplication.objects.filter(fund=fund)
    money = LedgerEntry.objects.filter(fund=fund).aggregate(
        awarded=Sum("amount_pence", filter=Q(kind=LedgerEntry.Kind.AWARD), default=0),
        paid=Sum("amount_pence", filter=Q(kind=LedgerEntry.Kind.PAYMENT), default=0),
        adjusted=Sum("amount_pence", filter=Q(kind=LedgerEntry.Kind.ADJUSTMENT), default=0),
    )
    grouped: dict[str, dict[str, Any]] = {
        row["status"]: dict(row)
        for row in applications.order_by()
        .values("status")
        .annotate(
            count=Count("pk"),
            asked=Sum("amount_requested_pence", default=0),
            awarded=Sum("amount_awarded_pence", default=0),
            paid=Sum("amount_paid_pence", default=0),
        )
    }
    by_status = [
        {
            "status": status,
            "label": label,
            "count": grouped.get(status, {}).get("count", 0),
            "asked": grouped.get(status, {}).get("asked", 0),
            "awarded": grouped.get(status, {}).get("awarded", 0),
            "paid": grouped.get(status, {}).get("paid", 0),
        }
        for status, label in FundApplication.Status.choices
    ]
    submitted = applications.filter(submitted_date__isnull=False)
    totals = submitted.aggregate(
        count=Count("pk"),
        asked=Sum("amount_requested_pence", default=0),
        awarded=Sum("amount_awarded_pence", default=0),
        paid=Sum("amount_paid_pence", default=0),
    )
    decided = submitted.filter(
        status__in=[FundApplication.Status.APPROVED, FundApplication.Status.REJECTED],
        decision_date__isnull=False,
    ).annotate(
        waited=ExpressionWrapper(
            F("decision_date") - F("submitted_date"), output_field=DurationField()
        )
    )
    timing = decided.aggregate(count=Count("pk"), mean=Avg("waited"), longest=Max("waited"))
    businesses = applications.filter(business_outcome__isnull=False).aggregate(
        started=Count("pk"),
        trading=Count("pk", filter=Q(business_outcome__end_date__isnull=True)),
    )
    return {
        "fund": fund,
        "total": fund.total_pence,
        "remaining": fund.remaining_pence,
        "awarded": money["awarded"],
        "paid": money["paid"],
        "adjusted": money["adjusted"],
        "awarded_not_paid": money["awarded"] - money["paid"],
        "by_status": by_status,
        "totals": totals,
        "decisions": timing["count"],
        "mean_days_to_decision": _days(timing["mean"]),
        "longest_days_to_decision": _days(timing["longest"]),
        "equity": _applied_and_awarded(submitted),
        "businesses_started": businesses["started"],
        "businesses_trading": businesses["trading"],
    }


def _days(duration: Any) -> float | None:
    if duration is None:
        return None
    return round(duration.total_seconds() / 86400, 1)


def applications_awaiting(user: User) -> QuerySet[FundApplication]:
    """Submitted applications waiting for a decision, oldest first: for the fund page's
    list by reference, amount and date, so without the related rows (a six-table join whose
    planning alone took 10 ms at 20,000 clients)."""
    return (
        applications_visible_to(user)
        .select_related(None)
        .filter(
            status__in=[
                FundApplication.Status.SUBMITTED,
                FundApplication.Status.AWAITING_SECOND_APPROVAL,
            ]
        )
        .order_by("submitted_date", "pk")
    )
