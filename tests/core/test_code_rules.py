"""Rules the code itself must keep (AC-4, IN-2, AL-2)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["e4e", "referrals", "caseload", "enterprise_fund", "reporting"]

#: Plain-text email templates are not HTML: they switch autoescaping off on purpose.
AUTOESCAPE_OFF_ALLOWED = {
    "templates/emails/invitation.txt",
    "templates/emails/password_reset.txt",
    "templates/emails/task_digest.txt",
}


def python_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_no_model_form_takes_all_fields_or_excludes() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files()
        if re.search(r"fields\s*=\s*['\"]__all__['\"]|^\s*exclude\s*=", path.read_text(), re.M)
    ]
    assert offenders == []


def test_templates_never_switch_off_escaping() -> None:
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if not path.is_file():
            continue
        relative = str(path.relative_to(ROOT))
        text = path.read_text()
        if "|safe" in text or "mark_safe" in text:
            offenders.append(relative)
        if "autoescape off" in text and relative not in AUTOESCAPE_OFF_ALLOWED:
            offenders.append(relative)
    assert offenders == []


def test_python_code_never_marks_strings_safe() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in python_files() if "mark_safe(" in p.read_text()]
    assert offenders == []


def test_audited_rows_are_never_changed_in_bulk() -> None:
    # simple-history records nothing for QuerySet.update() or bulk_update().
    pattern = re.compile(r"\.update\(|bulk_update\(")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in python_files()
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line) and "globals().update" not in line
    ]
    assert offenders == []
