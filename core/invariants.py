"""The invariants that must never break (CI-5), recomputed from the source rows.

The services keep them under row locks (the caseload cap, the fund balance); this checks,
independently, that the stored counters agree with the rows they summarise. It runs at the
end of the race tests, nightly from the beat schedule (an error in the log on any
mismatch), and on demand with `manage.py check_invariants` (after restoring a backup too).
Each problem names ids only. Each app keeps its own checks in `<app>/invariants.py`, a
`problems()` function, found here as the access rules are.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def all_problems() -> list[str]:
    """Every broken invariant of every installed app, in the order of INSTALLED_APPS."""
    found: list[str] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "invariants") and config.name != "core":
            found += import_module(f"{config.name}.invariants").problems()
    return found
