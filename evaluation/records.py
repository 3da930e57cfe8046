"""What evaluators see: one pseudonymised record per case, live, built in the database.

A record holds the case's stored evaluators' pseudonym (caseload.pseudonyms), the age
band on referral, gender, ethnic group, postcode district, referral source and cohort, the
months of referral, start and closure, counts of contacts and outcomes, distance travelled
and fund awards. It never holds a name, a date of birth, a contact detail, a full postcode,
a free-text note, an exact date or an internal id: every field is listed in FIELDS, and
the pages, the CSV extract and the API are all built from these records alone.

Figures (counts over a quarter) are not computed here: they come from reporting.figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404

from caseload.models import Appointment, Case, Contact, DistanceAssessment, Offence, Outcome
from caseload.models.contacts import CLIENT_CONTACT
from caseload.pseudonyms import case_id_for_evaluator_pseudonym, evaluator_pseudonyms
from core.codes import ClosureReason, Cohort, Ethnicity, Gender, Source
from core.money import pence_to_pounds
from core.queries import count_by, sum_by
from enterprise_fund.models import FundApplication
from referrals.eligibility import postcode_district
from reporting.figures.people import AGE_BANDS, age_band, with_age

AGE_BAND_LABELS = {
    "under_18": "Under 18",
    "18_21": "18 to 21",
    "22_25": "22 to 25",
    "26_30": "26 to 30",
    "31_35": "31 to 35",
    "over_35": "Over 35",
}
assert set(AGE_BAND_LABELS) == {key for key, _, _ in AGE_BANDS}

DOMAIN_KEYS = DistanceAssessment.DOMAINS

STATUS_LABELS = {
    "awaiting_start": "Accepted, not yet started",
    "open": "Open",
    "closed": "Closed",
}


@dataclass(frozen=True)
class EvaluationRecord:
    pseudonym: str
    age_band: str
    gender: str
    ethnicity: str
    postcode_district: str
    referral_source: str
    cohort: str
    referral_month: str
    start_month: str
    closed_month: str
    closure_reason: str
    status: str
    client_contacts: int
    contact_hours: float
    outcomes_paid_work: int
    outcomes_training_or_education: int
    outcomes_volunteering: int
    first_paid_work_month: str
    distance_assessments: int
    distance_first_total: int | None
    distance_latest_total: int | None
    offences_on_service: int
    fund_bids: int
    fund_awarded_pounds: float


#: Each field with its heading and what it means: the CSV header, the API schema and the
#: page that documents the data are all made from this list.
FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "pseudonym",
        "Pseudonym",
        "Made at random once for the case and kept for its life (older cases keep their "
        "six-digit form); not derived from anything about the person.",
    ),
    ("age_band", "Age band", "Age on the date of referral: " + ", ".join(AGE_BAND_LABELS)),
    ("gender", "Gender", ", ".join(Gender.values)),
    ("ethnicity", "Ethnic group", "ONS 2021 high-level group: " + ", ".join(Ethnicity.values)),
    ("postcode_district", "Postcode district", "The outward code only, such as B12."),
    ("referral_source", "Referral source", ", ".join(Source.values)),
    ("cohort", "Cohort", ", ".join(Cohort.values)),
    ("referral_month", "Referred", "Month the referral was received (YYYY-MM)."),
    ("start_month", "Started", "Month active support began (YYYY-MM); blank if not yet."),
    ("closed_month", "Closed", "Month the case closed (YYYY-MM); blank while open."),
    ("closure_reason", "Closure reason", ", ".join(ClosureReason.values)),
    ("status", "Status", ", ".join(STATUS_LABELS)),
    ("client_contacts", "Client contacts", "Contacts with the client, admin excluded."),
    ("contact_hours", "Contact hours", "Hours of all contacts logged on the case."),
    ("outcomes_paid_work", "Paid work outcomes", "Paid employment and self-employment."),
    ("outcomes_training_or_education", "Training or education outcomes", ""),
    ("outcomes_volunteering", "Volunteering outcomes", ""),
    ("first_paid_work_month", "First paid work", "Month the first paid work began (YYYY-MM)."),
    ("distance_assessments", "Distance assessments", "How many times it was assessed."),
    (
        "distance_first_total",
        "Distance: first total",
        "Sum of the seven domain scores (7 to 70) at the first assessment.",
    ),
    (
        "distance_latest_total",
        "Distance: latest total",
        "Sum of the seven domain scores (7 to 70) at the latest assessment.",
    ),
    (
        "offences_on_service",
        "Offences on service",
        "Offences recorded with a date between the case's start and its close.",
    ),
    ("fund_bids", "Fund bids", "Enterprise fund bids submitted (drafts excluded)."),
    ("fund_awarded_pounds", "Fund awarded (£)", "Total awarded on approved bids."),
)
assert [name for name, _, _ in FIELDS] == [field.name for field in fields(EvaluationRecord)]

STATUS_FILTERS = {
    "awaiting_start": Q(start_date__isnull=True),
    "open": Q(start_date__isnull=False, closed_date__isnull=True),
    "closed": Q(closed_date__isnull=False),
}


def _distance_total(order: tuple[str, ...]) -> Subquery:
    total = sum((F(domain) for domain in DistanceAssessment.DOMAINS[1:]), F("confidence"))
    assessments = DistanceAssessment.objects.filter(case=OuterRef("pk")).order_by(*order)
    return Subquery(assessments.annotate(total=total).values("total")[:1])


def evaluation_cases(status: str = "") -> QuerySet[Case]:
    """Every case (narrowed by `status`, a key of STATUS_FILTERS), with the annotations a
    record is made of, oldest referral first: made into records by `records_of`."""
    return _with_record_fields(cases_of_status(status))


def cases_of_status(status: str = "") -> QuerySet[Case]:
    """The cases evaluation_cases lists, without their records' fields: to count them."""
    cases = Case.objects.all()
    if status in STATUS_FILTERS:
        cases = cases.filter(STATUS_FILTERS[status])
    return cases


def _with_record_fields(cases: QuerySet[Case]) -> QuerySet[Case]:
    offences = Offence.objects.filter(
        Q(case__closed_date__isnull=True) | Q(case__closed_date__gt=F("date")),
        date__gte=F("case__start_date"),
    )
    first_paid = Outcome.objects.filter(case=OuterRef("pk"), type__in=Outcome.PAID)
    return (
        with_age(cases, "referral__")
        .annotate(
            pseudonym=F("pseudonyms__evaluator"),
            band=age_band(),
            gender=F("referral__gender"),
            ethnicity=F("referral__ethnicity"),
            postcode=F("referral__postcode"),
            source=F("referral__source"),
            cohort=F("referral__cohort"),
            received_date=F("referral__received_date"),
            client_contacts=count_by(Contact.objects.filter(CLIENT_CONTACT), "case"),
            contact_minutes=sum_by(Contact.objects.all(), "case", "duration_minutes"),
            outcomes_paid=count_by(Outcome.objects.filter(type__in=Outcome.PAID), "case"),
            outcomes_learning=count_by(
                Outcome.objects.filter(type__in=(Outcome.Type.TRAINING, Outcome.Type.EDUCATION)),
                "case",
            ),
            outcomes_volunteering=count_by(
                Outcome.objects.filter(type=Outcome.Type.VOLUNTEERING), "case"
            ),
            first_paid_start=Subquery(first_paid.order_by("start_date").values("start_date")[:1]),
            distance_count=count_by(DistanceAssessment.objects.all(), "case"),
            distance_first=_distance_total(("date", "pk")),
            distance_latest=_distance_total(("-date", "-pk")),
            offence_count=count_by(offences, "case"),
            bids=count_by(
                FundApplication.objects.exclude(status=FundApplication.Status.DRAFT), "case"
            ),
            awarded_pence=sum_by(
                FundApplication.objects.filter(status=FundApplication.Status.APPROVED),
                "case",
                "amount_awarded_pence",
            ),
        )
        .order_by("received_date", "pk")
    )


def _month(day: datetime.date | None) -> str:
    return day.strftime("%Y-%m") if day else ""


def _status(case: Case) -> str:
    if case.closed_date:
        return "closed"
    return "open" if case.start_date else "awaiting_start"


def records_of(cases: Iterable[Any]) -> list[EvaluationRecord]:
    """The records of cases from evaluation_cases() (a page of them, or all): the cases
    never shown before get their stored pseudonyms now, those of the page only (asking
    every case on every page read the whole table: 8 ms a page at 20,000 cases)."""
    cases = list(cases)
    if missing := [case.pk for case in cases if case.pseudonym is None]:
        made = evaluator_pseudonyms(missing)
        for case in cases:
            if case.pseudonym is None:
                case.pseudonym = made[case.pk]
    return [record_from(case) for case in cases]


def record_from(case: Any) -> EvaluationRecord:
    """The record of a case from evaluation_cases() whose pseudonym is stored (records_of
    sees to it): the only place a case becomes one."""
    return EvaluationRecord(
        pseudonym=case.pseudonym,
        age_band=case.band or "",
        gender=case.gender,
        ethnicity=case.ethnicity,
        postcode_district=postcode_district(case.postcode or "") or "",
        referral_source=case.source,
        cohort=case.cohort,
        referral_month=_month(case.received_date),
        start_month=_month(case.start_date),
        closed_month=_month(case.closed_date),
        closure_reason=case.closure_reason,
        status=_status(case),
        client_contacts=case.client_contacts,
        contact_hours=round(case.contact_minutes / 60, 1),
        outcomes_paid_work=case.outcomes_paid,
        outcomes_training_or_education=case.outcomes_learning,
        outcomes_volunteering=case.outcomes_volunteering,
        first_paid_work_month=_month(case.first_paid_start),
        distance_assessments=case.distance_count,
        distance_first_total=case.distance_first,
        distance_latest_total=case.distance_latest,
        offences_on_service=case.offence_count,
        fund_bids=case.bids,
        fund_awarded_pounds=pence_to_pounds(case.awarded_pence),
    )


def case_id_for(pseudonym: str) -> int:
    """The case behind a pseudonym (one indexed query), or 404. Kept to this module: the id
    never leaves it."""
    case_id = case_id_for_evaluator_pseudonym(pseudonym)
    if case_id is None:
        raise Http404("No record has that pseudonym.")
    return case_id


@dataclass(frozen=True)
class RecordDetail:
    record: EvaluationRecord
    outcomes: list[dict[str, Any]]
    distance: list[dict[str, Any]]
    contacts_by_month: list[dict[str, Any]]
    #: Appointments kept (attended) and missed each month (Outcome Framework 12.2.6).
    appointments_by_month: list[dict[str, Any]]


def record_detail(pseudonym: str) -> tuple[int, RecordDetail]:
    """The case id (for the access log only) and the record behind a pseudonym, with its
    outcomes, distance assessments, contacts and appointments by month, all to the month."""
    case_id = case_id_for(pseudonym)
    record = record_from(_with_record_fields(Case.objects.filter(pk=case_id)).get())
    outcomes = [
        {
            "type": row["type"],
            "start_month": _month(row["start_date"]),
            "end_month": _month(row["end_date"]),
            "hours_per_week": float(row["hours_per_week"]) if row["hours_per_week"] else None,
        }
        for row in Outcome.objects.filter(case_id=case_id)
        .order_by("start_date", "pk")
        .values("type", "start_date", "end_date", "hours_per_week")
    ]
    distance = [
        {"month": _month(row["date"]), **{domain: row[domain] for domain in DOMAIN_KEYS}}
        for row in DistanceAssessment.objects.filter(case_id=case_id)
        .order_by("date", "pk")
        .values("date", *DOMAIN_KEYS)
    ]
    contacts = (
        Contact.objects.filter(case_id=case_id)
        .values("date__year", "date__month")
        .annotate(
            contacts=Count("pk"),
            client=Count("pk", filter=CLIENT_CONTACT),
            minutes=Sum("duration_minutes"),
        )
        .order_by("date__year", "date__month")
    )
    contacts_by_month = [
        {
            "month": f"{row['date__year']:04d}-{row['date__month']:02d}",
            "contacts": row["contacts"],
            "client_contacts": row["client"],
            "hours": round((row["minutes"] or 0) / 60, 1),
        }
        for row in contacts
    ]
    appointments = (
        Appointment.objects.filter(
            case_id=case_id,
            status__in=[Appointment.Status.ATTENDED, Appointment.Status.MISSED],
        )
        .values("date__year", "date__month")
        .annotate(
            kept=Count("pk", filter=Q(status=Appointment.Status.ATTENDED)),
            missed=Count("pk", filter=Q(status=Appointment.Status.MISSED)),
        )
        .order_by("date__year", "date__month")
    )
    appointments_by_month = [
        {
            "month": f"{row['date__year']:04d}-{row['date__month']:02d}",
            "kept": row["kept"],
            "missed": row["missed"],
        }
        for row in appointments
    ]
    return case_id, RecordDetail(
        record, outcomes, distance, contacts_by_month, appointments_by_month
    )


def record_counts() -> dict[str, int]:
    """How many records there are in all and in each status."""
    counts = Case.objects.aggregate(
        all=Count("pk"), **{key: Count("pk", filter=q) for key, q in STATUS_FILTERS.items()}
    )
    return {key: counts[key] for key in ("all", *STATUS_FILTERS)}


#: The words shown on the pages for the codes the records hold.
CODE_LABELS: dict[str, dict[str, str]] = {
    "age_band": AGE_BAND_LABELS,
    "gender": dict(Gender.choices),
    "ethnicity": dict(Ethnicity.choices),
    "referral_source": dict(Source.choices),
    "cohort": dict(Cohort.choices),
    "closure_reason": dict(ClosureReason.choices),
    "status": STATUS_LABELS,
}
MONTH_FIELDS = ("referral_month", "start_month", "closed_month", "first_paid_work_month")


def month_label(month: str) -> str:
    """'2026-03' -> 'March 2026'; blank stays blank."""
    if not month:
        return ""
    return datetime.date.fromisoformat(f"{month}-01").strftime("%B %Y")


def labelled(record: EvaluationRecord) -> dict[str, str]:
    """The record as the pages show it: each field's words, not its code."""
    shown: dict[str, str] = {}
    for name, _, _ in FIELDS:
        value = getattr(record, name)
        if name in CODE_LABELS:
            shown[name] = CODE_LABELS[name].get(value, value)
        elif name in MONTH_FIELDS:
            shown[name] = month_label(value)
        elif name == "fund_awarded_pounds":
            shown[name] = f"£{value:,.2f}" if value else "0"
        else:
            shown[name] = "" if value is None else str(value)
    return shown
