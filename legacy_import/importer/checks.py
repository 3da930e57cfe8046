"""Checking the files: every cell, every reference and every rule of the format, before
anything is written; each valid row gets a plan (create, update or leave alone)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.utils import timezone

from caseload.models import Case, Employer
from core.models import Role, User
from enterprise_fund.models import FundApplication
from legacy_import.importer.accounts import upload_refusal
from legacy_import.importer.columns import (
    REQUIRED_FILES,
    SPEC,
    Ref,
    Row,
    keyed,
    read_cell,
    stored,
    years_old,
)
from legacy_import.importer.records import CHILDREN, _differences, _Plan
from legacy_import.importer.result import ImportResult
from legacy_import.importer.sources import RawTable
from referrals.models import Referral


class Checks:
    def __init__(
        self,
        tables: list[RawTable],
        result: ImportResult,
        *,
        fund_total_pence: int | None,
        from_upload: bool = False,
    ) -> None:
        self.result = result
        #: An upload (by a manager, on the page) may not create managers nor change an
        #: existing account's email or role: that would let a manager mint or take over the
        #: account that gives a second approval. Only the command line may.
        self.from_upload = from_upload
        self.today = timezone.localdate()
        self.fund_total_pence = fund_total_pence
        self.tables = tables
        #: file -> legacy id -> row (rows whose id is valid and not repeated)
        self.rows: dict[str, dict[str, Row]] = {name: {} for name in SPEC}
        self.plans: dict[str, list[_Plan]] = {name: [] for name in SPEC}
        #: kind -> legacy key -> object in the database (filled before and during writing)
        self.objects: dict[str, dict[str, Any]] = defaultdict(dict)

    # --- messages

    def error(self, row: Row, column: str, message: str) -> None:
        self.result.errors.append(f"{row.file}:{row.number}:{column}: {message}")
        row.values.pop(column, None)

    def file_error(self, name: str, message: str, row: int | str = "-", column: str = "-") -> None:
        self.result.errors.append(f"{name}:{row}:{column}: {message}")

    # --- checking (validate() is in casework.py: it runs these, then the casework checks)

    def _parse_tables(self) -> None:
        self.present: set[str] = set()
        for table in self.tables:
            name = table.name.lower()
            if name not in SPEC:
                self.file_error(table.name, f"unknown file; the files are {', '.join(SPEC)}")
            elif name in self.present:
                self.file_error(table.name, "this file is given twice")
            else:
                self.present.add(name)
                self._parse_table(name, table)
        for name in REQUIRED_FILES:
            if name not in self.present:
                self.file_error(name, "this file is required and was not found")

    def _parse_table(self, name: str, table: RawTable) -> None:
        spec = SPEC[name]
        columns: list[str | None] = []
        for header in table.header:
            if header not in spec:
                self.file_error(name, "unknown column", 1, header or "-")
                columns.append(None)
            elif header in columns:
                self.file_error(name, "this column is given twice", 1, header)
                columns.append(None)
            else:
                columns.append(header)
        for needed, rule in spec.items():
            if rule.required and needed not in columns:
                self.file_error(name, "required column is missing", 1, needed)
        id_column = next(iter(spec))
        given = [(index, column, spec[column]) for index, column in enumerate(columns) if column]
        defaults = {
            column: rule.default
            for column, rule in spec.items()
            if column not in columns and not rule.required
        }
        #: Each column's distinct cells, each read once: dates, codes and references repeat.
        seen: list[dict[str, tuple[Any, str | None]]] = [{} for _ in given]
        for number, cells in table.rows:
            if not any(cell.strip() for cell in cells):
                continue
            row = Row(name, number, dict(defaults))
            if any(cell.strip() for cell in cells[len(columns) :]):
                self.file_error(name, "a value beyond the last column", number, "-")
            for (index, column, rule), read in zip(given, seen, strict=True):
                text = cells[index].strip() if index < len(cells) else ""
                outcome = read.get(text)
                if outcome is None:
                    outcome = read[text] = read_cell(rule, text, self.today)
                value, problem = outcome
                if problem is None:
                    row.values[column] = value
                else:
                    self.error(row, column, problem)
            if row.ok(id_column):
                earlier = self.rows[name].get(row.id)
                if earlier is not None:
                    self.error(row, id_column, f"{row.id} is already used on row {earlier.number}")
                else:
                    self.rows[name][row.id] = row

    def _load_existing(self) -> None:
        """Fetch, once per kind, the records the files name that are already stored."""

        def named(column: str, *files: str) -> set[str]:
            return {
                row[column] for file in files for row in self.rows[file].values() if row[column]
            }

        children = [*CHILDREN, "fund_applications.csv"]
        worker_ids = named("worker_id", "workers.csv", "cases.csv", "contacts.csv")
        referral_ids = named("referral_id", "referrals.csv", "cases.csv")
        case_ids = named("case_id", "cases.csv", *children)
        self.objects["worker"] = stored(User.objects.all(), worker_ids)
        self.objects["referral"] = stored(Referral.objects.select_related("case"), referral_ids)
        self.objects["case"] = stored(Case.objects.select_related("referral", "worker"), case_ids)
        employers = named("employer", "contacts.csv")
        self.objects["employer"] = keyed(
            Employer.objects.filter(legacy_name__in=employers).order_by("-pk"), "legacy_name"
        )
        for name, child in CHILDREN.items():
            related = [f.name for f in child.model._meta.get_fields() if f.many_to_one]
            self.objects[name] = stored(
                child.model._default_manager.select_related(*related), self.rows[name].keys()
            )
        self.objects["fund_applications.csv"] = stored(
            FundApplication.objects.select_related("case"),
            self.rows["fund_applications.csv"].keys(),
        )

    def _plan(self, row: Row, kind: str, wanted: dict[str, Any]) -> None:
        """Plan the row's write: a creation, or an update of what differs, or nothing."""
        instance = self.objects[kind].get(row.id)
        if instance is None:
            self.plans[row.file].append(_Plan(row, None, wanted))
        elif changes := _differences(instance, wanted):
            self.plans[row.file].append(_Plan(row, instance, changes))

    def _reference(self, row: Row, column: str, kind: str, file: str) -> Any:
        """The row the reference names, or the stored record; None (with an error) if neither."""
        key = row[column]
        if key in self.rows[file]:
            return self.rows[file][key]
        if key in self.objects[kind]:
            return self.objects[kind][key]
        self.error(row, column, f"{key} is not in {file} nor in the database")
        return None

    # workers

    def _check_workers(self) -> None:
        rows = self.rows["workers.csv"]
        emails: dict[str, Row] = {}
        for row in rows.values():
            if not row.ok("email"):
                continue
            if row["email"] in emails:
                self.error(row, "email", f"also on row {emails[row['email']].number}")
            else:
                emails[row["email"]] = row
        for user in User.objects.filter(email__in=list(emails)):
            row = emails[user.email]
            if user.legacy_id != row.id:
                self.error(row, "email", "there is already an account with this email address")
        for row in rows.values():
            if row.ok("email", "name", "fte", "role"):
                wanted = {
                    "email": row["email"],
                    "full_name": row["name"],
                    "role": row["role"],
                    "fte": row["fte"],
                    "start_date": row["start_date"],
                }
                if self.from_upload and not self._upload_may_write_worker(row, wanted):
                    continue
                self._plan(row, "worker", wanted)

    def _upload_may_write_worker(self, row: Row, wanted: dict[str, Any]) -> bool:
        refusal = upload_refusal(self.objects["worker"].get(row.id), wanted)
        if refusal is not None:
            self.error(row, *refusal)
        return refusal is None

    def _caseload_worker(self, row: Row, column: str = "worker_id") -> bool:
        """Whether the named worker exists (in the file or stored) and may hold cases."""
        if not row.ok(column):
            return False
        found = self._reference(row, column, "worker", "workers.csv")
        if isinstance(found, User) and found.role not in Role.with_caseload():
            self.error(row, column, f"{found.legacy_id} does not hold a caseload")
            return False
        return found is not None

    # referrals

    def _check_referrals(self) -> None:
        for row in self.rows["referrals.csv"].values():
            if row.ok("date_of_birth", "received_date"):
                age = years_old(row["date_of_birth"], row["received_date"])
                if not 16 <= age <= 40:
                    self.error(
                        row, "date_of_birth", f"aged {age} on the received date: must be 16 to 40"
                    )
            self._check_decision(row)
            if row.ok("referral_id", "decision", "decision_date", "rejection_reason"):
                self._plan_referral(row)

    def _check_decision(self, row: Row) -> None:
        decision, decided = row["decision"], row["decision_date"]
        if decision and not decided and row.ok("decision_date"):
            self.error(row, "decision_date", "a decision needs its date")
        if decided and not decision and row.ok("decision"):
            self.error(row, "decision", "a decision date needs the decision")
        if decided and row.ok("received_date") and decided < row["received_date"]:
            self.error(row, "decision_date", "before the referral was received")
        if decision == "rejected":
            if not row["rejection_reason"] and row.ok("rejection_reason"):
                self.error(row, "rejection_reason", "a rejected referral needs the reason")
            if not row["rejection_rationale"] and row.ok("rejection_rationale"):
                self.error(row, "rejection_rationale", "a rejected referral needs the rationale")
        else:
            for column in ("rejection_reason", "rejection_rationale"):
                if row[column]:
                    self.error(row, column, "only for a rejected referral")

    def _referral_fields(self, row: Row) -> dict[str, Any]:
        return {
            "person_key": row["person_id"],
            "received_date": row["received_date"],
            "source": row["source"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "date_of_birth": row["date_of_birth"],
            "gender": row["gender"],
            "ethnicity": row["ethnicity"],
            "postcode": row["postcode"],
            "cohort": row["cohort"],
        }

    def _plan_referral(self, row: Row) -> None:
        referral: Referral | None = self.objects["referral"].get(row.id)
        wanted = self._referral_fields(row)
        if referral is None:
            self.plans["referrals.csv"].append(_Plan(row, None, wanted))
            return
        decision = {
            "status": row["decision"] or referral.status,
            "decision_date": row["decision_date"],
            "rejection_reason": row["rejection_reason"] or "",
            "rejection_rationale": row["rejection_rationale"] or "",
        }
        if referral.is_decided:
            if referral.status != row["decision"]:
                self.error(
                    row,
                    "decision",
                    f"already decided ({referral.status} on {referral.decision_date}): "
                    "an import cannot change or undo a decision",
                )
                return
        elif not row["decision"]:
            decision = {}  # still undecided: the screening state is the service's business
        changes = _differences(referral, {**wanted, **decision})
        if changes:
            self.plans["referrals.csv"].append(_Plan(row, referral, changes))

    # cases

    def _check_cases(self) -> None:
        self.case_dates: dict[str, tuple[date | None, date | None]] = {}
        #: When each valid case row's referral was accepted (its place counts from then).
        self.case_accepted: dict[str, date | None] = {}
        for case in self.objects["case"].values():
            self.case_dates[case.legacy_id] = (case.start_date, case.closed_date)
        case_of_referral: dict[str, Row] = {}
        self._warn_accepted_without_case()
        for row in self.rows["cases.csv"].values():
            self.case_dates.pop(row.id, None)  # known again below only if the row is valid
            referral = self._case_referral(row, case_of_referral)
            worker_ok = self._caseload_worker(row)
            if row.ok("closed_date", "start_date", "closure_reason"):
                closed = row["closed_date"]
                if closed and closed < row["start_date"]:
                    self.error(row, "closed_date", "before the case started")
                elif closed and not row["closure_reason"]:
                    self.error(row, "closure_reason", "a closed case needs the reason")
                elif row["closure_reason"] and not closed:
                    self.error(row, "closure_reason", "only for a closed case")
            if referral is None or not worker_ok:
                continue
            decided = referral[1]
            if row.ok("start_date") and decided and row["start_date"] < decided:
                self.error(row, "start_date", f"before the referral was accepted on {decided}")
            if row.ok("start_date", "closed_date", "closure_reason", "prior_similar_support"):
                self.case_dates[row.id] = (row["start_date"], row["closed_date"])
                self.case_accepted[row.id] = decided
                self._plan_case(row, decided)

    def _warn_accepted_without_case(self) -> None:
        with_case = {row["referral_id"] for row in self.rows["cases.csv"].values()}
        for row in self.rows["referrals.csv"].values():
            stored = self.objects["referral"].get(row.id)
            if (
                row["decision"] == "accepted"
                and row.id not in with_case
                and getattr(stored, "case", None) is None
            ):
                self.result.warnings.append(
                    f"referrals.csv:{row.number}:referral_id: {row.id} was accepted on "
                    f"{row['decision_date']} but has no case in cases.csv: it is imported as "
                    "accepted, with no worker or case yet"
                )

    def _case_referral(
        self, row: Row, case_of_referral: dict[str, Row]
    ) -> tuple[str, date | None] | None:
        """The referral's decision and date, if the case may belong to it."""
        if not row.ok("referral_id"):
            return None
        found = self._reference(row, "referral_id", "referral", "referrals.csv")
        if found is None:
            return None
        referral_id = row["referral_id"]
        if referral_id in case_of_referral:
            earlier = case_of_referral[referral_id]
            self.error(
                row,
                "referral_id",
                f"{referral_id} already has case {earlier.id} (row {earlier.number})",
            )
            return None
        case_of_referral[referral_id] = row
        stored = self.objects["referral"].get(referral_id)
        stored_case = getattr(stored, "case", None) if stored is not None else None
        if stored_case is not None and stored_case.legacy_id != row.id:
            self.error(
                row,
                "referral_id",
                f"{referral_id} already has a case in the database"
                + (f" ({stored_case.legacy_id})" if stored_case.legacy_id else ""),
            )
            return None
        existing = self.objects["case"].get(row.id)
        if existing is not None and existing.referral.legacy_id != referral_id:
            self.error(row, "referral_id", "a case cannot move to another referral")
            return None
        if isinstance(found, Row):
            if not found.ok("decision", "decision_date"):
                return None
            decision, decided = found["decision"], found["decision_date"]
        else:
            decision, decided = found.status, found.decision_date
        if decision != "accepted":
            self.error(
                row, "referral_id", f"{referral_id} was not accepted ({decision or 'undecided'})"
            )
            return None
        return decision, decided

    def _plan_case(self, row: Row, decided: date | None) -> None:
        wanted = {
            "worker": Ref("worker", row["worker_id"]),
            "accepted_date": decided,
            "start_date": row["start_date"],
            "prior_similar_support": row["prior_similar_support"],
            "closed_date": row["closed_date"],
            "closure_reason": row["closure_reason"] or "",
        }
        self._plan(row, "case", wanted)
