"""The case page's timeline reads as a case file: contact notes shown (long ones folded),
out-of-hours contacts marked and counted, one kind shown alone, long cases paged; the
preferred language on the case page and, where it is not English, on the caseload list."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseload.case_file import FOLD_NOTES_OVER
from caseload.models import Case, Contact
from caseload.views.cases import TIMELINE_PAGE_SIZE
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(
        worker=specialist,
        referral__received_date=MONDAY - datetime.timedelta(days=40),
        referral__decision_date=MONDAY - datetime.timedelta(days=31),
        start_date=MONDAY - datetime.timedelta(days=30),
        referral__preferred_language="Somali",
    )


def contact(case: Case, day: datetime.date, note: str = "", **fields: object) -> Contact:
    values: dict[str, object] = {
        "case": case,
        "worker": case.worker,
        "date": day,
        "mode": Contact.Mode.FACE_TO_FACE,
        "party": Contact.Party.CLIENT,
        "duration_minutes": 30,
        "note": note,
    }
    values.update(fields)
    return Contact.objects.create(**values)


def page_of(client: Client, case: Case, **query: str) -> str:
    response = client.get(reverse("caseload:case-detail", args=[case.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def text(fragment: str) -> str:
    """The words of an HTML fragment, tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def items(page: str) -> list[str]:
    """The timeline's entries, each as its HTML, newest first."""
    timeline = page.split('<ol class="govuk-list app-timeline">', 1)[1].split("</ol>", 1)[0]
    return timeline.split('<li class="app-timeline__item">')[1:]


def test_a_contact_note_is_read_on_the_case_page_and_a_long_one_is_folded(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    contact(case, MONDAY, note="Talked through the CV; wants warehouse work.")
    long_note = "Went to the job centre together. " * (FOLD_NOTES_OVER // 20)
    contact(case, MONDAY + datetime.timedelta(days=1), note=long_note)
    newest, older = items(page_of(signed_in(specialist), case))[:2]
    assert "Talked through the CV; wants warehouse work." in text(older)
    assert "<details" not in older
    assert '<details class="govuk-details">' in newest
    assert "Read the note" in text(newest) and "Went to the job centre together." in newest


def test_out_of_hours_contacts_are_marked_and_counted(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    contact(case, MONDAY, time=datetime.time(10, 0))
    contact(case, MONDAY + datetime.timedelta(days=5), out_of_hours=True)  # a Saturday
    contact(case, MONDAY + datetime.timedelta(days=1), out_of_hours=True, time=datetime.time(19))
    page = page_of(signed_in(specialist), case)
    assert "3 contacts, 2 of them out of hours" in text(page)
    marked = [item for item in items(page) if "Out of hours" in text(item)]
    assert len(marked) == 2


def test_one_kind_of_entry_is_shown_alone(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    contact(case, MONDAY)
    client = signed_in(specialist)
    everything = items(page_of(client, case))
    assert any("Referral accepted" in text(item) for item in everything)
    contacts_only = items(page_of(client, case, kind="contact"))
    assert len(contacts_only) == 1 and "contact with client" in text(contacts_only[0])
    # An unknown kind shows everything rather than an empty or broken page.
    assert items(page_of(client, case, kind="nonsense")) == everything


def test_a_long_case_is_paged_newest_first(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    total = TIMELINE_PAGE_SIZE + 10
    for offset in range(total):
        contact(case, MONDAY - datetime.timedelta(days=offset), note=f"Contact number {offset}")
    client = signed_in(specialist)
    first = items(page_of(client, case, kind="contact"))
    assert len(first) == TIMELINE_PAGE_SIZE
    assert "Contact number 0" in text(first[0])
    second_page = page_of(client, case, kind="contact", page="2")
    second = items(second_page)
    assert len(second) == 10 and f"Contact number {total - 1}" in text(second[-1])
    # The pages keep the filter.
    pagination = second_page.split('class="govuk-pagination"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', pagination)
    assert links and all("kind=contact" in html.unescape(href) for href in links)


def test_the_preferred_language_is_on_the_case_page_and_the_caseload_list(
    signed_in: Callable[..., Client], specialist: User, case: Case
) -> None:
    english = CaseFactory(worker=specialist, referral__preferred_language="English")
    client = signed_in(specialist)
    assert "Preferred language Somali" in text(page_of(client, case))
    home = client.get(reverse("caseload:home")).content.decode()
    cells = [
        text(cell.split("</td>", 1)[0])
        for cell in home.split('<td class="govuk-table__cell" data-label="Person">')[1:]
    ]
    assert any("Speaks Somali" in cell for cell in cells)
    assert not any("Speaks English" in cell for cell in cells)
    assert any(english.referral.full_name in cell for cell in cells)


def test_a_contact_and_an_outcome_open_from_the_timeline_with_every_field(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User, case: Case
) -> None:
    from caseload.models import Outcome

    logged = contact(case, MONDAY, note="Mock interview at the library.", duration_minutes=45)
    job = Outcome.objects.create(
        case=case,
        type=Outcome.Type.PAID_EMPLOYMENT,
        start_date=MONDAY,
        hours_per_week=30,
        employer_name="Bolt Logistics",
    )
    client = signed_in(specialist)
    page = page_of(client, case)
    contact_url = reverse("caseload:record-detail", args=["contact", logged.pk])
    outcome_url = reverse("caseload:record-detail", args=["outcome", job.pk])
    assert f'href="{contact_url}"' in page and f'href="{outcome_url}"' in page
    shown = text(client.get(contact_url).content.decode())
    assert "Mock interview at the library." in shown and "45" in shown
    assert "Face to face" in shown or "Face-to-face" in shown
    shown = text(client.get(outcome_url).content.decode())
    assert "Bolt Logistics" in shown and "Record that it ended" in shown
    other = signed_in(other_specialist)
    assert other.get(contact_url).status_code == 404
    assert other.get(outcome_url).status_code == 404
