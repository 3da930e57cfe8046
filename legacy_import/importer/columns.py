"""The files and columns of the format, and how each cell is read: a parser returns the
value or raises ValueError with the message the error line shows."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet

from caseload.models import Case, Contact, CrisisEpisode, DistanceAssessment, Outcome, Signposting
from core import bulk
from core.codes import ClosureReason, Cohort, Ethnicity, Gender, Need, RejectionReason, Source
from core.models import Role
from core.money import parse_pounds


def _identifier(text: str) -> str:
    if len(text) > 64:
        raise ValueError("ids are at most 64 characters")
    return text


def _text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise ValueError(f"at most {max_length} characters")
        return text

    return parse


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError(f"{text!r} is not an email address") from None
    return text.lower()


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _date(text: str) -> date:
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if match := _UK_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the calendar") from None
    raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD or DD/MM/YYYY")


_BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _boolean(text: str) -> bool:
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not yes or no (nor true/false, 1/0)") from None


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"[+-]?\d+", text) or not low <= int(text) <= high:
            raise ValueError(f"{text!r} is not a whole number from {low} to {high}")
        return int(text)

    return parse


def _decimal(text: str, places: int) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite() or number.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError(f"{text!r} is not a number with at most {places} decimal places")
    return number


def _fte(text: str) -> Decimal:
    number = _decimal(text, 2)
    if not Decimal(0) < number <= Decimal(1):
        raise ValueError(f"{text!r}: the FTE must be more than 0 and at most 1")
    return number


def _hours(text: str) -> Decimal:
    number = _decimal(text, 1)
    if not Decimal(1) <= number <= Decimal(80):
        raise ValueError(f"{text!r}: hours a week must be from 1 to 80")
    return number


def _pence(text: str) -> int:
    pence = parse_pounds(text)
    if pence <= 0:
        raise ValueError(f"{text!r}: the amount must be more than £0")
    return pence


def _choice(values: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(values)

    def parse(text: str) -> str:
        if text.lower() not in allowed:
            raise ValueError(f"{text!r} is not one of {', '.join(allowed)}")
        return text.lower()

    return parse


_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})")


def _postcode(text: str) -> str:
    match = _POSTCODE.fullmatch(text.upper())
    if not match:
        raise ValueError(f"{text!r} is not a UK postcode")
    return " ".join(match.groups())


@dataclass(frozen=True)
class Column:
    parse: Callable[[str], Any]
    required: bool = False
    default: Any = None


def read_cell(rule: Column, text: str, today: date) -> tuple[Any, str | None]:
    """The cell's value, or the problem with it (a date may not be after `today`)."""
    if not text:
        return (None, "a value is required") if rule.required else (rule.default, None)
    try:
        value = rule.parse(text)
    except ValueError as problem:
        return None, str(problem)
    if isinstance(value, date) and value > today:
        return None, f"{value} is in the future"
    return value, None


def _required(parse: Callable[[str], Any]) -> Column:
    return Column(parse, required=True)


_ID = _required(_identifier)
_DATE = _required(_date)
_SCORE_10 = _required(_integer(1, 10))
_SCORE_5 = _required(_integer(1, 5))

#: The files in the order they are checked and written, with their columns; the first
#: column of each is its legacy id.
SPEC: dict[str, dict[str, Column]] = {
    "workers.csv": {
        "worker_id": _ID,
        "email": _required(_email),
        "name": _required(_text(150)),
        "fte": _required(_fte),
        "role": Column(_choice([Role.SPECIALIST, Role.MANAGER]), default=Role.SPECIALIST),
        "start_date": Column(_date),
    },
    "referrals.csv": {
        "referral_id": _ID,
        "person_id": _ID,
        "received_date": _DATE,
        "source": _required(_choice(Source.values)),
        "first_name": _required(_text(100)),
        "last_name": _required(_text(100)),
        "date_of_birth": _DATE,
        "gender": Column(_choice(Gender.values), default=Gender.NOT_STATED),
        "ethnicity": Column(_choice(Ethnicity.values), default=Ethnicity.NOT_STATED),
        "postcode": Column(_postcode, default=""),
        "cohort": _required(_choice(Cohort.values)),
        "decision": Column(_choice(["accepted", "rejected", "withdrawn"])),
        "decision_date": Column(_date),
        "rejection_reason": Column(_choice(RejectionReason.values)),
        "rejection_rationale": Column(_text(10_000)),
    },
    "cases.csv": {
        "case_id": _ID,
        "referral_id": _ID,
        "worker_id": _ID,
        "start_date": _DATE,
        "prior_similar_support": Column(
            _choice(Case.PriorSupport.values), default=Case.PriorSupport.UNKNOWN
        ),
        "closed_date": Column(_date),
        "closure_reason": Column(_choice(ClosureReason.values)),
    },
    "contacts.csv": {
        "contact_id": _ID,
        "case_id": Column(_identifier),
        "worker_id": _ID,
        "date": _DATE,
        "mode": _required(_choice(Contact.Mode.values)),
        "party": _required(_choice(Contact.Party.values)),
        "duration_minutes": _required(_integer(1, 720)),
        "out_of_hours": Column(_boolean, default=False),
        "employer": Column(_text(200)),
    },
    "outcomes.csv": {
        "outcome_id": _ID,
        "case_id": _ID,
        "type": _required(_choice(Outcome.Type.values)),
        "start_date": _DATE,
        "end_date": Column(_date),
        "hours_per_week": Column(_hours),
        "employer": Column(_text(200), default=""),
    },
    "assessments.csv": {
        "assessment_id": _ID,
        "case_id": _ID,
        "date": _DATE,
        **dict.fromkeys(DistanceAssessment.DOMAINS, _SCORE_10),
    },
    "fund_applications.csv": {
        "application_id": _ID,
        "case_id": _ID,
        "submitted_date": _DATE,
        "amount_requested": _required(_pence),
        "purpose": _required(_text(10_000)),
        "decision": Column(_choice(["approved", "rejected", "withdrawn"])),
        "decision_date": Column(_date),
        "amount_awarded": Column(_pence),
    },
    "offences.csv": {
        "offence_id": _ID,
        "case_id": _ID,
        "date": _DATE,
        "description": Column(_text(10_000), default=""),
    },
    "signposting.csv": {
        "signposting_id": _ID,
        "case_id": _ID,
        "date": _DATE,
        "need": _required(_choice(Need.values)),
        "organisation": _required(_text(200)),
        "outcome": Column(_choice(Signposting.Result.values), default="not_known"),
    },
    "feedback.csv": {
        "feedback_id": _ID,
        "case_id": _ID,
        "date": _DATE,
        "trust": _SCORE_5,
        "confidence": _SCORE_5,
        "respected": _SCORE_5,
        "comment": Column(_text(10_000), default=""),
    },
    "crises.csv": {
        "crisis_id": _ID,
        "case_id": _ID,
        "date": _DATE,
        "kind": _required(_choice(CrisisEpisode.Kind.values)),
        "notes": Column(_text(10_000), default=""),
    },
    "complaints.csv": {
        "complaint_id": _ID,
        "case_id": _ID,
        "received_date": _DATE,
        "acknowledged_date": Column(_date),
        "resolved_date": Column(_date),
        "summary": Column(_text(5_000), default=""),
    },
}
REQUIRED_FILES = ("workers.csv", "referrals.csv")


#: Each file's id column: its first.
ID_COLUMNS = {name: next(iter(columns)) for name, columns in SPEC.items()}


@dataclass
class Row:
    file: str
    number: int
    #: Parsed values of the cells that are valid (and defaults for empty optional ones).
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.values[ID_COLUMNS[self.file]]

    def ok(self, *columns: str) -> bool:
        return self.values.keys() >= set(columns)

    def __getitem__(self, column: str) -> Any:
        return self.values.get(column)


class Ref(NamedTuple):
    """A related record named by its legacy key, resolved to the object when writing."""

    kind: str
    key: str


def keyed(records: Iterable[Any], key: str = "legacy_id") -> dict[str, Any]:
    """Stored records by their legacy key (the last of any that share one)."""
    return {getattr(record, key): record for record in records}


def stored(records: QuerySet[Any], keys: Collection[str], key: str = "legacy_id") -> dict[str, Any]:
    """The stored records (of `records`) whose legacy key is one of `keys`, by key: asked
    for by key when they are few; else every keyed record of the table is read, once, and
    those named kept (an IN list of thousands costs more than the rows it would leave out).
    """
    if not keys:
        return {}
    if len(keys) <= bulk.IN_LIST_LIMIT:
        return keyed(records.filter(**{f"{key}__in": keys}), key)
    wanted = set(keys)
    everyone = keyed(records.exclude(**{f"{key}__isnull": True}).iterator(chunk_size=5000), key)
    return {name: record for name, record in everyone.items() if name in wanted}


def years_old(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
