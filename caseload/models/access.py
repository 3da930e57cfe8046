"""Who may open a case: django-guardian object permissions with a direct foreign key.

A specialist may open a case when they hold `caseload.view_case` on it. The grant follows
the case's worker (`caseload.case_access.follow_worker`, called wherever a worker is given
a case), and a colleague covering for them while on leave is given one of their own, tied
to the `Cover`, which opens the case only between the cover's dates. Managers see every
case by role and hold no grants. One row per person and case.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from core.models import BaseModel

#: The permission that opens a case (Django's default "view" permission of the model).
VIEW_CASE = "caseload.view_case"
VIEW_CASE_CODENAME = "view_case"


class Cover(BaseModel):
    """A specialist covering a colleague's cases from one date to another, both included
    (service specification 7.4: resilience in holiday periods): all of the colleague's cases
    or chosen ones. The covering worker opens them through grants of their own, each tied
    to this cover, which open nothing outside its dates or once it is ended; the cases stay
    their own worker's and count against that worker's cap."""

    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covered_by"
    )
    covering = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers"
    )
    starts = models.DateField()
    ends = models.DateField()
    #: All the absent worker's cases, including any given to them while the cover lasts;
    #: otherwise the cases chosen (`cases`).
    all_cases = models.BooleanField(default=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="covers")
    reason = models.CharField(max_length=100, blank=True)
    #: Set when a manager ends the cover before its last day (or cancels it before it began).
    ended_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_cover_ends_after_it_starts", condition=Q(ends__gte=F("starts"))
            ),
            models.CheckConstraint(
                name="caseload_cover_not_of_oneself", condition=~Q(absent=F("covering"))
            ),
        ]

    def __str__(self) -> str:
        return f"Cover {self.starts} to {self.ends}"

    def in_force_on(self, day: date) -> bool:
        return self.ended_at is None and self.starts <= day <= self.ends


def grant_in_force(day: date, prefix: str = "") -> Q:
    """The grants that open a case on `day`: the worker's own (no cover), or a cover's
    within its dates and not ended. `prefix` reaches the grant through a relation
    ("grants__")."""
    return Q(**{f"{prefix}cover__isnull": True}) | Q(
        **{
            f"{prefix}cover__starts__lte": day,
            f"{prefix}cover__ends__gte": day,
            f"{prefix}cover__ended_at__isnull": True,
        }
    )


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    #: Set on a grant given for cover during leave: it opens the case only while the cover
    #: is in force (`grant_in_force`). None on the worker's own grant.
    cover = models.ForeignKey(
        Cover, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "case access grant"
