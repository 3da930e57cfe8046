"""Checking what hangs off the cases (contacts, outcomes, ... and fund bids), the fund's
total, and the workers' capacity."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from caseload.models import Case, Outcome
from core.models import CASES_PER_FULL_TIME_WORKER, User
from core.money import format_pounds
from enterprise_fund.models import FundApplication
from enterprise_fund.selectors import current_fund
from legacy_import.importer.checks import Checks
from legacy_import.importer.columns import SPEC, Ref, Row
from legacy_import.importer.records import CHILDREN, _differences
from legacy_import.importer.result import FileCounts


def _day_ranges(days: list[date]) -> str:
    ranges: list[tuple[date, date]] = []
    for day in days:
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ", ".join(str(a) if a == b else f"{a} to {b}" for a, b in ranges)


class CaseworkChecks(Checks):
    def validate(self) -> None:
        """Check everything, in the order of the files, and count the planned writes."""
        self._parse_tables()
        self._load_existing()
        self._check_workers()
        self._check_referrals()
        self._check_cases()
        for name in CHILDREN:
            self._check_children(name)
        self._check_fund_applications()
        self._check_capacity()
        for name, plans in self.plans.items():
            if name in self.present:
                self.result.counts[name] = FileCounts(
                    created=sum(1 for plan in plans if plan.instance is None),
                    updated=sum(1 for plan in plans if plan.instance is not None),
                )
        new_employers = {
            plan.changes["employer"].key
            for plan in self.plans["contacts.csv"]
            if plan.changes.get("employer") is not None
        } - set(self.objects["employer"])
        if new_employers:
            self.result.counts["employers"] = FileCounts(created=len(new_employers))

    # contacts, outcomes, assessments, offences, signposting, feedback, crises, complaints

    def _case_window(self, row: Row) -> tuple[date | None, date | None] | None:
        if not row.ok("case_id") or row["case_id"] is None:
            return None
        key = row["case_id"]
        if key in self.case_dates:
            return self.case_dates[key]
        if key not in self.rows["cases.csv"]:
            self.error(row, "case_id", f"{key} is not in cases.csv nor in the database")
        return None

    def _check_children(self, name: str) -> None:
        child = CHILDREN[name]
        for row in self.rows[name].values():
            window = self._case_window(row)
            column = child.dated_within_case
            if window is not None and column and row.ok(column):
                start, closed = window
                if start is None or row[column] < start:
                    self.error(row, column, f"before its case started ({start or 'not yet'})")
                elif closed and row[column] > closed:
                    self.error(row, column, f"after its case closed ({closed})")
            if name == "contacts.csv":
                self._check_contact(row)
            elif name == "outcomes.csv":
                self._check_outcome(row)
            elif name == "complaints.csv":
                self._check_complaint(row)
            if row.ok(*SPEC[name]):
                self._plan(row, name, child.fields(row))

    def _check_contact(self, row: Row) -> None:
        if row.ok("worker_id"):
            self._reference(row, "worker_id", "worker", "workers.csv")
        general = (row["mode"], row["party"]) == ("admin", "none")
        if row.ok("case_id", "mode", "party") and row["case_id"] is None and not general:
            self.error(row, "case_id", "only a general admin contact (admin, none) has no case")
        if row.ok("party", "employer") and row["party"] == "employer" and not row["employer"]:
            self.error(row, "employer", "a contact with an employer needs the employer's name")

    def _check_outcome(self, row: Row) -> None:
        ended = row.ok("start_date", "end_date") and row["end_date"]
        if ended and row["end_date"] < row["start_date"]:
            self.error(row, "end_date", "before the outcome started")
        paid = row.ok("type", "hours_per_week") and row["type"] in Outcome.PAID
        if paid and row["hours_per_week"] is None:
            self.error(row, "hours_per_week", "a paid outcome needs its hours a week")

    def _check_complaint(self, row: Row) -> None:
        for column, what in (("acknowledged_date", "acknowledged"), ("resolved_date", "resolved")):
            if (
                row.ok("received_date", column)
                and row[column]
                and row[column] < row["received_date"]
            ):
                self.error(row, column, f"{what} before the complaint was received")

    # the fund

    def _check_fund_applications(self) -> None:
        rows = self.rows["fund_applications.csv"]
        stored_fund = current_fund()
        total = self.fund_total_pence
        if total is None and stored_fund is not None:
            total = stored_fund.total_pence
        if rows and total is None:
            self.file_error(
                "fund_applications.csv", "no fund is set up: give the fund's total (--fund-total)"
            )
        awards: list[tuple[date, int, Row | None]] = []
        approved = FundApplication.objects.filter(status=FundApplication.Status.APPROVED)
        for legacy_id, on, pence in approved.values_list(
            "legacy_id", "decision_date", "amount_awarded_pence"
        ):
            if legacy_id not in rows:  # else counted from its row below
                awards.append((on, pence, None))  # type: ignore[arg-type]  # both set when approved
        for row in rows.values():
            self._case_window(row)  # the reference must hold; bids have no date window
            decision = row["decision"]
            if decision and not row["decision_date"] and row.ok("decision_date"):
                self.error(row, "decision_date", "a decision needs its date")
            if row["decision_date"] and not decision and row.ok("decision"):
                self.error(row, "decision", "a decision date needs the decision")
            decided = row.ok("decision_date", "submitted_date") and row["decision_date"]
            if decided and row["decision_date"] < row["submitted_date"]:
                self.error(row, "decision_date", "before the application was submitted")
            if decision == "approved" and row.ok("amount_awarded", "amount_requested"):
                if row["amount_awarded"] is None:
                    self.error(row, "amount_awarded", "an approval needs the amount awarded")
                elif row["amount_awarded"] > row["amount_requested"]:
                    self.error(row, "amount_awarded", "more than the amount requested")
                else:
                    awards.append((row["decision_date"], row["amount_awarded"], row))
            elif row["amount_awarded"] and row.ok("decision"):
                self.error(row, "amount_awarded", "only for an approved application")
            if row.ok(*SPEC["fund_applications.csv"]):
                self._plan_application(row)
        if total is not None:
            self._check_awards_within(total, awards)

    def _plan_application(self, row: Row) -> None:
        wanted = {
            "case": Ref("case", row["case_id"]),
            "submitted_date": row["submitted_date"],
            "amount_requested_pence": row["amount_requested"],
            "purpose": row["purpose"],
            "status": row["decision"] or FundApplication.Status.SUBMITTED,
            "decision_date": row["decision_date"],
            "amount_awarded_pence": row["amount_awarded"],
        }
        stored = self.objects["fund_applications.csv"].get(row.id)
        if stored is not None and stored.status == FundApplication.Status.APPROVED:
            award = ("status", "decision_date", "amount_requested_pence", "amount_awarded_pence")
            if _differences(stored, {key: wanted[key] for key in award}):
                self.error(
                    row,
                    "decision",
                    f"approved on {stored.decision_date} for "
                    f"{format_pounds(stored.amount_awarded_pence)}: an import cannot change an "
                    "award",
                )
                return
        self._plan(row, "fund_applications.csv", wanted)

    def _check_awards_within(self, total: int, awards: list[tuple[date, int, Row | None]]) -> None:
        running = 0
        for _, amount, row in sorted(awards, key=lambda award: (award[0], award[2] is not None)):
            running += amount
            if running > total:
                if row is None:
                    self.file_error(
                        "--fund-total", f"{format_pounds(total)} is less than the awards"
                    )
                    return
                self.error(
                    row,
                    "amount_awarded",
                    f"awards would come to {format_pounds(running)}, beyond the fund's total "
                    f"of {format_pounds(total)}",
                )

    # capacity

    def _check_capacity(self) -> None:
        """Warn of days in the past a worker held more cases than their capacity; refuse a
        new open case to a worker who is at capacity today."""
        workers = {row.id: row for row in self.rows["workers.csv"].values() if row.ok("fte")}
        capacity: dict[str, int] = {}
        spans: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
        new_cases: dict[str, list[tuple[bool, date, Row]]] = defaultdict(list)
        open_kept: dict[str, int] = defaultdict(int)
        for row in self.rows["cases.csv"].values():
            if row.id not in self.case_accepted:
                continue
            existing = self.objects["case"].get(row.id)
            worker_id = row["worker_id"]
            accepted = self.case_accepted[row.id] or row["start_date"]
            spans[worker_id].append((accepted, row["closed_date"]))
            is_open = row["closed_date"] is None
            was_open_here = (
                existing is not None
                and existing.closed_date is None
                and existing.worker.legacy_id == worker_id
            )
            if existing is None or (is_open and not was_open_here):
                new_cases[worker_id].append((is_open, accepted, row))
            elif is_open:
                open_kept[worker_id] += 1
        names = set(spans)
        emails = {worker_id: row["email"] for worker_id, row in workers.items()}
        for user in User.objects.filter(legacy_id__in=names):
            capacity[str(user.legacy_id)] = user.capacity
            emails.setdefault(str(user.legacy_id), user.email)
        for case in Case.objects.filter(worker__legacy_id__in=names).values(
            "legacy_id", "worker__legacy_id", "accepted_date", "closed_date"
        ):
            if case["legacy_id"] in self.rows["cases.csv"]:
                continue  # counted from its row above
            holder = str(case["worker__legacy_id"])
            spans[holder].append((case["accepted_date"], case["closed_date"]))
            if case["closed_date"] is None:
                open_kept[holder] += 1
        for worker_id in sorted(names):
            if worker_id in workers:
                fte = workers[worker_id]["fte"]
                capacity[worker_id] = math.floor(CASES_PER_FULL_TIME_WORKER * fte)
            if worker_id not in capacity:
                continue
            cap = capacity[worker_id]
            label = f"{worker_id} ({emails[worker_id]})" if emails.get(worker_id) else worker_id
            self._warn_past_overload(label, cap, spans[worker_id])
            held = open_kept[worker_id]
            for is_open, _, row in sorted(new_cases[worker_id], key=lambda c: (c[0], c[1])):
                if held >= cap:
                    self.error(
                        row,
                        "worker_id",
                        f"{worker_id} already has {held} open cases today, their full capacity "
                        f"of {cap}: no new case can be given to them",
                    )
                elif is_open:
                    held += 1

    def _warn_past_overload(
        self, worker: str, cap: int, spans: list[tuple[date, date | None]]
    ) -> None:
        change: dict[date, int] = defaultdict(int)
        for accepted, closed in spans:
            change[accepted] += 1
            change[closed or self.today] -= 1
        over: list[date] = []
        held = 0
        days = sorted(change)
        for day, following in zip(days, [*days[1:], self.today], strict=True):
            held += change[day]
            if held > cap:
                over.extend(day + timedelta(days=n) for n in range((following - day).days))
        if over:
            self.result.warnings.append(
                f"{worker}: more open cases than their capacity of {cap} on {len(over)} "
                f"day{'s' if len(over) != 1 else ''} in the past: {_day_ranges(over)}"
            )
