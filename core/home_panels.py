"""Panels that apps add to a role's home page, found as the access rules are: each installed
app may have a `home_panels.py` whose `PANELS` maps a home page's name to functions of the
signed-in user, each giving a `Panel` to show or None.

A home page belongs to an app low in the layers (the specialist's, to caseload), while what
a panel says may come from an app above it (reporting's quarterly updates to write): this
way the page shows it without its app importing the one above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from core.models import User

#: The specialist's home page (caseload:home).
SPECIALIST_HOME = "specialist-home"


@dataclass(frozen=True)
class Panel:
    """A heading, a sentence and a link, shown on a home page."""

    title: str
    text: str
    url: str
    link_text: str


PanelFor = Callable[[User], Panel | None]


def panels_for(page: str, user: User) -> list[Panel]:
    """The panels every installed app shows `user` on the home page `page`, in the order of
    INSTALLED_APPS."""
    found: list[Panel] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "home_panels") or config.name == "core":
            continue
        makers: dict[str, list[PanelFor]] = import_module(f"{config.name}.home_panels").PANELS
        for make in makers.get(page, []):
            panel = make(user)
            if panel is not None:
                found.append(panel)
    return found
