"""The update on each case active in a return's quarter: its specialist writes and submits it
from their home page, a manager reviews it (the specialist's text stays in the history), the
return waits for every one to be reviewed, and the OPCC reads them only in the signed-off PDF,
under the cases' pseudonyms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import Role, User
from core.system_user import system_user
from reporting import services
from reporting.models import CaseUpdate, QuarterlyReturn, ReturnJob
from tests.factories import CaseFactory, UserFactory, opcc_pseudonym
from tests.reporting.returns_helpers import (
    END,
    START,
    UPDATE,
    build_history,
    eager_celery,
    pdf_text,
    private_media,
    review_every_update,
    run_job,
    snapshot,
    write_narrative,
)
from tests.reporting.test_return_pdf import built_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "eager_celery")]
__all__ = ["eager_celery", "private_media"]

SignedIn = Callable[..., Client]


@dataclass
class Draft:
    """A draft return with an update on each of three active cases: two of the specialist's,
    one of the other specialist's."""

    quarterly_return: QuarterlyReturn
    mine: list[CaseUpdate]
    theirs: CaseUpdate


@pytest.fixture
def draft(specialist: User, other_specialist: User, manager: User) -> Draft:
    cases = [CaseFactory(worker=specialist), CaseFactory(worker=specialist)]
    other = CaseFactory(worker=other_specialist)
    pseudonyms = {case.pk: opcc_pseudonym(case) for case in [*cases, other]}
    quarterly_return = QuarterlyReturn.objects.create(
        period_start=START,
        period_end=END,
        started_by=manager,
        figures={"period": {"start": str(START), "end": str(END)}},
        active_cases=sorted(pseudonyms.values()),
    )
    services.case_updates_draft(quarterly_return=quarterly_return, by=system_user())
    return Draft(
        quarterly_return,
        [quarterly_return.updates.get(case=case) for case in cases],
        quarterly_return.updates.get(case=other),
    )


def url(name: str, update: CaseUpdate) -> str:
    return reverse(name, kwargs={"pk": update.pk})


def posted(**changes: str) -> dict[str, str]:
    return {**UPDATE, **changes}


# --- The specialist -----------------------------------------------------------------------


def test_the_specialist_home_page_links_to_their_updates_to_write(
    draft: Draft, specialist: User, signed_in: SignedIn
) -> None:
    client = signed_in(specialist)
    home = client.get(reverse("caseload:home")).content.decode()
    assert "Quarterly updates to write (2)" in home
    assert reverse("reporting:case-updates") in home

    listed = client.get(reverse("reporting:case-updates")).content.decode()
    for update in draft.mine:
        assert url("reporting:case-update", update) in listed
        assert update.case is not None and update.case.referral.full_name in listed
    assert url("reporting:case-update", draft.theirs) not in listed
    assert draft.theirs.pseudonym not in listed

    client.post(url("reporting:case-update-submit", draft.mine[0]), posted())
    home = client.get(reverse("caseload:home")).content.decode()
    assert "Quarterly updates to write (1)" in home


def test_a_specialist_without_updates_sees_no_panel(specialist: User, signed_in: SignedIn) -> None:
    home = signed_in(specialist).get(reverse("caseload:home")).content.decode()
    assert "Quarterly updates to write" not in home


def test_a_draft_return_with_only_colleagues_updates_shows_no_panel(
    draft: Draft, signed_in: SignedIn
) -> None:
    newcomer = UserFactory(role=Role.SPECIALIST)
    home = signed_in(newcomer).get(reverse("caseload:home")).content.decode()
    assert "Quarterly updates to write" not in home


def test_the_update_page_opens_with_the_draft_from_the_record(
    draft: Draft, specialist: User, signed_in: SignedIn
) -> None:
    update = draft.mine[0]
    page = signed_in(specialist).get(url("reporting:case-update", update)).content.decode()
    assert f"Quarterly update on {update.pseudonym}" in page
    assert "No action plan goals were set by the end of the quarter." in page
    for label in ("Objectives", "What was achieved", "Next steps"):
        assert label in page
    assert 'class="govuk-textarea"' in page
    assert "Submit to a manager" in page and "Save as draft" in page
    assert f'formaction="{url("reporting:case-update-submit", update)}"' in page
    assert "Save and mark as reviewed" not in page
    assert "No earlier return has an update on this case." in page


def test_a_specialist_cannot_open_another_workers_case_update(
    draft: Draft, specialist: User, signed_in: SignedIn
) -> None:
    client = signed_in(specialist)
    before = draft.theirs.history.count()
    for name in ("reporting:case-update", "reporting:case-update-submit"):
        assert client.post(url(name, draft.theirs), posted()).status_code == 404
    assert client.get(url("reporting:case-update", draft.theirs)).status_code == 404
    assert client.post(url("reporting:case-update-review", draft.theirs)).status_code == 403
    draft.theirs.refresh_from_db()
    assert draft.theirs.status == CaseUpdate.Status.DRAFT
    assert draft.theirs.history.count() == before
    with pytest.raises(ValidationError, match="Only the case's specialist"):
        services.case_update_submit(update=draft.theirs, by=specialist, **UPDATE)


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("objectives", "Enter the objectives"),
        ("achieved", "Enter what was achieved"),
        ("next_steps", "Enter the next steps"),
    ],
)
def test_submitting_refuses_an_empty_part_and_names_it(
    draft: Draft, specialist: User, signed_in: SignedIn, part: str, message: str
) -> None:
    update = draft.mine[0]
    response = signed_in(specialist).post(
        url("reporting:case-update-submit", update), posted(**{part: "   "})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_{part}">{message}</a>' in page
    assert f'<p id="id_{part}-error" class="govuk-error-message">' in page
    assert "govuk-textarea--error" in page
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.DRAFT


def test_a_draft_may_be_saved_part_done(
    draft: Draft, specialist: User, signed_in: SignedIn
) -> None:
    update = draft.mine[0]
    response = signed_in(specialist).post(
        url("reporting:case-update", update), posted(next_steps="")
    )
    assert response.status_code == 302 and response["Location"] == url(
        "reporting:case-update", update
    )
    update.refresh_from_db()
    assert (update.status, update.objectives, update.next_steps) == (
        CaseUpdate.Status.DRAFT,
        UPDATE["objectives"],
        "",
    )


def test_a_submit_sent_twice_submits_once_and_changes_nothing_more(
    draft: Draft, specialist: User, signed_in: SignedIn
) -> None:
    update = draft.mine[0]
    client = signed_in(specialist)
    first = client.post(url("reporting:case-update-submit", update), posted())
    assert first.status_code == 302 and first["Location"] == reverse("reporting:case-updates")
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.SUBMITTED and update.submitted_by == specialist
    submitted_at, versions = update.submitted_at, update.history.count()

    again = client.post(url("reporting:case-update-submit", update), posted())
    assert again.status_code == 302
    update.refresh_from_db()
    assert (update.submitted_at, update.history.count()) == (submitted_at, versions)
    assert CaseUpdate.objects.filter(case=update.case).count() == 1

    # Saved again unchanged it stays submitted; changed, it is a draft until submitted again.
    page = client.get(url("reporting:case-update", update)).content.decode()
    assert "You have submitted this update." in page
    client.post(url("reporting:case-update", update), posted())
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.SUBMITTED
    client.post(url("reporting:case-update", update), posted(next_steps="Apply for two jobs."))
    update.refresh_from_db()
    assert (update.status, update.submitted_at) == (CaseUpdate.Status.DRAFT, None)


def test_a_specialist_cannot_change_an_update_once_reviewed(
    draft: Draft, specialist: User, manager: User, signed_in: SignedIn
) -> None:
    update = draft.mine[0]
    services.case_update_review(update=update, by=manager, **UPDATE)
    client = signed_in(specialist)
    page = client.get(url("reporting:case-update", update)).content.decode()
    assert "A manager has reviewed this update" in page and "<textarea" not in page
    for name in ("reporting:case-update", "reporting:case-update-submit"):
        assert client.post(url(name, update), posted(objectives="Changed")).status_code == 403
    update.refresh_from_db()
    assert update.objectives == UPDATE["objectives"]


def test_the_opcc_and_evaluators_never_open_an_update(
    draft: Draft, opcc: User, evaluator: User, signed_in: SignedIn
) -> None:
    for user in (opcc, evaluator):
        client = signed_in(user)
        for name in ("reporting:case-update", "reporting:case-update-submit"):
            assert client.get(url(name, draft.mine[0])).status_code == 403
        assert client.get(reverse("reporting:case-updates")).status_code == 403


# --- The manager --------------------------------------------------------------------------


def test_the_return_page_lists_each_update_with_its_worker_and_status(
    draft: Draft, specialist: User, other_specialist: User, manager: User, signed_in: SignedIn
) -> None:
    services.case_update_submit(update=draft.mine[0], by=specialist, **UPDATE)
    page = signed_in(manager).get(
        reverse("reporting:return-detail", kwargs={"pk": draft.quarterly_return.pk})
    )
    text = page.content.decode()
    assert "3 of 3 not reviewed yet: 2 not submitted, 1 waiting for review." in text
    for update in [*draft.mine, draft.theirs]:
        assert url("reporting:case-update", update) in text
    assert specialist.full_name in text and other_specialist.full_name in text
    assert ">Submitted</strong>" in text and ">Draft</strong>" in text


def test_the_managers_edit_is_kept_in_the_history_with_the_specialists_text(
    draft: Draft, specialist: User, manager: User, signed_in: SignedIn
) -> None:
    update = draft.mine[0]
    signed_in(specialist).post(
        url("reporting:case-update-submit", update), posted(achieved="Did a forklift course.")
    )
    client = signed_in(manager)
    page = client.get(url("reporting:case-update", update)).content.decode()
    assert "Did a forklift course." in page and "Save and mark as reviewed" in page
    response = client.post(
        url("reporting:case-update-review", update),
        posted(achieved="Finished a forklift course and passed."),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("reporting:return-detail", kwargs={"pk": draft.quarterly_return.pk})
        + "#case-updates"
    )
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.REVIEWED and update.reviewed_by == manager
    assert update.achieved == "Finished a forklift course and passed."
    versions = list(update.history.order_by("history_date", "history_id"))
    assert [(v.history_user, v.achieved, v.status) for v in versions[-2:]] == [
        (specialist, "Did a forklift course.", "submitted"),
        (manager, "Finished a forklift course and passed.", "reviewed"),
    ]
    page = client.get(url("reporting:case-update", update)).content.decode()
    assert "Earlier versions" in page and "Did a forklift course." in page


def test_the_manager_may_review_an_update_its_specialist_has_not_submitted(
    draft: Draft, manager: User, signed_in: SignedIn
) -> None:
    update = draft.mine[1]
    response = signed_in(manager).post(url("reporting:case-update-review", update), posted())
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.REVIEWED and update.submitted_by is None


def test_reviewing_needs_every_part_too(draft: Draft, manager: User, signed_in: SignedIn) -> None:
    update = draft.mine[0]
    response = signed_in(manager).post(
        url("reporting:case-update-review", update), posted(objectives="")
    )
    assert response.status_code == 200
    assert '<a href="#id_objectives">Enter the objectives</a>' in response.content.decode()
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.DRAFT


def test_sign_off_is_refused_while_an_update_is_not_reviewed_and_says_how_many(
    draft: Draft, specialist: User, manager: User, signed_in: SignedIn
) -> None:
    write_narrative(draft.quarterly_return, manager)
    services.case_update_submit(update=draft.mine[0], by=specialist, **UPDATE)
    services.case_update_review(update=draft.theirs, by=manager, **UPDATE)
    client = signed_in(manager)
    sign_off = reverse("reporting:return-sign-off", kwargs={"pk": draft.quarterly_return.pk})
    response = client.post(sign_off)
    assert response.status_code == 200
    expected = (
        "2 case updates are not reviewed yet (1 not submitted by the specialist, 1 waiting "
        "for a manager&#x27;s review)."
    )
    assert expected in response.content.decode()
    draft.quarterly_return.refresh_from_db()
    assert not draft.quarterly_return.is_signed_off

    services.case_update_review(update=draft.mine[0], by=manager, **UPDATE)
    assert services.sign_off_problems(draft.quarterly_return) == [
        "1 case update is not reviewed yet (1 not submitted by the specialist, 0 waiting for "
        "a manager's review). Every active case's update must be reviewed."
    ]
    services.case_update_review(update=draft.mine[1], by=manager, **UPDATE)
    assert services.sign_off_problems(draft.quarterly_return) == []
    services.return_sign_off(quarterly_return=draft.quarterly_return, by=manager)


def test_a_signed_off_returns_updates_refuse_any_change(
    draft: Draft, specialist: User, manager: User, signed_in: SignedIn
) -> None:
    write_narrative(draft.quarterly_return, manager)
    review_every_update(draft.quarterly_return, manager)
    services.return_sign_off(quarterly_return=draft.quarterly_return, by=manager)
    update = draft.mine[0]
    versions = update.history.count()
    client = signed_in(manager)
    page = client.get(url("reporting:case-update", update)).content.decode()
    assert "can no longer change" in page and "<textarea" not in page
    for name in ("reporting:case-update", "reporting:case-update-review"):
        response = client.post(url(name, update), posted(objectives="Changed"))
        assert response.status_code == 302
        assert services.FROZEN_MESSAGE in client.get(response["Location"]).content.decode()
    for call in (services.case_update_save, services.case_update_review):
        with pytest.raises(ValidationError, match="can no longer change"):
            call(update=update, by=manager, **posted(objectives="Changed"))
    update.refresh_from_db()
    assert update.objectives == UPDATE["objectives"] and update.history.count() == versions
    # The specialist no longer sees it at all: their updates are the draft returns'.
    assert signed_in(specialist).get(url("reporting:case-update", update)).status_code == 404


def test_the_last_quarters_update_is_shown_beside_this_one(
    draft: Draft, specialist: User, manager: User, signed_in: SignedIn
) -> None:
    write_narrative(draft.quarterly_return, manager)
    review_every_update(draft.quarterly_return, manager, achieved="Last quarter's progress.")
    services.return_sign_off(quarterly_return=draft.quarterly_return, by=manager)
    case = draft.mine[0].case
    assert case is not None
    pseudonym = opcc_pseudonym(case)
    later = QuarterlyReturn.objects.create(
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        started_by=manager,
        figures={},
        active_cases=[pseudonym],
    )
    services.case_updates_draft(quarterly_return=later, by=system_user())
    update = later.updates.get()
    page = signed_in(specialist).get(url("reporting:case-update", update)).content.decode()
    assert "Progress since the last update" in page
    assert "The update on this case in the 2025-26-Q3 return, as reviewed." in page
    assert "Last quarter&#x27;s progress." in page


# --- What the OPCC receives ---------------------------------------------------------------


def test_the_pdf_holds_the_reviewed_text_under_the_pseudonym_and_no_worker(
    manager: User, tmp_path: Path
) -> None:
    history = build_history()
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    write_narrative(quarterly_return, manager)
    specialist = history.workers[0]
    mine = quarterly_return.updates.filter(case__worker=specialist)
    for update in mine:
        services.case_update_submit(
            update=update, by=specialist, **posted(achieved="Draft words of the specialist.")
        )
    for update in quarterly_return.updates.all():
        services.case_update_review(
            update=update, by=manager, **posted(achieved=f"Reviewed words on {update.pseudonym}.")
        )
    services.return_sign_off(quarterly_return=quarterly_return, by=manager)
    for job in quarterly_return.jobs.filter(status="queued"):
        run_job(job)
    text = " ".join(pdf_text(built_file(quarterly_return, ReturnJob.Kind.PDF), tmp_path).split())
    updates = text.split("Cases active in the quarter", 1)[1]
    positions = []
    for pseudonym in quarterly_return.active_cases:
        shown = f"{pseudonym} Objectives: {UPDATE['objectives']} What was achieved: Reviewed "
        assert shown in updates
        positions.append(updates.index(shown))
    assert positions == sorted(positions)  # in the order of the pseudonyms
    assert "Draft words of the specialist." not in text
    for identifier in [*history.identifiers(), manager.email, manager.full_name]:
        assert identifier not in text, identifier


def test_the_pdf_leaves_out_text_that_is_not_reviewed(manager: User, draft: Draft) -> None:
    from reporting.selectors import opcc_case_updates

    services.case_update_review(update=draft.theirs, by=manager, **UPDATE)
    shown = opcc_case_updates(draft.quarterly_return)
    assert [u["pseudonym"] for u in shown] == draft.quarterly_return.active_cases
    assert [u for u in shown if len(u) > 1] == [{"pseudonym": draft.theirs.pseudonym, **UPDATE}]
