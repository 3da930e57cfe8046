"""What reporting shows on the home pages (core.home_panels): the specialist's quarterly
updates to write."""

from __future__ import annotations

from django.urls import reverse

from core.home_panels import SPECIALIST_HOME, Panel, PanelFor
from core.models import User
from reporting.selectors import case_updates_to_write


def quarterly_updates(user: User) -> Panel | None:
    """While a draft return has updates on the specialist's cases: how many they still have
    to write and submit."""
    count = case_updates_to_write(user)
    if count is None:
        return None
    return Panel(
        title=f"Quarterly updates to write ({count})",
        text=(
            "For the quarterly return to the OPCC: an update on each of your cases that was "
            "active in the quarter. Each is drafted from the case's record for you to check, "
            "complete and submit."
            if count
            else "You have submitted all your updates for the quarterly return."
        ),
        url=reverse("reporting:case-updates"),
        link_text="Your quarterly updates",
    )


PANELS: dict[str, list[PanelFor]] = {SPECIALIST_HOME: [quarterly_updates]}
