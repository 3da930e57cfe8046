"""Helpers for the importer and figures tests: the shared fixtures, small CSV histories,
and a snapshot of every table so a test can say "nothing changed"."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings

FIXTURES_README = "shared/fixtures/README.md"


def fixtures_dir() -> Path:
    """shared/fixtures beside the repository (CI clones the repo with shared/ next to it)."""
    folder = Path(settings.BASE_DIR).parent / "shared" / "fixtures"
    if not (folder / "README.md").is_file():
        pytest.fail(
            f"The conformance fixtures are missing: expected {folder}. Clone or copy the "
            "shared/ folder beside the repository (it holds shared/spec and shared/fixtures)."
        )
    return folder


def fixture_folders() -> list[Path]:
    folder = Path(settings.BASE_DIR).parent / "shared" / "fixtures"
    if not folder.is_dir():
        # Collected without the folder: one test that fails with the message above.
        return [folder / "missing"]
    return sorted(path for path in folder.iterdir() if path.is_dir())


def expected_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("expected-*.json"))


def mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every figure of `expected` that `actual` lacks or differs on (numbers within 0.05;
    per_worker rows matched by worker; extra keys in `actual` allowed)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        found = []
        for key, value in expected.items():
            where = f"{path}.{key}" if path else key
            if key not in actual:
                found.append(f"{where}: missing")
            else:
                found += mismatches(value, actual[key], where)
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {actual!r}"]
        rows = {row.get("worker"): row for row in actual}
        found = []
        for row in expected:
            where = f"{path}[{row['worker']}]"
            if row["worker"] not in rows:
                found.append(f"{where}: no such row")
            else:
                found += mismatches(row, rows[row["worker"]], where)
        return found
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        if (
            not isinstance(actual, int | float)
            or isinstance(actual, bool)
            or not math.isclose(expected, actual, abs_tol=0.05 + 1e-9)
        ):
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        return []
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def load_expected(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


#: Not records: the stored figures' note that they may have changed (reporting.figures.stored).
DERIVED = {"reporting.FigureChange", "reporting.FigureSnapshot"}


def snapshot() -> dict[str, int]:
    """The number of rows in every table, history tables included (derived ones aside)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in DERIVED
    }


def records() -> dict[str, int]:
    """The number of rows in every table but the history tables."""
    return {label: rows for label, rows in snapshot().items() if ".Historical" not in label}


def history_rows() -> int:
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.model_name.startswith("historical")
    )


def write_history(folder: Path, files: dict[str, str]) -> Path:
    """Write CSV files (name -> text; leading indentation and blank lines dropped)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


#: A small, valid history: two workers, four referrals, two cases and some of everything.
SMALL_HISTORY = {
    "workers.csv": """
        worker_id,email,name,fte,role
        W1,w1@example.org,Wendy One,1.0,specialist
        W2,w2@example.org,Walter Two,0.2,manager
    """,
    "referrals.csv": """
        referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,\
gender,ethnicity,postcode,cohort,decision,decision_date,rejection_reason,rejection_rationale
        R1,P1,2025-09-20,police,Ann,Able,2000-01-01,\
female,black,B1 1AA,at_risk,accepted,2025-09-25,,
        R2,P2,2025-10-05,probation,Bob,Baker,2001-01-01,\
male,white,,convicted,rejected,2025-10-06,capacity,No room
        R3,P3,2025-10-07,self,Cy,Cole,1999-05-05,,,,at_risk,withdrawn,2025-10-09,,
        R4,P4,2025-10-08,school,Di,Dale,2005-06-06,\
female,asian,B2 2BB,at_risk,accepted,2025-10-10,,
    """,
    "cases.csv": """
        case_id,referral_id,worker_id,start_date,prior_similar_support,closed_date,closure_reason
        C1,R1,W1,2025-10-02,no,,
        C2,R4,W2,2025-10-12,yes,2025-12-01,moved_away
    """,
    "contacts.csv": """
        contact_id,case_id,worker_id,date,mode,party,duration_minutes,out_of_hours,employer
        K1,C1,W1,2025-10-20,phone,client,15,no,
        K2,C1,W1,2025-10-28,face_to_face,employer,30,yes,Acme
        K3,,W1,2025-10-29,admin,none,60,,
        K4,C2,W2,2025-11-01,video,client,45,0,
    """,
    "outcomes.csv": """
        outcome_id,case_id,type,start_date,end_date,hours_per_week,employer
        O1,C1,paid_employment,2025-11-15,,35,Acme
        O2,C2,training,2025-11-02,2025-11-20,,College
    """,
    "assessments.csv": """
        assessment_id,case_id,date,confidence,motivation,readiness,stability,housing,\
finances,wellbeing
        A1,C1,2025-10-02,2,3,4,5,6,7,8
        A2,C1,2025-11-30,4,4,4,5,6,7,9
    """,
    "fund_applications.csv": """
        application_id,case_id,submitted_date,amount_requested,purpose,decision,\
decision_date,amount_awarded
        F1,C1,2025-11-01,900.00,Tools,approved,2025-11-10,750.50
        F2,C1,2025-11-20,500,Van,,,
    """,
    "offences.csv": """
        offence_id,case_id,date,description
        X1,C1,2025-11-05,Reported by partner
    """,
    "signposting.csv": """
        signposting_id,case_id,date,need,organisation,outcome
        S1,C1,2025-10-15,debt,Advice centre,engaged
    """,
    "feedback.csv": """
        feedback_id,case_id,date,trust,confidence,respected,comment
        B1,C1,2025-12-01,5,4,5,Helpful
    """,
}
