"""Writing a checked import through the services, in one transaction, as the system user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from caseload.intake import referral_accept
from caseload.legacy import case_open, case_records_create, case_update
from caseload.models import Case
from caseload.services.cases import case_close, case_start
from caseload.services.employers import employer_record
from core import history
from core.models import User
from core.services import user_create, user_update
from core.system_user import system_user
from enterprise_fund.legacy import fund_application_record
from enterprise_fund.models import Fund, FundApplication
from enterprise_fund.selectors import current_fund
from enterprise_fund.services.funds import fund_award, fund_create, fund_set_total
from legacy_import.importer.casework import CaseworkChecks
from legacy_import.importer.columns import SPEC, Ref
from legacy_import.importer.records import CHILDREN, _Plan
from legacy_import.importer.result import ImportResult
from legacy_import.importer.sources import read_source
from referrals.models import Referral
from referrals.services import referral_create, referral_reject, referral_withdraw
from reporting.figures.stored import figures_changed, recorded_by_caller

FUND_NAME = "Enterprise fund"


_DECISION = frozenset({"status", "decision_date", "rejection_reason", "rejection_rationale"})


class _WriteFailed(Exception):
    pass


def _save_with_history(obj: models.Model, by: User, **fields: Any) -> None:
    # Only for what no service sets yet: a worker's legacy id and email, and corrections to
    # a referral's recorded facts (see the importer's notes on issue 6).
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["password"])
    history.save(obj, by=by)


class Import(CaseworkChecks):
    """An import: checked by validate() (see checks.py and casework.py), then written."""

    def write(self) -> None:
        by = system_user()
        self.referrals_with_case = {row["referral_id"] for row in self.rows["cases.csv"].values()}
        self.fund = self._write_fund(by)
        steps: list[tuple[str, Callable[[_Plan, User], None]]] = [
            ("workers.csv", self._write_worker),
            ("referrals.csv", self._write_referral),
            ("cases.csv", self._write_case),
            *((name, self._write_child) for name in CHILDREN),
            ("fund_applications.csv", self._write_application),
        ]
        for name, write in steps:
            for plan in self._in_write_order(name):
                try:
                    write(plan, by)
                except ValidationError as problem:
                    self.error(plan.row, "-", " ".join(problem.messages))
                    raise _WriteFailed from problem
            if name in CHILDREN:
                self._create_children(name, by)

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

    def _resolve(self, fields: dict[str, Any], by: User) -> dict[str, Any]:
        resolved = {}
        for name, value in fields.items():
            if isinstance(value, Ref):
                if value.kind == "employer" and value.key not in self.objects["employer"]:
                    self.objects["employer"][value.key] = employer_record(
                        by=by, name=value.key, legacy_name=value.key
                    )
                value = self.objects[value.kind][value.key]
            resolved[name] = value
        return resolved

    def _write_fund(self, by: User) -> Fund | None:
        fund = current_fund()
        if self.fund_total_pence is None:
            return fund
        if fund is None:
            return fund_create(name=FUND_NAME, total_pence=self.fund_total_pence, by=by)
        return fund_set_total(
            fund=fund, total_pence=self.fund_total_pence, by=by, reason="Set by the legacy import"
        )

    def _write_worker(self, plan: _Plan, by: User) -> None:
        row = plan.row
        user: User | None = plan.instance
        if user is None:
            user = user_create(
                email=row["email"], full_name=row["name"], role=row["role"], fte=row["fte"], by=by
            )
            _save_with_history(user, by, legacy_id=row.id)
        else:
            if plan.changes.keys() & {"full_name", "role", "fte"}:
                user = user_update(
                    user=user, role=row["role"], fte=row["fte"], full_name=row["name"], by=by
                )
            if "email" in plan.changes:
                _save_with_history(user, by, email=row["email"])
        self.objects["worker"][row.id] = user

    def _write_referral(self, plan: _Plan, by: User) -> None:
        row = plan.row
        referral: Referral | None = plan.instance
        decision, decided = row["decision"], row["decision_date"]
        has_case = row.id in self.referrals_with_case
        if referral is None:
            fields = {"legacy_id": row.id, **plan.changes}
            if decision == "accepted" and not has_case:
                # Accepted before the import without a case yet: its worker is not known.
                fields |= {"status": decision, "decision_date": decided, "decided_by": by}
            referral = referral_create(by=by, **fields)
        else:
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
            referral_withdraw(referral=referral, by=by, decided_on=decided)
        elif decision == "accepted" and not has_case and referral.status != "accepted":
            _save_with_history(referral, by, status=decision, decision_date=decided, decided_by=by)
        self.objects["referral"][row.id] = referral

    def _write_case(self, plan: _Plan, by: User) -> None:
        row = plan.row
        worker = self.objects["worker"][row["worker_id"]]
        case: Case | None = plan.instance
        if case is not None:
            self.objects["case"][row.id] = case_update(
                case=case, by=by, **self._resolve(plan.changes, by)
            )
            return
        referral = self.objects["referral"][row["referral_id"]]
        if referral.status == Referral.Status.ACCEPTED:
            case = case_open(referral=referral, worker=worker, by=by)
        else:
            case = referral_accept(
                referral=referral, worker=worker, by=by, decided_on=plan.changes["accepted_date"]
            )
        case = case_update(
            case=case,
            by=by,
            legacy_id=row.id,
            prior_similar_support=row["prior_similar_support"],
        )
        case = case_start(case=case, start_date=row["start_date"], by=by)
        if row["closed_date"]:
            case = case_close(
                case=case, closed_date=row["closed_date"], reason=row["closure_reason"], by=by
            )
        self.objects["case"][row.id] = case

    def _write_child(self, plan: _Plan, by: User) -> None:
        """Correct a stored record; new ones are made together by _create_children."""
        if plan.instance is not None:
            child = CHILDREN[plan.row.file]
            fields = self._resolve(plan.changes, by)
            child.service(by=by, **{child.instance_argument: plan.instance}, **fields)

    def _create_children(self, name: str, by: User) -> None:
        # Thousands of contacts: made in bulk by one service call, each validated first.
        items = [
            {"legacy_id": plan.row.id, **self._resolve(plan.changes, by)}
            for plan in self.plans[name]
            if plan.instance is None
        ]
        if not items:
            return
        try:
            case_records_create(model=CHILDREN[name].model, items=items, by=by)
        except ValidationError as problem:
            self.file_error(name, " ".join(problem.messages))
            raise _WriteFailed from problem

    def _write_application(self, plan: _Plan, by: User) -> None:
        fields = self._resolve(plan.changes, by)
        approve = fields.get("status") == FundApplication.Status.APPROVED
        if approve:
            fields |= {"status": FundApplication.Status.SUBMITTED}
            fields.pop("decision_date", None)
            fields.pop("amount_awarded_pence", None)
        if plan.instance is None:
            application = fund_application_record(
                by=by, legacy_id=plan.row.id, fund=self.fund, **fields
            )
        else:
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
