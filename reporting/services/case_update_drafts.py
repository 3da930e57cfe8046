"""The draft update on each case active in a return's quarter, made when the snapshot job
lists the active cases: what the case's specialist starts from (statement of requirement
8.1), drafted from the case's record.

- Objectives: the goals of the action plan set by the end of the quarter, with their target
  dates.
- What was achieved: the client contacts in the quarter, the goals done in it (when the
  goal's history says it was marked done; for a goal without history, when it was last
  changed), the outcomes started in it, and the distance travelled (the change in the
  total score from the first assessment to the latest, by the end of the quarter).
- Next steps: the goals still open.

Once reviewed, the update goes to the OPCC under a pseudonym, so the draft is made of
counts, codes and the goals' own words only, never of notes; and in case a goal names the
person, their name, date of birth, postcode, phone number, email address and reference are
taken out of it. The specialist and the manager read it all before it goes.

A correction of a signed-off return starts from that version's updates, as they were signed
off, rather than from a new draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from caseload.models import ActionPlanGoal, CasePseudonym, Contact, DistanceAssessment, Outcome
from caseload.models.contacts import CLIENT_CONTACT
from core import history
from core.models import User
from referrals.models import Referral
from reporting.models import CaseUpdate, QuarterlyReturn
from reporting.services.common import FROZEN_MESSAGE, lock_return

logger = structlog.get_logger("e4e.reporting")

#: Cases read at a time: each read's IN list stays well inside every database's limits.
CHUNK = 500
#: What stands in for an identifier taken out of a goal's words.
REMOVED = "[removed]"
OPEN_GOALS = (ActionPlanGoal.Status.NOT_STARTED, ActionPlanGoal.Status.IN_PROGRESS)


@dataclass
class CaseRecord:
    """What the draft of one case's update is written from."""

    goals: list[ActionPlanGoal] = field(default_factory=list)
    #: Goal id -> the day it was marked done.
    done_on: dict[int, date] = field(default_factory=dict)
    client_contacts: int = 0
    #: The outcomes started in the quarter (their types' labels), earliest first.
    outcomes: list[str] = field(default_factory=list)
    #: The total scores of the distance-travelled assessments by the end of the quarter,
    #: oldest first.
    distance_totals: list[int] = field(default_factory=list)
    #: The person's details that must not reach the draft.
    identifiers: list[str] = field(default_factory=list)


@transaction.atomic
def case_updates_draft(*, quarterly_return: QuarterlyReturn, by: User) -> list[CaseUpdate]:
    """Give every case active in the return's quarter (`active_cases`) that has no update
    yet a draft one; drop the updates of cases no longer among them. Returns the updates
    made. A signed-off return is refused."""
    locked = lock_return(quarterly_return)
    if locked.is_signed_off:
        raise ValidationError(FROZEN_MESSAGE, code="frozen")
    active = list(locked.active_cases)
    wanted = set(active)
    have: set[str] = set()
    for update in locked.updates.all():
        if update.pseudonym in wanted:
            have.add(update.pseudonym)
        else:
            history.delete(update, by=by, reason="The case was not active in the quarter")
    missing = [pseudonym for pseudonym in active if pseudonym not in have]
    case_ids = _case_ids(missing)
    version, earlier = _signed_off_updates_of_the_version_before(locked)
    copies: list[CaseUpdate] = []
    to_draft: list[tuple[str, int | None]] = []
    for pseudonym in missing:
        case_id = case_ids.get(pseudonym)
        before = _earlier(earlier, pseudonym, case_id)
        if before is not None:
            copies.append(_copy(before, locked, pseudonym=pseudonym, case_id=case_id))
        else:
            to_draft.append((pseudonym, case_id))
    texts = draft_texts(
        [case_id for _, case_id in to_draft if case_id is not None],
        locked.period_start,
        locked.period_end,
    )
    drafts = [
        CaseUpdate(
            quarterly_return=locked,
            case_id=case_id,
            pseudonym=pseudonym,
            **(texts.get(case_id, {}) if case_id is not None else {}),
        )
        for pseudonym, case_id in to_draft
    ]
    made = [
        *bulk_create_with_history(
            copies,
            CaseUpdate,
            batch_size=CHUNK,
            default_user=by,
            default_change_reason=f"Copied from version {version}, as it was signed off",
        ),
        *bulk_create_with_history(
            drafts,
            CaseUpdate,
            batch_size=CHUNK,
            default_user=by,
            default_change_reason="Drafted from the record",
        ),
    ]
    logger.info(
        "reporting.case_updates_drafted",
        return_id=locked.pk,
        drafted=len(drafts),
        copied=len(copies),
    )
    return made


def _chunks[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _case_ids(pseudonyms: Sequence[str]) -> dict[str, int]:
    """OPCC pseudonym -> its case's id."""
    found: dict[str, int] = {}
    for chunk in _chunks(pseudonyms):
        found |= dict(CasePseudonym.objects.filter(opcc__in=chunk).values_list("opcc", "case_id"))
    return found


def _signed_off_updates_of_the_version_before(
    quarterly_return: QuarterlyReturn,
) -> tuple[int, dict[str | int, CaseUpdate]]:
    """When the return corrects a signed-off version: that version's number and its updates,
    by case id and by pseudonym (none when it corrects nothing)."""
    before = (
        QuarterlyReturn.objects.filter(
            period_start=quarterly_return.period_start,
            period_end=quarterly_return.period_end,
            status=QuarterlyReturn.Status.SIGNED_OFF,
            version__lt=quarterly_return.version,
        )
        .order_by("-version")
        .first()
    )
    if before is None:
        return 0, {}
    found: dict[str | int, CaseUpdate] = {}
    for update in before.updates.all():
        found[update.pseudonym] = update
        if update.case_id is not None:
            found[update.case_id] = update
    return before.version, found


def _earlier(
    earlier: dict[str | int, CaseUpdate], pseudonym: str, case_id: int | None
) -> CaseUpdate | None:
    return (earlier.get(case_id) if case_id is not None else None) or earlier.get(pseudonym)


def _copy(
    before: CaseUpdate, quarterly_return: QuarterlyReturn, *, pseudonym: str, case_id: int | None
) -> CaseUpdate:
    return CaseUpdate(
        quarterly_return=quarterly_return,
        case_id=case_id,
        pseudonym=pseudonym,
        objectives=before.objectives,
        achieved=before.achieved,
        next_steps=before.next_steps,
        status=before.status,
        submitted_by_id=before.submitted_by_id,
        submitted_at=before.submitted_at,
        reviewed_by_id=before.reviewed_by_id,
        reviewed_at=before.reviewed_at,
    )


# --- Reading the records -------------------------------------------------------------------


def draft_texts(case_ids: Sequence[int], start: date, end: date) -> dict[int, dict[str, str]]:
    """Case id -> the draft's three parts, for the quarter [start, end]: a few queries for
    every CHUNK cases, however many goals, contacts and assessments they have."""
    texts: dict[int, dict[str, str]] = {}
    for chunk in _chunks(list(case_ids)):
        for case_id, record in _records(chunk, start, end).items():
            texts[case_id] = draft_text(record, start, end)
    return texts


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _records(case_ids: Sequence[int], start: date, end: date) -> dict[int, CaseRecord]:
    records = {case_id: CaseRecord() for case_id in case_ids}
    referrals = Referral.objects.filter(case__in=case_ids).select_related("case")
    for referral in referrals:
        records[referral.case.pk].identifiers = identifiers_of(referral)
    goals = ActionPlanGoal.objects.filter(case__in=case_ids, created_at__lt=_end_of(end))
    for goal in goals.exclude(status=ActionPlanGoal.Status.DROPPED).order_by("target_date", "pk"):
        records[goal.case_id].goals.append(goal)
    _read_done_dates(records, case_ids)
    contacts = (
        Contact.objects.filter(CLIENT_CONTACT, case__in=case_ids, date__range=(start, end))
        .values("case")
        .annotate(n=Count("pk"))
        .values_list("case", "n")
    )
    for case_id, count in contacts:
        records[case_id].client_contacts = count
    outcomes = Outcome.objects.filter(case__in=case_ids, start_date__range=(start, end))
    for outcome in outcomes.order_by("start_date", "pk"):
        records[outcome.case_id].outcomes.append(outcome.get_type_display())
    assessments = DistanceAssessment.objects.filter(case__in=case_ids, date__lte=end)
    for assessment in assessments.order_by("date", "pk"):
        total = sum(getattr(assessment, domain) for domain in DistanceAssessment.DOMAINS)
        records[assessment.case_id].distance_totals.append(total)
    return records


def _read_done_dates(records: dict[int, CaseRecord], case_ids: Sequence[int]) -> None:
    """When each goal was marked done: the first history row that has it done; for a goal
    done that has no history at all, when it was last changed."""
    if not any(goal.status == "done" for record in records.values() for goal in record.goals):
        return
    rows = ActionPlanGoal.history.filter(case__in=case_ids)
    first_done = dict(
        rows.filter(status="done")
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    with_history = set(rows.values_list("id", flat=True).distinct())
    for record in records.values():
        for goal in record.goals:
            if goal.pk in first_done:
                record.done_on[goal.pk] = timezone.localdate(first_done[goal.pk])
            elif goal.status == "done" and goal.pk not in with_history:
                record.done_on[goal.pk] = timezone.localdate(goal.updated_at)


# --- Writing the draft ---------------------------------------------------------------------


def identifiers_of(referral: Referral) -> list[str]:
    """The person's details that may not appear in a draft, longest first (so a full name
    goes before its parts)."""
    born = referral.date_of_birth
    values = [
        referral.full_name,
        referral.first_name,
        referral.last_name,
        referral.postcode,
        referral.postcode.replace(" ", ""),
        referral.phone,
        referral.phone.replace(" ", ""),
        referral.email,
        referral.reference,
        referral.person_key,
    ]
    if born is not None:
        values += [
            born.isoformat(),
            born.strftime("%d/%m/%Y"),
            born.strftime("%-d/%-m/%Y"),
            born.strftime("%d/%m/%y"),
            born.strftime("%d.%m.%Y"),
            born.strftime("%d-%m-%Y"),
            born.strftime("%-d %B %Y"),
            born.strftime("%-d %b %Y"),
        ]
    kept = {value.strip() for value in values if value and len(value.strip()) >= 2}
    return sorted(kept, key=lambda value: (-len(value), value))


def without_identifiers(text: str, identifiers: Iterable[str]) -> str:
    """`text` with each of the identifiers (as a whole word, in any case) taken out."""
    for value in identifiers:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", REMOVED, text, flags=re.IGNORECASE)
    return text


def _goal(goal: ActionPlanGoal, identifiers: list[str], *, status: bool) -> str:
    words = without_identifiers(goal.goal.strip().rstrip("."), identifiers)
    shown = f"{words}, by {goal.target_date:%-d %B %Y}"
    return f"{shown} ({goal.get_status_display().lower()})" if status else shown


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def draft_text(record: CaseRecord, start: date, end: date) -> dict[str, str]:
    """The three parts of the draft, from what the record says of the quarter."""
    hide = record.identifiers
    if record.goals:
        goals = "; ".join(_goal(goal, hide, status=True) for goal in record.goals)
        objectives = f"Action plan goals: {goals}."
    else:
        objectives = "No action plan goals were set by the end of the quarter."

    achieved = [f"{_plural(record.client_contacts, 'client contact')} in the quarter."]
    done = [g for g in record.goals if start <= record.done_on.get(g.pk, date.min) <= end]
    if done:
        achieved.append(
            "Goals done: " + "; ".join(_goal(goal, hide, status=False) for goal in done) + "."
        )
    if record.outcomes:
        achieved.append("Outcomes started: " + "; ".join(record.outcomes) + ".")
    totals = record.distance_totals
    if len(totals) >= 2:
        change = totals[-1] - totals[0]
        achieved.append(
            f"Distance travelled: the total score went from {totals[0]} to {totals[-1]} of "
            f"70 ({change:+d}) between the first assessment and the latest."
        )
    elif totals:
        achieved.append(f"One distance travelled assessment so far: {totals[0]} of 70.")

    still_open = [g for g in record.goals if g.status in OPEN_GOALS]
    if still_open:
        goals = "; ".join(_goal(goal, hide, status=False) for goal in still_open)
        next_steps = f"Open goals: {goals}."
    else:
        next_steps = "No goal is open on the action plan: agree the next goals."
    return {"objectives": objectives, "achieved": " ".join(achieved), "next_steps": next_steps}
