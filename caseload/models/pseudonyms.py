"""Each case's stored pseudonyms: one for the evaluators, one for the OPCC's returns."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.models import AppendOnlyModel
from core.pseudonyms import EVALUATOR_PREFIX, MAX_LENGTH, OPCC_PREFIX


class CasePseudonym(AppendOnlyModel):
    """A case's two pseudonyms (core.pseudonyms), made once and never changed: the runtime
    database role may only add these rows and read them (`grant_app_role`), so there is no
    history to keep. Each is unique in its own space, and the prefixes keep the spaces
    apart: an OPCC pseudonym can never equal an evaluator's."""

    case = models.OneToOneField(
        "caseload.Case", on_delete=models.PROTECT, related_name="pseudonyms"
    )
    evaluator = models.CharField(max_length=MAX_LENGTH, unique=True)
    opcc = models.CharField(max_length=MAX_LENGTH, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="caseload_casepseudonym_evaluator_space",
                condition=Q(evaluator__startswith=EVALUATOR_PREFIX),
            ),
            models.CheckConstraint(
                name="caseload_casepseudonym_opcc_space",
                condition=Q(opcc__startswith=OPCC_PREFIX),
            ),
        ]

    def __str__(self) -> str:
        return f"Pseudonyms of case {self.case_id}"
