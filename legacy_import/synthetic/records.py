"""The synthetic history's records on each case: assessments, contacts, outcomes and their
follow-up tasks, and fund bids with their awards and payments.

Every record falls within its case: from the start (or the acceptance, before a start)
to the closure or `today`. Contacts average 100 per client, more on longer cases, with a
few cases of 300 or more (the heaviest case pages).
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta

from django.conf import settings

from caseload.models import (
    Contact,
    DistanceAssessment,
    InitialAssessment,
    Outcome,
    RiskAssessment,
    Task,
)
from caseload.services.contacts import is_out_of_hours
from caseload.services.outcomes import follow_up_plan
from enterprise_fund.models import Fund, FundApplication, LedgerEntry
from legacy_import.synthetic.plan import BATCH, CaseRow, History, made, write

CONTACTS_PER_CLIENT = 100
#: One started case in a hundred is a heavy one, with 300-400 contacts.
HEAVY_SHARE = 0.01
NOTES = (
    "Talked through job search this week.",
    "Worked on the CV together.",
    "Called about an interview on Thursday.",
    "Checked in after the last appointment.",
    "",
)
EMPLOYERS = ("City Logistics", "Northside Builders", "Bright Catering", "Canal Street Retail")


def _end(history: History, case: CaseRow) -> date:
    return case.closed or history.today


def _started(history: History) -> list[CaseRow]:
    return [case for case in history.cases if case.start is not None]


def make_initial_assessments(history: History) -> None:
    rng = history.rng
    rows = []
    for case in _started(history):
        assert case.start is not None
        worker = history.worker_by_id[case.worker_id]
        assessment = InitialAssessment(
            case_id=case.pk,
            date=case.start,
            readiness=rng.choice(InitialAssessment.Readiness.values),
            goal=rng.choices(InitialAssessment.Goal.values, weights=[70, 12, 12, 6])[0],
            barriers=sorted(rng.sample(InitialAssessment.Barrier.values, rng.randint(0, 3))),
            by=worker,
        )
        rows.append(made(assessment, case.start, worker))
    history.counts["initial assessments"] = len(write(InitialAssessment, rows, history.by))


def make_risk_assessments(history: History) -> None:
    """One at the start (before any contact in the community), reviewed every six months."""
    rows = []
    for case in _started(history):
        assert case.start is not None
        worker = history.worker_by_id[case.worker_id]
        day = case.start
        while day <= _end(history, case):
            rows.append(
                made(
                    RiskAssessment(
                        case_id=case.pk,
                        date=day,
                        risks_to_client="None known beyond the referral.",
                        risks_from_client="None known.",
                        lone_working_plan="Meet in public places; call the office after.",
                        review_date=day + timedelta(days=182),
                        by=worker,
                    ),
                    day,
                    worker,
                )
            )
            day += timedelta(days=182)
    history.counts["risk assessments"] = len(write(RiskAssessment, rows, history.by))


def make_distance_assessments(history: History) -> None:
    """At the start and every quarter after, at most five."""
    rng = history.rng
    rows = []
    for case in _started(history):
        assert case.start is not None
        worker = history.worker_by_id[case.worker_id]
        day, base = case.start, rng.randint(2, 5)
        for step in range(5):
            if day > _end(history, case):
                break
            scores = {
                d: min(10, base + step + rng.randint(0, 2)) for d in DistanceAssessment.DOMAINS
            }
            rows.append(made(DistanceAssessment(case_id=case.pk, date=day, **scores), day, worker))
            day += timedelta(days=91)
    history.counts["distance assessments"] = len(write(DistanceAssessment, rows, history.by))


def _contact_counts(history: History) -> dict[int, int]:
    """Contacts per case: about CONTACTS_PER_CLIENT per client in all, in proportion to how
    long each case has run; the longest cases first get 300-400."""
    rng = history.rng
    started = _started(history)
    length = {c.pk: max(1, (_end(history, c) - c.start).days) for c in started if c.start}
    heavy = sorted(started, key=lambda c: -length[c.pk])[
        : max(1, round(len(started) * HEAVY_SHARE))
    ]
    counts = {case.pk: rng.randint(300, 400) for case in heavy}
    clients = history.counts.get("referrals", 0)
    rest = [c for c in started if c.pk not in counts]
    left = max(0, CONTACTS_PER_CLIENT * clients - sum(counts.values()))
    total_length = sum(length[c.pk] for c in rest) or 1
    for case in rest:
        share = left * length[case.pk] / total_length
        counts[case.pk] = max(1, round(share * rng.uniform(0.6, 1.4)))
    for case in history.cases:
        if case.start is None:
            counts[case.pk] = rng.randint(0, 2)
    return counts


def _contact(history: History, case: CaseRow, day: date, worker_id: int) -> Contact:
    rng = history.rng
    party = rng.choices(
        [Contact.Party.CLIENT, Contact.Party.EMPLOYER, Contact.Party.PARTNER], weights=[85, 10, 5]
    )[0]
    mode = rng.choices(
        [Contact.Mode.FACE_TO_FACE, Contact.Mode.PHONE, Contact.Mode.VIDEO, Contact.Mode.MESSAGE],
        weights=[45, 35, 5, 15],
    )[0]
    place = ""
    if mode == Contact.Mode.FACE_TO_FACE:
        # In the community only once the case has a risk assessment (from its start).
        community = case.start is not None and rng.random() < 0.4
        place = Contact.Place.COMMUNITY if community else Contact.Place.OFFICE
    elif mode == Contact.Mode.VIDEO:
        place = Contact.Place.ONLINE
    moment = dt.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45)))
    return Contact(
        case_id=case.pk,
        worker_id=worker_id,
        date=day,
        time=moment,
        mode=mode,
        party=party,
        duration_minutes=rng.choice((10, 15, 20, 30, 45, 60, 90)),
        place=place,
        out_of_hours=is_out_of_hours(day, moment),
        note=rng.choice(NOTES),
    )


def make_contacts(history: History) -> None:
    """Written a few thousand cases at a time, so memory stays flat at any scale."""
    rng, counts, written, pending = history.rng, _contact_counts(history), 0, []
    for case in history.cases:
        worker = history.worker_by_id[case.worker_id]
        first, last = case.start or case.accepted, _end(history, case)
        if last < first:
            continue
        days = (last - first).days
        for _ in range(counts.get(case.pk, 0)):
            day = first + timedelta(days=rng.randint(0, days))
            pending.append(made(_contact(history, case, day, worker.pk), day, worker))
        if len(pending) >= 10 * BATCH:
            written += len(write(Contact, pending, history.by))
            pending = []
    written += len(write(Contact, pending, history.by))
    history.counts["contacts"] = written


def make_outcomes(history: History) -> None:
    """About 45% of started cases reach an outcome; a third of those have ended since."""
    rng, rows = history.rng, []
    for case in _started(history):
        assert case.start is not None
        end = _end(history, case)
        if rng.random() > 0.45 or (end - case.start).days < 30:
            continue
        kind = rng.choices(Outcome.Type.values, weights=[60, 8, 15, 7, 10])[0]
        start = history.between(case.start + timedelta(days=30), end)
        paid = kind in Outcome.PAID
        outcome = Outcome(
            case_id=case.pk,
            type=kind,
            start_date=start,
            hours_per_week=rng.choice((16, 20, 30, 37.5)) if paid else None,
            employer_name=rng.choice(EMPLOYERS) if kind == Outcome.Type.PAID_EMPLOYMENT else "",
            role="Warehouse operative" if kind == Outcome.Type.PAID_EMPLOYMENT else "",
            competitive=True if kind == Outcome.Type.PAID_EMPLOYMENT else None,
        )
        if rng.random() < 0.33 and start < end:
            outcome.end_date = history.between(start, end)
            outcome.end_reason = "Contract ended."
        rows.append(made(outcome, start, history.worker_by_id[case.worker_id]))
    history.outcomes = write(Outcome, rows, history.by)
    history.counts["outcomes"] = len(history.outcomes)


def make_tasks(history: History) -> None:
    """The follow-up each outcome puts on the list; most that fell due were done."""
    rng, rows = history.rng, []
    case_of = {case.pk: case for case in history.cases}
    for outcome in history.outcomes:
        worker = history.worker_by_id[case_of[outcome.case_id].worker_id]
        for kind, title, due in follow_up_plan(outcome.type, outcome.start_date):
            if outcome.end_date is not None and due > outcome.end_date:
                continue  # Open tasks after the end no longer apply (outcome_end).
            task = Task(
                case_id=outcome.case_id, outcome_id=outcome.pk, kind=kind, title=title, due_date=due
            )
            if due <= history.today and rng.random() < 0.9:
                task.done_date = min(due + timedelta(days=rng.randint(0, 7)), history.today)
                task.evidence = "Seen and recorded."
                task.done_by = worker
            rows.append(made(task, outcome.start_date, worker))
    history.counts["tasks"] = len(write(Task, rows, history.by))


def make_fund_bids(history: History) -> None:
    """Bids from about one started case in sixteen, against one fund; approved ones are
    awarded from its balance with a ledger entry, and most of those paid."""
    rng = history.rng
    started = _started(history)
    # One bid at least, so that the smallest history has a fund with a bid in it.
    bidders = [c for c in started if rng.random() < 1 / 16] or started[:1]
    business = {o.case_id: o for o in history.outcomes if o.type == Outcome.Type.SELF_EMPLOYMENT}
    threshold = settings.E4E_FUND_SECOND_APPROVAL_PENCE
    total = 300_000 * max(1, len(bidders))  # more than every request
    fund = Fund(
        name="Enterprise fund",
        total_pence=total,
        remaining_pence=total,
        period_start=history.today - timedelta(days=3 * 365),
        period_end=history.today,
    )
    assert fund.period_start is not None
    [fund] = write(Fund, [made(fund, fund.period_start, history.by)], history.by)
    bids, awarded = [], 0
    for number, case in enumerate(bidders):
        assert case.start is not None
        worker = history.worker_by_id[case.worker_id]
        submitted = history.between(case.start, _end(history, case))
        bid = FundApplication(
            fund=fund,
            case_id=case.pk,
            purpose="A small business of their own.",
            amount_requested_pence=rng.randint(20, 300) * 1000,
            submitted_date=submitted,
            submitted_by=worker,
        )
        status = rng.choices(["approved", "rejected", "submitted", "draft"], [50, 20, 15, 15])[0]
        status = "approved" if number == 0 else status  # the ledger is never empty
        bid.status = status
        if status == "draft":
            bid.submitted_date = bid.submitted_by = None
        elif status in ("approved", "rejected"):
            first, second = rng.sample(history.managers, 2)
            bid.decision_date = min(submitted + timedelta(days=rng.randint(3, 21)), history.today)
            bid.decided_by = first
        if status == "approved":
            bid.amount_awarded_pence = bid.amount_requested_pence - rng.randint(0, 10) * 1000
            if bid.amount_awarded_pence > threshold:
                bid.first_approved_by, bid.first_approved_pence = second, bid.amount_awarded_pence
            if rng.random() < 0.6:
                bid.amount_paid_pence = bid.amount_awarded_pence
            outcome = business.pop(case.pk, None)
            bid.business_outcome_id = outcome.pk if outcome else None
            awarded += bid.amount_awarded_pence
        bids.append(made(bid, submitted, worker))
    bids = write(FundApplication, bids, history.by)
    ledger = []
    for bid in bids:
        if bid.status != FundApplication.Status.APPROVED:
            continue
        assert bid.decision_date is not None
        assert bid.amount_awarded_pence is not None
        ledger.append(
            made(
                LedgerEntry(
                    fund=fund,
                    kind=LedgerEntry.Kind.AWARD,
                    application=bid,
                    date=bid.decision_date,
                    amount_pence=bid.amount_awarded_pence,
                    by=bid.decided_by,
                ),
                bid.decision_date,
                bid.decided_by,
            )
        )
        if bid.amount_paid_pence:
            paid_on = min(bid.decision_date + timedelta(days=14), history.today)
            ledger.append(
                made(
                    LedgerEntry(
                        fund=fund,
                        kind=LedgerEntry.Kind.PAYMENT,
                        application=bid,
                        date=paid_on,
                        amount_pence=bid.amount_paid_pence,
                        by=bid.decided_by,
                    ),
                    paid_on,
                    bid.decided_by,
                )
            )
    write(LedgerEntry, ledger, history.by)
    # The balance the awards leave, as the award service leaves it (its history row too).
    fund.remaining_pence = total - awarded
    made(fund, history.today, history.by).save(update_fields=["remaining_pence", "updated_at"])
    history.counts["fund bids"] = len(bids)
    history.counts["ledger entries"] = len(ledger)
