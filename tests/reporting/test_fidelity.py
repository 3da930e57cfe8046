"""IPS fidelity reviews: 25 items with their guidance in the scale's sections, total and
band, evidence and suggested scores pre-filled from the records, each review in full."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.models import Role, User
from reporting.fidelity.models import FidelityReview
from reporting.fidelity.scale import ITEM, ITEMS, SECTIONS, band
from reporting.fidelity.services import fidelity_review_record
from tests.factories import CaseFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

#: The last quarter's dates as the review form's date fields post them.
PERIOD = {
    "period_start_0": "1",
    "period_start_1": "7",
    "period_start_2": "2026",
    "period_end_0": "30",
    "period_end_1": "9",
    "period_end_2": "2026",
}


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (125, "Exemplary fidelity"),
        (115, "Exemplary fidelity"),
        (114, "Good fidelity"),
        (100, "Good fidelity"),
        (99, "Fair fidelity"),
        (74, "Fair fidelity"),
        (73, "Not supported employment"),
        (25, "Not supported employment"),
    ],
)
def test_the_total_falls_in_the_scales_bands(total: int, expected: str) -> None:
    assert band(total) == expected


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_a_review_prefills_evidence_for_the_last_quarter_and_saves_the_total(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    page = client.get(reverse("reporting:fidelity-new"))
    form = page.context["form"]
    assert form.initial["period_start"] == datetime.date(2026, 7, 1)
    assert form.initial["period_end"] == datetime.date(2026, 9, 30)
    assert "caseloads at the end of the period" in form.initial["evidence_1"]
    assert "employer contacts per FTE per week" in form.initial["evidence_17"]
    data = {**PERIOD, **{f"score_{n}": "4" for n in range(1, 26)}}
    missing_one = {k: v for k, v in data.items() if k != "score_7"}
    refused = client.post(reverse("reporting:fidelity-new"), missing_one).content.decode()
    assert "Score item 7 from 1 to 5" in refused
    # Shown again, the form adds up the scores given so far, section by section.
    assert "<strong>12 of 15</strong> (3 of 3 items scored)" in refused
    assert "<strong>28 of 40</strong> (7 of 8 items scored)" in refused
    assert "Total of the scores given: <strong>96 of 125</strong>" in refused
    assert not FidelityReview.objects.exists()
    data["score_1"] = "5"
    client.post(reverse("reporting:fidelity-new"), data)
    review = FidelityReview.objects.get()
    assert review.total == 101 and band(review.total) == "Good fidelity"
    assert review.history.latest().history_user == manager


def test_specialists_cannot_open_fidelity_reviews(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    assert signed_in(specialist).get(reverse("reporting:fidelity-new")).status_code == 403


# --- The scale's guidance, sections and adapted items -------------------------------------

#: The sections of the UK review form, and the items in each.
EXPECTED_SECTIONS = {
    "Staffing": list(range(1, 4)),
    "Organisation": list(range(4, 12)),
    "Services": list(range(12, 26)),
}
#: The items resting on the principles the statement of requirement (4.3) adapts: (a)
#: integration with treatment (4, 5, 8, 25) and (d) work incentives planning (12).
EXPECTED_ADAPTED = {4: "a", 5: "a", 8: "a", 12: "d", 25: "a"}

QUARTER_END = datetime.date(2026, 9, 30)


def test_every_item_has_five_anchors_and_belongs_to_exactly_one_section() -> None:
    assert [item.number for item in ITEMS] == list(range(1, 26))
    for item in ITEMS:
        assert len(item.anchors) == 5, item.number
        assert all(anchor.strip() for anchor in item.anchors), item.number
        assert len(set(item.anchors)) == 5, f"item {item.number} repeats an anchor"
    placed = [n for section in SECTIONS for n in section.numbers]
    assert sorted(placed) == list(range(1, 26))  # every item once, none twice
    assert {section.name: list(section.numbers) for section in SECTIONS} == EXPECTED_SECTIONS


def test_the_adapted_items_say_how_they_are_read_here() -> None:
    adapted = {item.number: item.adaptation for item in ITEMS if item.adaptation}
    assert {n: a.principle for n, a in adapted.items()} == EXPECTED_ADAPTED
    assert all(a.note.strip() for a in adapted.values())
    assert "probation" in adapted[4].note


# --- Evidence and suggested scores ---------------------------------------------------------


def _open_cases(worker: User, number: int) -> None:
    """Cases of `worker` started in July 2026 and open at the end of the quarter."""
    CaseFactory.create_batch(
        number,
        worker=worker,
        referral__received_date=datetime.date(2026, 7, 1),
        referral__decision_date=datetime.date(2026, 7, 2),
        accepted_date=datetime.date(2026, 7, 2),
        start_date=datetime.date(2026, 7, 3),
    )


def _item_row(page: str, number: int) -> str:
    """The markup of one item's radios and evidence on the review form."""
    start = page.index(f'id="id_score_{number}-hint"')
    end = page.find(f'id="id_score_{number + 1}-hint"', start)
    return page[start : end if end != -1 else len(page)]


def _checked(page: str, number: int) -> list[str]:
    return re.findall(rf'name="score_{number}"\s+type="radio"\s+value="(\d)"[^>]*checked', page)


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_the_suggested_caseload_score_drops_when_a_worker_holds_more_than_20_per_fte(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    half_time = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.5"))
    _open_cases(half_time, 10)  # 20 per FTE: the top score

    def suggested() -> tuple[list[str], str]:
        page = client.get(reverse("reporting:fidelity-new")).content.decode()
        return _checked(page, 1), _item_row(page, 1)

    checked, row = suggested()
    assert checked == ["5"]
    assert "Suggested from the records: 5" in row
    assert "20.0 per FTE" in row

    _open_cases(half_time, 1)  # 22 per FTE
    checked, row = suggested()
    assert checked == ["4"]
    assert "Suggested from the records: 4" in row
    assert "Highest: 22.0 per FTE" in row

    _open_cases(half_time, 5)  # 32 per FTE
    assert suggested()[0] == ["2"]


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_the_reviewer_can_change_a_suggested_score_and_the_review_keeps_theirs(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    _open_cases(UserFactory(role=Role.SPECIALIST, fte=Decimal("1.0")), 22)
    page = client.get(reverse("reporting:fidelity-new")).content.decode()
    assert _checked(page, 1) == ["4"]
    data = {**PERIOD, **{f"score_{n}": "4" for n in range(1, 26)}, "score_1": "2"}
    answer = client.post(reverse("reporting:fidelity-new"), data)
    review = FidelityReview.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("reporting:fidelity-detail", kwargs={"pk": review.pk})
    assert review.items["1"]["score"] == 2
    assert review.total == 98
    shown = client.get(answer["Location"]).content.decode()
    assert "<strong>2 of 5</strong>: 31 to 40 people per full-time specialist." in shown


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_rejections_on_readiness_or_risk_lower_the_suggested_zero_exclusion_score(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    decided = {
        "received_date": datetime.date(2026, 7, 1),
        "decision_date": datetime.date(2026, 7, 6),
    }
    for _ in range(3):
        ReferralFactory(status="accepted", **decided)
    ReferralFactory(
        status="rejected",
        rejection_reason="ineligible_area",
        rejection_rationale="Out of area",
        **decided,
    )
    page = client.get(reverse("reporting:fidelity-new")).content.decode()
    assert _checked(page, 9) == ["5"]  # an eligibility refusal screens no one out
    assert "Not eligible: area 1" in _item_row(page, 9)

    ReferralFactory(
        status="rejected", rejection_reason="not_ready", rejection_rationale="Not ready", **decided
    )
    page = client.get(reverse("reporting:fidelity-new")).content.decode()
    assert _checked(page, 9) == ["3"]
    assert "Refused as not ready or on risk (screening out, to the scale): 1 of 5 decided" in (
        _item_row(page, 9)
    )


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_items_the_return_has_no_figure_for_say_so_and_suggest_no_score(
    signed_in: Callable[..., Client], manager: User
) -> None:
    page = signed_in(manager).get(reverse("reporting:fidelity-new")).content.decode()
    missing = {
        19: "no figure of the kinds of the jobs started",
        20: "no figure of the employers of the jobs started",
        22: "no figure of the support given to people in work",
        24: "does not split hours by place",
    }
    for number, says in missing.items():
        row = _item_row(page, number)
        assert says in row
        assert "Suggested from the records" not in row
        assert _checked(page, number) == []
    for number in (2, 3, 7):  # nothing in the records informs these
        assert _checked(page, number) == []


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_the_form_groups_the_items_in_sections_with_each_scores_guidance(
    signed_in: Callable[..., Client], manager: User
) -> None:
    page = signed_in(manager).get(reverse("reporting:fidelity-new")).content.decode()
    headings = re.findall(r'<h2 class="govuk-fieldset__heading">(\w+)</h2>', page)
    assert headings == ["Staffing", "Organisation", "Services"]
    # Items 1-3 come after the Staffing heading and before Organisation's, and so on.
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    for (name, numbers), start, end in zip(
        EXPECTED_SECTIONS.items(), positions, [*positions[1:], len(page)], strict=True
    ):
        for n in numbers:
            assert start < page.index(f'id="id_score_{n}-hint"') < end, (name, n)
    caseload = _item_row(page, 1)
    for anchor in ITEM[1].anchors:
        assert anchor in caseload
    marked = [n for n in range(1, 26) if "Adapted for this service" in _item_row(page, n)]
    assert marked == sorted(EXPECTED_ADAPTED)


# --- The saved review in full ---------------------------------------------------------------


def _review(by: User, scores: dict[int, int] | None = None) -> FidelityReview:
    return fidelity_review_record(
        period_start=datetime.date(2026, 7, 1),
        period_end=QUARTER_END,
        scores=scores or {n: n % 5 + 1 for n in range(1, 26)},
        evidence={1: "Caseloads: 18 open at 1.0 FTE.", 15: "First contact in 24 days."},
        by=by,
    )


def test_the_saved_review_shows_section_subtotals_that_add_up_to_the_total(
    signed_in: Callable[..., Client], manager: User
) -> None:
    review = _review(manager)  # scores 2, 3, 4, 5, 1, 2, ... from item 1
    page = (
        signed_in(manager)
        .get(reverse("reporting:fidelity-detail", kwargs={"pk": review.pk}))
        .content.decode()
    )
    subtotals = {
        name: int(score)
        for name, score in re.findall(r'<h2 class="govuk-heading-m">(\w+): (\d+) of \d+</h2>', page)
    }
    assert subtotals == {"Staffing": 9, "Organisation": 23, "Services": 43}
    assert sum(subtotals.values()) == review.total == 75
    assert "75 of 125" in page
    assert "Fair fidelity" in page
    assert "<strong>2 of 5</strong>: 31 to 40 people per full-time specialist." in page
    assert "Caseloads: 18 open at 1.0 FTE." in page
    assert "Mo Manager" in page  # who reviewed, and the history's entry


def test_the_saved_review_marks_the_adapted_items(
    signed_in: Callable[..., Client], manager: User
) -> None:
    review = _review(manager)
    page = (
        signed_in(manager)
        .get(reverse("reporting:fidelity-detail", kwargs={"pk": review.pk}))
        .content.decode()
    )
    rows = page.split('<div class="govuk-summary-list__row')
    marked = []
    for row in rows:
        number = re.search(r'<dt class="govuk-summary-list__key">\s*(\d+)\.', row)
        if number and "Adapted for this service" in row:
            marked.append(int(number.group(1)))
    assert marked == sorted(EXPECTED_ADAPTED)
    adaptation = ITEM[4].adaptation
    assert adaptation is not None
    assert adaptation.note in page


def test_the_saved_review_lists_its_history(
    signed_in: Callable[..., Client], manager: User
) -> None:
    review = _review(manager)
    page = (
        signed_in(manager)
        .get(reverse("reporting:fidelity-detail", kwargs={"pk": review.pk}))
        .content.decode()
    )
    history = page[page.index(">History</h2>") :]
    assert "Created, by Mo Manager" in history


def test_each_review_in_the_list_opens_in_full(
    signed_in: Callable[..., Client], manager: User
) -> None:
    review = _review(manager)
    page = signed_in(manager).get(reverse("reporting:fidelity-list")).content.decode()
    assert reverse("reporting:fidelity-detail", kwargs={"pk": review.pk}) in page


@pytest.mark.parametrize("role", ["specialist", "evaluator", "opcc"])
def test_only_managers_may_open_a_saved_review(
    signed_in: Callable[..., Client], manager: User, role: str, request: pytest.FixtureRequest
) -> None:
    url = reverse("reporting:fidelity-detail", kwargs={"pk": _review(manager).pk})
    assert Client().get(url).status_code == 302  # to signing in
    assert signed_in(request.getfixturevalue(role)).get(url).status_code == 403
    assert signed_in(manager).get(url).status_code == 200


def test_a_review_that_does_not_exist_is_not_found(
    signed_in: Callable[..., Client], manager: User
) -> None:
    url = reverse("reporting:fidelity-detail", kwargs={"pk": 999})
    assert signed_in(manager).get(url).status_code == 404


def test_disclosure_plans_and_profile_updates_are_read_as_they_stood_at_the_quarters_end(
    specialist: User,
) -> None:
    from caseload.models import Contact, Outcome, VocationalProfile
    from reporting.fidelity.evidence import evidence_from_records
    from reporting.figures.document import quarterly_return

    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    cases = CaseFactory.create_batch(
        4,
        worker=specialist,
        referral__received_date=datetime.date(2026, 3, 1),
        referral__decision_date=datetime.date(2026, 3, 2),
        accepted_date=datetime.date(2026, 3, 2),
        start_date=datetime.date(2026, 3, 3),
    )
    for case in cases:  # each active at the end: seen in its last 28 days
        Contact.objects.create(
            case=case,
            worker=specialist,
            date=datetime.date(2026, 9, 20),
            mode=Contact.Mode.FACE_TO_FACE,
            party=Contact.Party.CLIENT,
            duration_minutes=30,
        )
    profiles = {}
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0)):
        for n, case in enumerate(cases):
            plan = "Tell an employer after the offer" if n < 3 else ""
            profiles[n] = VocationalProfile.objects.create(case=case, disclosure_plan=plan)
    for case, day in (
        (cases[0], datetime.date(2026, 8, 10)),
        (cases[1], datetime.date(2026, 9, 1)),
    ):
        Outcome.objects.create(case=case, type=Outcome.Type.PAID_EMPLOYMENT, start_date=day)
    with time_machine.travel(datetime.datetime(2026, 8, 12, 12, 0)):
        profiles[0].skills = "Forklift licence, learnt in the first weeks"
        profiles[0].save()
    with time_machine.travel(datetime.datetime(2026, 10, 15, 12, 0)):
        profiles[3].disclosure_plan = "A plan made after the quarter"
        profiles[3].save()
        profiles[1].skills = "Updated after the quarter"
        profiles[1].save()

    fidelity = quarterly_return(start, end)["fidelity"]
    assert (fidelity["disclosure_plan_pct"], fidelity["disclosure_plan_cohort"]) == (75.0, 4)
    assert fidelity["profile_updated_with_job_pct"] == 50.0
    assert fidelity["profile_updated_with_job_cohort"] == 2
    with time_machine.travel(datetime.datetime(2026, 10, 16, 12, 0)):
        evidence = evidence_from_records(start, end)
    assert evidence[13].suggested == 4
    assert "75.0% of 4" in evidence[13].text
    assert evidence[14].suggested == 3
    assert "50.0% of the 2 people" in evidence[14].text
