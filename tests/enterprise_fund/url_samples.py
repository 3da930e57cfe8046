"""For the access tests: sample URL arguments and non-200 GET statuses of this app's URLs.

See tests/access_matrix.py for what each dict means. Every sample is on a case of the cast's
specialist, submitted by them, so the cast's manager may decide it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.models import Role, User


def _case(cast: dict[str, User]) -> Any:
    from enterprise_fund.models import Fund
    from tests.enterprise_fund.helpers import make_fund
    from tests.factories import CaseFactory

    if not Fund.objects.exists():
        make_fund(cast[Role.MANAGER])
    return CaseFactory(worker=cast[Role.SPECIALIST])


def _with_an_approved_bid(cast: dict[str, User]) -> dict[str, Any]:
    """No URL arguments: the fund's pages, with a fund that has moved some money."""
    _approved(cast)
    return {}


def _case_pk(cast: dict[str, User]) -> dict[str, Any]:
    return {"pk": _case(cast).pk}


def _draft(cast: dict[str, User]) -> dict[str, Any]:
    from tests.enterprise_fund.helpers import make_draft

    return {"pk": make_draft(_case(cast), cast[Role.SPECIALIST]).pk}


def _submitted(cast: dict[str, User]) -> dict[str, Any]:
    from tests.enterprise_fund.helpers import make_submitted

    return {"pk": make_submitted(_case(cast), cast[Role.SPECIALIST]).pk}


def _approved(cast: dict[str, User]) -> dict[str, Any]:
    from tests.enterprise_fund.helpers import make_approved

    application = make_approved(_case(cast), cast[Role.SPECIALIST], cast[Role.MANAGER])
    return {"pk": application.pk}


def _trading(cast: dict[str, User]) -> dict[str, Any]:
    from tests.enterprise_fund.helpers import make_approved, start_business

    application = make_approved(_case(cast), cast[Role.SPECIALIST], cast[Role.MANAGER])
    return {"pk": start_business(application, cast[Role.SPECIALIST]).pk}


def _attachment_without_file(cast: dict[str, User]) -> dict[str, Any]:
    """An attachment row whose file is not on disk (the walk writes no files): 404 to all."""
    from enterprise_fund.models import Attachment, FundApplication

    application = FundApplication.objects.get(**_draft(cast))
    attachment = Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.QUOTE,
        file="enterprise_fund/not-on-disk.pdf",
        content_type="application/pdf",
        size=100,
        original_name="quote.pdf",
        uploaded_by=cast[Role.SPECIALIST],
    )
    return {"pk": attachment.pk}


URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    "enterprise_fund:fund": _with_an_approved_bid,
    "enterprise_fund:fund-adjust": _with_an_approved_bid,
    "enterprise_fund:applications": _with_an_approved_bid,
    "enterprise_fund:case-applications": _case_pk,
    "enterprise_fund:application-new": _case_pk,
    "enterprise_fund:application-detail": _submitted,
    "enterprise_fund:application-edit": _draft,
    "enterprise_fund:attachment-new": _draft,
    "enterprise_fund:attachment-download": _attachment_without_file,
    "enterprise_fund:application-submit": _draft,
    "enterprise_fund:application-assess": _submitted,
    "enterprise_fund:application-decide": _submitted,
    "enterprise_fund:payment-new": _approved,
    "enterprise_fund:business-start": _approved,
    "enterprise_fund:income-new": _trading,
    "enterprise_fund:business-stop": _trading,
}
GET_STATUS: dict[str, int] = {"enterprise_fund:attachment-download": 404}
