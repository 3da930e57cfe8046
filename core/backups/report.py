"""The report `restore_check` and `restore` print: one line per check, its problems under it."""

from __future__ import annotations

import json
from pathlib import Path

from core.backups.checks import Check


def lines(checks: list[Check]) -> list[str]:
    out: list[str] = []
    for check in checks:
        mark = "ok  " if check.passed else "FAIL"
        detail = " ".join(check.notes) if check.passed else ""
        out.append(f"  {mark}  {check.name}{': ' + detail if detail else ''}")
        out += [f"          - {problem}" for problem in check.problems]
    return out


def save(checks: list[Check], path: Path) -> None:
    data = [{"name": c.name, "problems": c.problems, "notes": c.notes} for c in checks]
    path.write_text(json.dumps(data), encoding="utf-8")


def load(path: Path) -> list[Check]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Check(item["name"], item["problems"], item["notes"]) for item in data]
