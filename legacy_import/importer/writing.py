"""Writing a checked import, in one transaction, as the system user: what it creates in
bulk (caseload.legacy.bulk, enterprise_fund.legacy), a few queries a file whatever its
size; what it corrects one record at a time, through the services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from caseload.legacy import case_update
from caseload.legacy.bulk import (
    NewCase,
    NewReferral,
    NewWorker,
    case_records_create,
    cases_create,
    employers_create,
    referrals_create,
    workers_create,
)
from caseload.models import Case
from core import history
from core.bulk import InvalidRecords
from core.models import User
from core.services import user_update
from core.system_user import system_user
from enterprise_fund.legacy import (
    NewApplication,
    fund_application_record,
    fund_applications_create,
)
from enterprise_fund.models import Fund, FundApplication
from enterprise_fund.selectors import current_fund
from enterprise_fund.services.funds import fund_award, fund_create, fund_set_total
from legacy_import.importer.casework import CaseworkChecks
from legacy_import.importer.columns import SPEC, Ref
from legacy_import.importer.records import CHILDREN, _Plan
from legacy_import.importer.result import ImportResult
from legacy_import.importer.sources import read_source
from referrals.models import Referral
from referrals.services import referral_reject, referral_withdraw
from reporting.figures.stored import figures_changed, recorded_by_caller

FUND_NAME = "Enterprise fund"
#: The reason a referral's history gives when the legacy history says it was withdrawn.
IMPORTED_WITHDRAWAL = "Withdrawn in the legacy history"


_DECISION = frozenset({"status", "decision_date", "rejection_reason", "rejection_rationale"})


class _WriteFailed(Exception):
    pass


def _save_with_history(obj: models.Model, by: User, **fields: Any) -> None:
    # Only for what no service sets yet: a worker's email, and corrections to a referral's
    # recorded facts (see the importer's notes on issue 6).
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["password"])
    history.save(obj, by=by)


class Import(CaseworkChecks):
    """An import: checked by validate() (see checks.py and casework.py), then written, file
    by file: first the corrections of stored records, one by one, then the new records,
    together."""

    def write(self) -> None:
        by = system_user()
        self.referrals_with_case = {row["referral_id"] for row in self.rows["cases.csv"].values()}
        self.fund = self._write_fund(by)
        files: list[tuple[str, Callable[[_Plan, User], None], Callable[..., list[Any]]]] = [
            ("workers.csv", self._correct_worker, self._create_workers),
            ("referrals.csv", self._correct_referral, self._create_referrals),
            ("cases.csv", self._correct_case, self._create_cases),
            *((name, self._correct_child, self._create_children) for name in CHILDREN),
            ("fund_applications.csv", self._correct_application, self._create_applications),
        ]
        for name, correct, create in files:
            plans = self._in_write_order(name)
            if name == "contacts.csv":
                self._create_employers(by)
            for plan in plans:
                if plan.instance is not None:
                    try:
                        correct(plan, by)
                    except ValidationError as problem:
                        self.error(plan.row, "-", " ".join(problem.messages))
                        raise _WriteFailed from problem
            new = [plan for plan in plans if plan.instance is None]
            if new:
                self._create(name, new, create, by)

    def _create(
        self, name: str, plans: list[_Plan], create: Callable[..., list[Any]], by: User
    ) -> None:
        """Create the file's new records together, each problem named by its row."""
        try:
            created = create(plans, by)
        except InvalidRecords as invalid:
            for index, messages in invalid.by_record.items():
                self.error(plans[index].row, "-", " ".join(messages))
            raise _WriteFailed from invalid
        except ValidationError as problem:
            self.file_error(name, " ".join(problem.messages))
            raise _WriteFailed from problem
        kind = {"workers.csv": "worker", "referrals.csv": "referral", "cases.csv": "case"}
        if name in kind:
            for plan, record in zip(plans, created, strict=True):
                self.objects[kind[name]][plan.row.id] = record

    def _in_write_order(self, name: str) -> list[_Plan]:
        plans = self.plans[name]
        if name == "cases.csv":
            # Corrections first, then new cases: closed ones (they take no place today),
            # then open ones in the order they were accepted.
            return sorted(
                plans,
                key=lambda p: (
                    p.instance is None,
                    p.row["closed_date"] is None,
                    p.changes.get("accepted_date") or date.min,
                ),
            )
        if name == "fund_applications.csv":
            return sorted(plans, key=lambda p: p.row["decision_date"] or date.min)
        return plans

    def _resolve(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {
            name: self.objects[value.kind][value.key] if isinstance(value, Ref) else value
            for name, value in fields.items()
        }

    def _write_fund(self, by: User) -> Fund | None:
        fund = current_fund()
        if self.fund_total_pence is None:
            return fund
        if fund is None:
            return fund_create(name=FUND_NAME, total_pence=self.fund_total_pence, by=by)
        return fund_set_total(
            fund=fund, total_pence=self.fund_total_pence, by=by, reason="Set by the legacy import"
        )

    # --- new records, together

    def _create_workers(self, plans: Sequence[_Plan], by: User) -> list[User]:
        workers = [NewWorker(legacy_id=plan.row.id, **plan.changes) for plan in plans]
        return workers_create(workers=workers, by=by)

    def _create_referrals(self, plans: Sequence[_Plan], by: User) -> list[Referral]:
        referrals = []
        for plan in plans:
            row = plan.row
            referrals.append(
                NewReferral(
                    legacy_id=row.id,
                    **plan.changes,
                    status=row["decision"] or Referral.Status.RECEIVED,
                    decision_date=row["decision_date"],
                    rejection_reason=row["rejection_reason"] or "",
                    rejection_rationale=row["rejection_rationale"] or "",
                )
            )
        return referrals_create(referrals=referrals, by=by)

    def _create_cases(self, plans: Sequence[_Plan], by: User) -> list[Case]:
        cases = [
            NewCase(
                referral=self.objects["referral"][plan.row["referral_id"]],
                worker=self.objects["worker"][plan.row["worker_id"]],
                legacy_id=plan.row.id,
                accepted_date=plan.changes["accepted_date"],
                start_date=plan.row["start_date"],
                prior_similar_support=plan.row["prior_similar_support"],
                closed_date=plan.row["closed_date"],
                closure_reason=plan.row["closure_reason"] or "",
            )
            for plan in plans
        ]
        return cases_create(cases=cases, by=by)

    def _create_employers(self, by: User) -> None:
        """The employers the contacts name that are not stored yet, made together."""
        names = {
            value.key
            for plan in self.plans["contacts.csv"]
            for value in plan.changes.values()
            if isinstance(value, Ref) and value.kind == "employer"
        } - self.objects["employer"].keys()
        if not names:
            return
        try:
            created = employers_create(names=sorted(names), by=by)
        except ValidationError as problem:
            self.file_error("contacts.csv", " ".join(problem.messages), column="employer")
            raise _WriteFailed from problem
        self.objects["employer"].update({employer.legacy_name: employer for employer in created})

    def _create_children(self, plans: Sequence[_Plan], by: User) -> list[models.Model]:
        items = [{"legacy_id": plan.row.id, **self._resolve(plan.changes)} for plan in plans]
        return case_records_create(model=CHILDREN[plans[0].row.file].model, items=items, by=by)

    def _create_applications(self, plans: Sequence[_Plan], by: User) -> list[FundApplication]:
        assert self.fund is not None  # the checks refuse bids when no fund is set up
        applications = [
            NewApplication(legacy_id=plan.row.id, **self._resolve(plan.changes)) for plan in plans
        ]
        return fund_applications_create(fund=self.fund, applications=applications, by=by)

    # --- corrections of stored records, one by one

    def _correct_worker(self, plan: _Plan, by: User) -> None:
        row = plan.row
        user: User = plan.instance
        if plan.changes.keys() & {"full_name", "role", "fte", "start_date"}:
            user = user_update(
                user=user,
                role=row["role"],
                fte=row["fte"],
                full_name=row["name"],
                start_date=row["start_date"],
                by=by,
            )
        if "email" in plan.changes:
            _save_with_history(user, by, email=row["email"])
        self.objects["worker"][row.id] = user

    def _correct_referral(self, plan: _Plan, by: User) -> None:
        row = plan.row
        referral: Referral = plan.instance
        decision, decided = row["decision"], row["decision_date"]
        has_case = row.id in self.referrals_with_case
        undecided = not referral.is_decided
        facts = {k: v for k, v in plan.changes.items() if not (undecided and k in _DECISION)}
        if facts:
            _save_with_history(referral, by, **facts)
        if not undecided or not decision:
            decision = None
        if decision == "rejected":
            referral_reject(
                referral=referral,
                reason=row["rejection_reason"],
                rationale=row["rejection_rationale"],
                by=by,
                decided_on=decided,
            )
        elif decision == "withdrawn":
            referral_withdraw(
                referral=referral, reason=IMPORTED_WITHDRAWAL, by=by, decided_on=decided
            )
        elif decision == "accepted" and not has_case and referral.status != "accepted":
            _save_with_history(referral, by, status=decision, decision_date=decided, decided_by=by)
        self.objects["referral"][row.id] = referral

    def _correct_case(self, plan: _Plan, by: User) -> None:
        fields = self._resolve(plan.changes)
        self.objects["case"][plan.row.id] = case_update(case=plan.instance, by=by, **fields)

    def _correct_child(self, plan: _Plan, by: User) -> None:
        child = CHILDREN[plan.row.file]
        fields = self._resolve(plan.changes)
        child.service(by=by, **{child.instance_argument: plan.instance}, **fields)

    def _correct_application(self, plan: _Plan, by: User) -> None:
        fields = self._resolve(plan.changes)
        approve = fields.get("status") == FundApplication.Status.APPROVED
        if approve:
            fields |= {"status": FundApplication.Status.SUBMITTED}
            fields.pop("decision_date", None)
            fields.pop("amount_awarded_pence", None)
        application = fund_application_record(by=by, application=plan.instance, **fields)
        if approve:
            fund_award(
                application=application,
                amount_pence=plan.row["amount_awarded"],
                decided_on=plan.row["decision_date"],
                by=by,
            )


def _file_order(message: str) -> tuple[int, int]:
    """Errors file by file in the order of the format, row by row."""
    name, row, _ = message.split(":", 2)
    files = list(SPEC)
    return (files.index(name) + 1 if name in files else 0, int(row) if row.isdigit() else 0)


def import_legacy(
    path: Path | str,
    *,
    fund_total_pence: int | None = None,
    dry_run: bool = False,
    from_upload: bool = False,
    shown_name: str = "",
) -> ImportResult:
    """Import a legacy history (a folder of CSV files, a .zip of one, or an .xlsx).

    Checks everything first; on any error writes nothing and returns every error. With
    `dry_run` it stops after the checks and reports what it would create and update.
    `from_upload`: the upload page's import, which may not create managers or change an
    existing account's email or role (the command line may). Imported workers never get
    access by the import: they have no password until an administrator invites them.
    """
    result = ImportResult(dry_run=dry_run)
    tables = read_source(Path(path), result.errors, shown_name=shown_name)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            job = Import(tables, result, fund_total_pence=fund_total_pence, from_upload=from_upload)
            job.validate()
            result.errors.sort(key=_file_order)
            if result.errors or dry_run:
                transaction.set_rollback(True)
                if result.errors:
                    result.counts.clear()
                return result
            with recorded_by_caller():  # one change for the import, not one for each row
                job.write()
            if any(count.created or count.updated for count in result.counts.values()):
                figures_changed()
    except _WriteFailed:
        result.counts.clear()
    return result
