"""The stored pseudonyms of cases: made when first needed, in bulk, and looked up by index.

Every reader that shows pseudonyms asks `case_pseudonyms_ensure` first for the cases it
will show: one query finds those without pseudonyms (none, once every case has been
shown or listed), and those are made together in one insert whatever their number. The
scheme (what a pseudonym looks like) is core.pseudonyms; this module is the only writer of
CasePseudonym.
"""

from __future__ import annotations

from django.db.models import QuerySet

from caseload.models import Case, CasePseudonym
from core.pseudonyms import EVALUATOR_PREFIX, OPCC_PREFIX, new_pseudonym, normalised

#: Draws before giving up: with 60 random bits a second draw is already a rarity.
ATTEMPTS = 5
BATCH_SIZE = 1000


def case_pseudonyms_ensure(cases: QuerySet[Case] | None = None) -> None:
    """Give every case of `cases` (every case when None) that has no pseudonyms its two.

    A value that clashes with a stored one (or a case another request has just given its
    pseudonyms) is skipped by the insert, and the cases still without pseudonyms are drawn
    again: never an error, never two cases with one pseudonym.
    """
    scope = Case.objects.all() if cases is None else cases
    for _ in range(ATTEMPTS):
        missing = list(scope.filter(pseudonyms__isnull=True).values_list("pk", flat=True))
        if not missing:
            return
        CasePseudonym.objects.bulk_create(
            [
                CasePseudonym(
                    case_id=pk,
                    evaluator=new_pseudonym(EVALUATOR_PREFIX),
                    opcc=new_pseudonym(OPCC_PREFIX),
                )
                for pk in missing
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
    raise RuntimeError("Pseudonyms that do not clash could not be drawn; try again.")


def pseudonyms_of(case: Case) -> CasePseudonym:
    """The case's pseudonyms, made now if it has none yet."""
    case_pseudonyms_ensure(Case.objects.filter(pk=case.pk))
    return CasePseudonym.objects.get(case_id=case.pk)


def evaluator_pseudonyms(case_ids: list[int]) -> dict[int, str]:
    """The evaluators' pseudonyms of these cases, by case id, made now for those that have
    none (in inserts of BATCH_SIZE cases)."""
    found: dict[int, str] = {}
    for start in range(0, len(case_ids), BATCH_SIZE):
        batch = case_ids[start : start + BATCH_SIZE]
        case_pseudonyms_ensure(Case.objects.filter(pk__in=batch))
        rows = CasePseudonym.objects.filter(case_id__in=batch)
        found |= dict(rows.values_list("case_id", "evaluator"))
    return found


def case_id_for_evaluator_pseudonym(pseudonym: str) -> int | None:
    """The case behind an evaluators' pseudonym, in one indexed query; None if none."""
    rows = CasePseudonym.objects.filter(evaluator=normalised(pseudonym))
    return rows.values_list("case_id", flat=True).first()


def opcc_pseudonyms(cases: QuerySet[Case]) -> list[str]:
    """The OPCC's pseudonyms of `cases`, sorted, made now for those that have none."""
    case_pseudonyms_ensure(cases)
    rows = CasePseudonym.objects.filter(case__in=cases).order_by("opcc")
    return list(rows.values_list("opcc", flat=True))
