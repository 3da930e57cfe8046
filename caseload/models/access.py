"""Who may open a case: django-guardian object permissions with a direct foreign key.

A specialist may open a case when they hold `caseload.view_case` on it. The grant follows
the case's worker (`caseload.case_access.follow_worker`, called wherever a worker is given
a case), and a colleague covering for them while on leave is given one of their own.
Managers see every case by role and hold no grants. One row per person and case.
"""

from __future__ import annotations

from django.db import models
from guardian.models import UserObjectPermissionBase

from caseload.models.cases import Case

#: The permission that opens a case (Django's default "view" permission of the model).
VIEW_CASE = "caseload.view_case"
VIEW_CASE_CODENAME = "view_case"


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "case access grant"
