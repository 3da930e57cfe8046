"""Reads of referrals that depend on who is asking. The only place that knows who sees what."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.http import Http404
from django.utils import timezone

from core.access import rule_for
from core.models import Role, User
from referrals.eligibility import working_days_before
from referrals.models import PartnerLink, Referral

logger = structlog.get_logger("e4e.access")

#: Referrals not screened within this many working days are highlighted in the queue.
SCREEN_WITHIN_WORKING_DAYS = 5
#: Statuses that wait on a screening decision (the waiting list is a decision to wait).
AWAITING_SCREENING = (Referral.Status.RECEIVED, Referral.Status.SCREENING)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Managers see every referral; specialists only those whose case they may open.

    The case's rule is caseload's (`caseload.case_access`: a grant in force on the case); it is
    read here through the relation, as referrals stand below caseload and cannot import it.
    `tests/caseload/test_case_access.py` proves the two agree."""
    referrals = Referral.objects.select_related("decided_by", "case__worker")
    if user.role == Role.MANAGER:
        return referrals
    if user.role == Role.SPECIALIST and user.is_active:
        # The grant must be in force today: the worker's own, or a cover within its dates
        # and not ended (`caseload.models.access.grant_in_force`, which this mirrors).
        today = timezone.localdate()
        in_force = Q(case__grants__cover__isnull=True) | Q(
            case__grants__cover__starts__lte=today,
            case__grants__cover__ends__gte=today,
            case__grants__cover__ended_at__isnull=True,
        )
        return referrals.filter(
            in_force, case__grants__user=user, case__grants__permission__codename="view_case"
        )
    return referrals.none()


def may_decide_referrals(user: User) -> bool:
    """Whether the user may screen and decide referrals, as the access registry says."""
    rule = rule_for("caseload:referral-accept")
    return rule is not None and user.role in rule.roles


def get_referral_for(user: User, pk: int, *, write: bool = False) -> Referral:
    """The referral if the user may see it, else 404 (never confirming that it exists);
    403 when they may see it but `write` asks to change it and they may not."""
    try:
        referral = referrals_visible_to(user).get(pk=pk)
    except Referral.DoesNotExist:
        logger.warning("access.object_not_visible", user_id=user.pk, object="referral", pk=pk)
        raise Http404 from None
    if write and not may_decide_referrals(user):
        logger.warning("access.object_read_only", user_id=user.pk, object="referral", pk=pk)
        raise PermissionDenied
    return referral


def _overdue(today: date) -> Q:
    """Awaiting screening for more than 5 working days."""
    cutoff = working_days_before(today, SCREEN_WITHIN_WORKING_DAYS)
    return Q(status__in=AWAITING_SCREENING, received_date__lt=cutoff)


def is_overdue(referral: Referral, today: date) -> bool:
    cutoff = working_days_before(today, SCREEN_WITHIN_WORKING_DAYS)
    return referral.status in AWAITING_SCREENING and referral.received_date < cutoff


def with_overdue(referrals: QuerySet[Referral], today: date) -> QuerySet[Referral]:
    """Annotate `is_overdue` (see _overdue) for the queue's highlight."""
    return referrals.annotate(
        is_overdue=SqlCase(
            When(_overdue(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def referral_queue(
    user: User,
    *,
    today: date,
    statuses: list[str] | None = None,
    source: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
    reference: str = "",
) -> QuerySet[Referral]:
    referrals = with_overdue(referrals_visible_to(user), today)
    if statuses:
        referrals = referrals.filter(status__in=statuses)
    if source:
        referrals = referrals.filter(source=source)
    if received_from:
        referrals = referrals.filter(received_date__gte=received_from)
    if received_to:
        referrals = referrals.filter(received_date__lte=received_to)
    if reference:
        referrals = referrals.filter(reference__iexact=reference)
    return referrals.order_by("-received_date", "-pk")


def overdue_count(user: User, *, today: date) -> int:
    return referrals_visible_to(user).filter(_overdue(today)).count()


def waiting_list(user: User) -> QuerySet[Referral]:
    """Referrals on the waiting list, longest waiting first."""
    return (
        referrals_visible_to(user)
        .filter(status=Referral.Status.WAITING_LIST)
        .order_by("received_date", "waiting_since", "pk")
    )


@dataclass
class Duplicate:
    referral: Referral
    reasons: list[str] = field(default_factory=list)

    @property
    def open_case_worker(self) -> User | None:
        case = getattr(self.referral, "case", None)
        if case is not None and case.closed_date is None:
            return case.worker
        return None


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def possible_duplicates(referral: Referral, user: User) -> list[Duplicate]:
    """Other referrals (that the user may see) of what may be the same person: the same
    name and date of birth, the same phone or email, or the same imported person id.
    A match that has an open case says so (`open_case_worker`)."""
    same_person = Q(
        first_name__iexact=referral.first_name.strip(),
        last_name__iexact=referral.last_name.strip(),
        date_of_birth=referral.date_of_birth,
    )
    match = same_person | Q(person_key=referral.person_key)
    if referral.phone:
        match |= Q(phone=referral.phone)
    if referral.email:
        match |= Q(email__iexact=referral.email)
    candidates = referrals_visible_to(user).filter(match).exclude(pk=referral.pk)
    found = []
    for other in candidates.order_by("-received_date", "-pk")[:20]:
        reasons = []
        if (
            other.first_name.strip().lower() == referral.first_name.strip().lower()
            and other.last_name.strip().lower() == referral.last_name.strip().lower()
            and other.date_of_birth == referral.date_of_birth
        ):
            reasons.append("same name and date of birth")
        if referral.phone and _digits(other.phone) == _digits(referral.phone):
            reasons.append("same phone number")
        if referral.email and other.email.lower() == referral.email.lower():
            reasons.append("same email address")
        if other.person_key == referral.person_key:
            reasons.append("same person in an imported record")
        found.append(Duplicate(referral=other, reasons=reasons))
    return found


#: Fields that change with the status (shown by it) or on every save: not listed apart.
_IMPLIED_BY_STATUS = {
    "updated_at",
    "waiting_since",
    "decision_date",
    "decided_by",
    "rejection_reason",
    "rejection_rationale",
}


def referral_history(referral: Referral) -> list[dict[str, Any]]:
    """Every recorded change to the referral, newest first: when, who, and what changed."""
    records = list(referral.history.select_related("history_user").order_by("history_date"))
    partner = getattr(referral, "partner_submission", None)
    labels = {f.name: str(f.verbose_name) for f in Referral._meta.fields}
    entries: list[dict[str, Any]] = []
    previous = None
    for record in records:
        if record.history_user is not None:
            who = record.history_user.full_name
        elif previous is None and partner is not None:
            who = f"Partner link ({partner.link.organisation})"
        else:
            who = "E4E Case system"
        changes: list[str] = []
        if previous is None:
            changes.append(f"Referral recorded as {record.get_status_display().lower()}")
        else:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field == "status":
                    old = Referral.Status(change.old).label.lower()
                    new = Referral.Status(change.new).label.lower()
                    changes.append(f"Status changed from {old} to {new}")
                elif change.field == "outcome_emailed_at" and change.new:
                    changes.append("Outcome emailed to the referrer")
                elif change.field not in _IMPLIED_BY_STATUS:
                    changes.append(
                        f"{str(labels.get(change.field, change.field)).capitalize()} changed"
                    )
        if changes:
            entries.append({"when": record.history_date, "who": who, "changes": changes})
        previous = record
    return list(reversed(entries))


def partner_links() -> QuerySet[PartnerLink]:
    return PartnerLink.objects.select_related("created_by", "revoked_by").annotate(
        submission_count=Count("submissions")
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def usable_partner_link(token: str, *, now: datetime) -> PartnerLink | None:
    """The link for this secret if it exists and is neither expired nor revoked."""
    if not token or len(token) > 100:
        return None
    link = PartnerLink.objects.filter(token_hash=token_hash(token)).first()
    if link is None or not link.is_usable(now):
        return None
    return link


def erasure_refusal(referral: Referral) -> str | None:
    """Why the person's details cannot be erased now, or None when they can."""
    if referral.anonymised_at is not None:
        return "This person's details have already been removed."
    case = getattr(referral, "case", None)
    if case is not None and case.closed_date is None:
        return "The case is still open. Close it before removing the person's details."
    if case is None and referral.status not in (
        Referral.Status.REJECTED,
        Referral.Status.WITHDRAWN,
    ):
        return "The referral is still open. Withdraw it before removing the person's details."
    return None
