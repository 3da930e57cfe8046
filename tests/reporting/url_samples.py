"""For the access tests: sample URL arguments and non-200 GET statuses of this app's URLs.

See tests/access_matrix.py for what each dict means.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from core.models import Role, User

SAMPLE_START, SAMPLE_END = date(2025, 10, 1), date(2025, 12, 31)


def _return(cast: dict[str, User], **fields: Any) -> Any:
    from reporting.models import QuarterlyReturn

    version = QuarterlyReturn.objects.filter(period_start=SAMPLE_START).count() + 1
    return QuarterlyReturn.objects.create(
        period_start=SAMPLE_START,
        period_end=SAMPLE_END,
        version=version,
        started_by=cast[Role.MANAGER],
        figures={"period": {"start": str(SAMPLE_START), "end": str(SAMPLE_END)}},
        **fields,
    )


def _draft(cast: dict[str, User]) -> dict[str, Any]:
    from reporting.models import QuarterlyReturn

    # The period's one draft, where another sample has made it already.
    draft = QuarterlyReturn.objects.filter(period_start=SAMPLE_START, status="draft").first()
    return {"pk": (draft or _return(cast)).pk}


def _signed_off(cast: dict[str, User]) -> dict[str, Any]:
    """Signed off, its files not built yet: the downloads answer 404 to everyone."""
    from django.utils import timezone

    signed = _return(
        cast, status="signed_off", signed_off_by=cast[Role.MANAGER], signed_off_at=timezone.now()
    )
    return {"pk": signed.pk}


def _failed_job(cast: dict[str, User]) -> dict[str, Any]:
    from reporting.models import ReturnJob

    job = ReturnJob.objects.create(
        quarterly_return=_return(cast),
        kind=ReturnJob.Kind.SNAPSHOT,
        status=ReturnJob.Status.FAILED,
        error="Sample failure",
        requested_by=cast[Role.MANAGER],
    )
    return {"pk": job.pk}


def _case_update(cast: dict[str, User]) -> dict[str, Any]:
    """The update, on a draft return, on a case of the cast's specialist."""
    from caseload.pseudonyms import pseudonyms_of
    from reporting.models import CaseUpdate, QuarterlyReturn
    from tests.factories import CaseFactory

    case = CaseFactory(worker=cast[Role.SPECIALIST])
    pseudonym = pseudonyms_of(case).opcc
    # The period's one draft, where another sample has made it already.
    draft = QuarterlyReturn.objects.filter(period_start=SAMPLE_START, status="draft").first()
    if draft is None:
        draft = _return(cast)
    draft.active_cases = sorted([*draft.active_cases, pseudonym])
    draft.save()
    update = CaseUpdate.objects.create(
        quarterly_return=draft, case=case, pseudonym=pseudonym, objectives="Find warehouse work."
    )
    return {"pk": update.pk}


def _fidelity_review(cast: dict[str, User]) -> dict[str, Any]:
    from reporting.fidelity.services import fidelity_review_record

    review = fidelity_review_record(
        period_start=SAMPLE_START,
        period_end=SAMPLE_END,
        scores=dict.fromkeys(range(1, 26), 4),
        evidence={1: "Caseloads checked against the return."},
        by=cast[Role.MANAGER],
    )
    return {"pk": review.pk}


URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    "reporting:case-update": _case_update,
    "reporting:case-update-submit": _case_update,
    "reporting:case-update-review": _case_update,
    "reporting:return-detail": _draft,
    "reporting:return-status": _draft,
    "reporting:return-narrative": _draft,
    "reporting:return-sign-off": _draft,
    "reporting:return-correction": _signed_off,
    "reporting:return-rebuild": _signed_off,
    "reporting:return-pdf": _signed_off,
    "reporting:return-csv": _signed_off,
    "reporting:job-retry": _failed_job,
    "reporting:fidelity-detail": _fidelity_review,
}
GET_STATUS: dict[str, int] = {
    "reporting:case-update-submit": 405,  # POST only
    "reporting:case-update-review": 405,  # POST only
    "reporting:return-correction": 405,  # POST only
    "reporting:job-retry": 405,  # POST only
    "reporting:return-pdf": 404,  # the sample's files are not built yet
    "reporting:return-csv": 404,
}


def _import_run(cast: dict[str, User]) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from legacy_import.models import ImportRun

    run = ImportRun(original_name="history.zip", started_by=cast[Role.MANAGER], status="refused")
    run.file.save("sample-import.zip", ContentFile(b"PK\x03\x04"), save=True)
    return {"pk": run.pk}


URL_KWARGS["legacy_import:detail"] = _import_run
URL_KWARGS["legacy_import:confirm"] = _import_run
GET_STATUS["legacy_import:confirm"] = 405


def _pseudonym(cast: dict[str, User]) -> dict[str, Any]:
    from caseload.pseudonyms import pseudonyms_of
    from tests.factories import CaseFactory

    return {"pseudonym": pseudonyms_of(CaseFactory(worker=cast[Role.SPECIALIST])).evaluator}


URL_KWARGS["evaluation:record"] = _pseudonym
URL_KWARGS["evaluation:api-record"] = _pseudonym
