"""The search for a person: who may search, whom each finds (exactly whom they may open, for
every way of matching), what the page says, what is logged (who searched, never what for),
and that the stored keys follow every write, erasure and anonymisation included."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import history
from core.models import AccessLog, Role, User
from core.search_keys import compact, fold, phone_digits
from core.system_user import system_user
from referrals import search
from referrals.invariants import search_key_problems
from referrals.models import Referral
from referrals.search import (
    CLOSE_SPELLING,
    DATE_OF_BIRTH,
    EMPTY,
    NAME,
    NOT_A_DATE,
    PHONE,
    POSTCODE,
    REASONS,
    REFERENCE,
    TOO_SHORT,
    people_found,
    search_terms,
)
from referrals.selectors import referrals_visible_to
from tests.factories import CaseFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/search/"
#: The details the three people of the walk share, written as a person would write them.
DETAILS = {
    "first_name": "Zoë",
    "last_name": "O\u2019Brien-Johnson",
    "date_of_birth": date(2001, 7, 4),
    "phone": "07700900982",
    "postcode": "B12 9LP",
}


def on_postgresql_with_trigrams() -> bool:
    return search.close_spellings_available()


def found_by(user: User, typed: str) -> list[Referral]:
    return [found.referral for found in people_found(user, search_terms(typed)).found]


# --- the normalisation both sides share ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("  Zoë  O\u2019Brien-Johnson ", "zoe obrien johnson"),
        ("ZOE O'BRIEN", "zoe obrien"),
        ("Łukasz Øberg", "lukasz oberg"),
        ("Straße", "strasse"),
        ("Siobhán Ní Dhónaill", "siobhan ni dhonaill"),
    ],
)
def test_names_are_folded_alike_whatever_their_case_accents_and_punctuation(
    typed: str, key: str
) -> None:
    assert fold(typed) == key


def test_phone_numbers_and_postcodes_are_compared_in_one_form() -> None:
    assert phone_digits("07700 900 982") == phone_digits("+44 7700 900982") == "07700900982"
    assert phone_digits("0044 (0)7700-900.982") == "007700900982"  # as typed: no guessing
    assert compact(" b12 9lp ") == compact("B129LP") == "B129LP"


# --- reading what was typed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["4/7/2001", "04/07/2001", "4-7-2001", "4.7.2001", "4 7 2001", "4 July 2001",
     "4th Jul 2001", "2001-07-04", "4/7/01"],
)  # fmt: skip
def test_a_date_of_birth_is_read_day_month_year_however_it_is_written(typed: str) -> None:
    assert search_terms(typed).date_of_birth == date(2001, 7, 4)


def test_a_two_digit_year_is_the_latest_that_is_not_in_the_future() -> None:
    assert search_terms("4/7/95").date_of_birth == date(1995, 7, 4)
    assert search_terms(f"4/7/{timezone.localdate():%y}").date_of_birth.year >= 2000  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", EMPTY), ("   ", EMPTY), ("a", TOO_SHORT), ("!!", TOO_SHORT), ("j.", TOO_SHORT),
     ("31/2/2001", NOT_A_DATE), ("4/13/2001", NOT_A_DATE)],
)  # fmt: skip
def test_what_cannot_be_searched_says_what_to_type(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        search_terms(typed)
    assert raised.value.messages == [message]


def test_letters_are_a_name_digits_a_reference_or_phone_and_both_a_postcode() -> None:
    assert search_terms("Zoë O'Brien").words == ("zoe", "obrien")
    phone = search_terms("07700 900 982")
    assert (phone.words, phone.phone, phone.reference) == ((), "07700900982", "07700900982")
    postcode = search_terms("b12 9lp")
    assert (postcode.words, postcode.postcode, postcode.phone) == ((), "B129LP", "")
    reference = search_terms("e4e-7kq2")
    assert (reference.reference, reference.postcode, reference.phone) == ("E4E7KQ2", "", "")


# --- who may search ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL, {"q": "Zoe"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", ["opcc", "evaluator", "admin_user"])
def test_opcc_evaluators_and_administrators_have_no_search(
    role: str,
    request: pytest.FixtureRequest,
    signed_in: Callable[..., Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    CaseFactory(**{f"referral__{name}": value for name, value in DETAILS.items()})
    user = request.getfixturevalue(role)
    client = signed_in(user)
    with caplog.at_level(logging.INFO):
        response = client.get(URL, {"q": "Zoe"})
    assert response.status_code == 403
    assert "O\u2019Brien" not in response.content.decode()
    assert not AccessLog.objects.exists()
    # Someone who never sees a person's record asking to search for one raises the alert.
    alerts = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(alerts) == (0 if role == "admin_user" else 1)
    assert 'id="header-search"' not in client.get(reverse("accounts:account")).content.decode()


@pytest.mark.parametrize("role", ["specialist", "manager"])
def test_specialists_and_managers_have_the_search_box_in_the_header(
    role: str, request: pytest.FixtureRequest, signed_in: Callable[..., Client]
) -> None:
    client = signed_in(request.getfixturevalue(role))
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'role="search"' in page
    assert f'action="{URL}"' in page
    assert '<label class="govuk-label moj-search__label govuk-visually-hidden"' in page
    assert 'for="header-search"' in page and 'name="q"' in page
    # The search page has its own box: the header's would be a second one.
    search_page = client.get(URL).content.decode()
    assert 'id="header-search"' not in search_page
    assert '<label class="govuk-label govuk-label--l" for="id_q">' in search_page


# --- whom each finds: the walk, for every way of matching -----------------------------------


@pytest.fixture
def people(specialist: User, other_specialist: User) -> dict[str, Referral]:
    """The same person's details three times: on the specialist's case, on another
    specialist's case, and on a referral not yet accepted (no case)."""
    details = {f"referral__{name}": value for name, value in DETAILS.items()}
    return {
        "mine": CaseFactory(
            worker=specialist, referral__reference="E4E-SRCH-0001", **details
        ).referral,
        "theirs": CaseFactory(
            worker=other_specialist, referral__reference="E4E-SRCH-0002", **details
        ).referral,
        "waiting": ReferralFactory(reference="E4E-SRCH-0003", **DETAILS),
    }


#: (what is typed, why the three are found). Every reason in referrals.search.REASONS.
WALK = [
    ("Zoë O\u2019Brien-Johnson", NAME),
    ("o'bri", NAME),
    ("ZOE OBRIEN", NAME),
    ("johnson zoe", NAME),
    ("O'Brien-Jonson", CLOSE_SPELLING),
    ("e4e srch", REFERENCE),
    ("4/7/2001", DATE_OF_BIRTH),
    ("4 July 2001", DATE_OF_BIRTH),
    ("07700 900 982", PHONE),
    ("+44 7700 900982", PHONE),
    ("900982", PHONE),
    ("b12 9lp", POSTCODE),
    ("B12", POSTCODE),
]


def test_the_walk_covers_every_way_to_find_someone() -> None:
    assert {why for _, why in WALK} == set(REASONS)


@pytest.mark.parametrize(("typed", "why"), WALK, ids=[typed for typed, _ in WALK])
def test_a_specialist_never_finds_another_specialists_client(
    typed: str,
    why: str,
    people: dict[str, Referral],
    specialist: User,
    manager: User,
    signed_in: Callable[..., Client],
) -> None:
    if why == CLOSE_SPELLING and not on_postgresql_with_trigrams():
        pytest.skip("Close spellings need PostgreSQL with pg_trgm: set DATABASE_URL.")
    mine, theirs, waiting = people["mine"], people["theirs"], people["waiting"]

    results = people_found(specialist, search_terms(typed))
    assert [found.referral for found in results.found] == [mine]
    assert why in results.found[0].reasons

    page = signed_in(specialist).get(URL, {"q": typed}).content.decode()
    assert mine.reference in page
    assert theirs.reference not in page and waiting.reference not in page
    assert reverse("caseload:case-detail", args=[mine.case.pk]) in page
    assert reverse("caseload:case-detail", args=[theirs.case.pk]) not in page

    # A manager finds every referral and case with these details.
    everyone = people_found(manager, search_terms(typed)).found
    assert {found.referral for found in everyone} == {mine, theirs, waiting}
    assert all(why in found.reasons for found in everyone)


def test_a_specialist_who_hands_a_case_on_no_longer_finds_its_person(
    people: dict[str, Referral], specialist: User, other_specialist: User
) -> None:
    from caseload.case_access import follow_worker

    case = people["mine"].case
    case.worker = other_specialist
    history.save(case, by=system_user())
    follow_worker(case)
    assert found_by(specialist, "Zoe") == []
    assert set(found_by(other_specialist, "Zoe")) == {people["mine"], people["theirs"]}


def test_a_deactivated_specialist_finds_no_one(
    people: dict[str, Referral], specialist: User
) -> None:
    specialist.is_active = False
    assert found_by(specialist, "Zoe") == []


def test_close_spellings_are_said_to_be_so_and_an_exact_name_comes_first(
    manager: User,
) -> None:
    if not on_postgresql_with_trigrams():
        pytest.skip("Close spellings need PostgreSQL with pg_trgm: set DATABASE_URL.")
    johnson = ReferralFactory(first_name="Kai", last_name="Johnson")
    jonson = ReferralFactory(first_name="Kai", last_name="Jonson")
    ReferralFactory(first_name="Kai", last_name="Jones")  # not close enough
    results = people_found(manager, search_terms("jonson")).found
    assert [(found.referral, found.reasons) for found in results] == [
        (jonson, (NAME,)),
        (johnson, (CLOSE_SPELLING,)),
    ]


def test_on_postgresql_every_key_has_a_trigram_index() -> None:
    if not on_postgresql_with_trigrams():
        pytest.skip("The trigram indexes are PostgreSQL's (with pg_trgm): set DATABASE_URL.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'referrals_referral'"
        )
        indexes = dict(cursor.fetchall())
    for key in ("search_name", "search_phone", "search_postcode", "search_reference"):
        assert "gin_trgm_ops" in indexes[f"referrals_referral_{key}_trgm"], key


def test_without_trigrams_names_still_match_in_part(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "close_spellings_available", lambda: False)
    johnson = ReferralFactory(first_name="Kai", last_name="Johnson")
    assert found_by(manager, "johns") == [johnson]
    assert found_by(manager, "jonson") == []
    assert "close spellings" not in people_found(manager, search_terms("kai")).searched


# --- the page ------------------------------------------------------------------------------------


def test_each_person_found_says_why_and_links_to_their_case_or_referral(
    people: dict[str, Referral], manager: User, signed_in: Callable[..., Client]
) -> None:
    other = ReferralFactory(first_name="Ben", last_name="Brown", postcode="B12 3AB")
    response = signed_in(manager).get(URL, {"q": "B12"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Searched references and postcodes for “B12”." in page
    assert "4 people found" in page
    assert page.count('data-label="Matched on">Postcode</td>') == 4
    assert reverse("caseload:case-detail", args=[people["mine"].case.pk]) in page
    assert reverse("referrals:detail", args=[people["waiting"].pk]) in page
    assert reverse("referrals:detail", args=[other.pk]) in page
    assert "Referral: received" in page and "Case open" in page


def test_a_date_of_birth_search_says_which_date_it_searched_for(
    people: dict[str, Referral], manager: User, signed_in: Callable[..., Client]
) -> None:
    page = signed_in(manager).get(URL, {"q": "04-07-01"}).content.decode()
    assert "Searched dates of birth for 4 July 2001." in page
    assert page.count('data-label="Matched on">Date of birth</td>') == 3


def test_more_than_fifty_found_shows_the_first_fifty_and_asks_to_narrow_the_search(
    manager: User, signed_in: Callable[..., Client]
) -> None:
    ReferralFactory.create_batch(55, last_name="Quillfeather")
    page = signed_in(manager).get(URL, {"q": "quillfeather"}).content.decode()
    assert "More than 50 people match: showing the first 50. Narrow the search" in page
    assert page.count('data-label="Person"') == 50


def test_no_one_found_says_what_to_try(manager: User, signed_in: Callable[..., Client]) -> None:
    page = signed_in(manager).get(URL, {"q": "Nobody-Here"}).content.decode()
    assert "No one found" in page
    assert "check the spelling, or type only part of the name" in page


@pytest.mark.parametrize(("typed", "message"), [("", EMPTY), ("x", TOO_SHORT)])
def test_an_empty_or_too_short_search_shows_the_error_summary(
    typed: str, message: str, manager: User, signed_in: Callable[..., Client]
) -> None:
    response = signed_in(manager).get(URL, {"q": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Search for a person \u2013 E4E Case</title>" in page
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_q">{message}</a>' in page
    assert 'aria-describedby="id_q-hint id_q-error"' in page
    assert not AccessLog.objects.exists()  # nothing was searched


def test_the_page_without_a_search_is_the_form_alone(
    manager: User, signed_in: Callable[..., Client]
) -> None:
    page = signed_in(manager).get(URL).content.decode()
    assert "govuk-error-summary" not in page and "Searched" not in page
    assert not AccessLog.objects.exists()


# --- what is logged: who searched, never what for ------------------------------------------------


def test_every_search_is_in_the_access_log_without_what_was_searched_for(
    people: dict[str, Referral], specialist: User, signed_in: Callable[..., Client]
) -> None:
    client = signed_in(specialist)
    for typed in ["Zoë O\u2019Brien", "4/7/2001"]:
        assert client.get(URL, {"q": typed}).status_code == 200
    rows = list(AccessLog.objects.order_by("pk").values())
    searches = [(r["user_id"], r["subject_id"]) for r in rows if r["subject_type"] == "search"]
    assert searches == [(specialist.pk, 0), (specialist.pk, 0)]
    # Nothing of what was searched for; whom it listed, as every list of people logs them
    # (security target AL-3), and only those.
    assert {row["view_name"] for row in rows} == {"search:people"}
    texts = " ".join(f"{r['subject_type']} {r['view_name']} {r['request_id']}" for r in rows)
    assert "zo" not in texts.lower() and "brien" not in texts.lower() and "2001" not in texts
    listed = {r["subject_id"] for r in rows if r["subject_type"] == "referral"}
    assert listed and listed <= set(referrals_visible_to(specialist).values_list("pk", flat=True))


def render(records: list[logging.LogRecord]) -> str:
    formatter = next(h.formatter for h in logging.getLogger().handlers if h.formatter)
    return "\n".join(formatter.format(record) for record in records)


def test_what_was_searched_for_never_reaches_the_logs(
    manager: User, signed_in: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    ReferralFactory(first_name="Zebedee", last_name="Quillfeather")
    with caplog.at_level(logging.INFO):
        signed_in(manager).get(URL, {"q": "Zebedee Quillfeather"})
        # Signed out: sent to sign in, the search in the `next` of the sign-in page.
        anonymous = Client()
        sent_to = anonymous.get(URL, {"q": "Zebedee"})["Location"]
        assert "Zebedee" in sent_to
        anonymous.get(sent_to)
    lines = render(caplog.records)
    assert "/search/?[redacted]" in lines
    assert "%3F[redacted]" in lines
    assert "Zebedee" not in lines and "Quillfeather" not in lines


def test_the_web_servers_access_log_names_paths_only() -> None:
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "--access-logformat" in command
    # %(r)s is the request line with its query string, %(q)s the query string, %(f)s the
    # referrer (a search page's URL); %(U)s is the path alone.
    assert "%(U)s" in command
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert atom not in command, atom


# --- the keys follow every write ---------------------------------------------------------------


def test_a_name_changed_on_the_record_is_found_by_the_new_name_only(manager: User) -> None:
    referral = ReferralFactory(first_name="Zebedee", last_name="Quillfeather", phone="")
    referral.first_name, referral.phone, referral.postcode = "Zac", "07700 900111", "B5 4AA"
    history.save(referral, by=manager)
    assert found_by(manager, "zebedee") == []
    assert found_by(manager, "zac quill") == [referral]
    assert found_by(manager, "07700900111") == [referral]
    assert found_by(manager, "b5 4aa") == [referral]
    assert search_key_problems() == []


def test_a_referral_entered_by_staff_is_found(manager: User) -> None:
    from referrals.services import referral_create

    referral = referral_create(
        by=manager,
        received_date=date(2026, 11, 2),
        source="probation",
        first_name="Siobhán",
        last_name="Ní Dhónaill",
        date_of_birth=date(2000, 2, 3),
        phone="07700900123",
        postcode="B12 9LP",
        cohort="convicted",
        consent=True,
    )
    assert referral.search_name == "siobhan ni dhonaill"
    assert found_by(manager, "siobhan ni") == [referral]


def test_referrals_written_in_bulk_are_found(manager: User) -> None:
    from caseload.legacy.bulk import NewReferral, referrals_create

    (imported,) = referrals_create(
        referrals=[
            NewReferral(
                legacy_id="R-9",
                person_key="P-9",
                received_date=date(2025, 9, 20),
                source="police",
                first_name="Éamon",
                last_name="Ó Briain",
                date_of_birth=date(2000, 1, 1),
                gender="male",
                ethnicity="white",
                postcode="b1 1aa",
                cohort="at_risk",
            )
        ],
        by=system_user(),
    )
    (django_bulk,) = Referral.objects.bulk_create(
        [ReferralFactory.build(first_name="Ålesund", last_name="Test", phone="+44 7700 900222")]
    )
    assert (imported.search_name, imported.search_postcode) == ("eamon o briain", "B11AA")
    assert found_by(manager, "eamon") == [imported]
    assert found_by(manager, "07700 900222") == [django_bulk]
    assert search_key_problems() == []


def test_the_legacy_import_and_its_corrections_keep_the_keys(manager: User, tmp_path: Path) -> None:
    from legacy_import.importer import import_legacy
    from tests.legacy_import.import_helpers import SMALL_HISTORY, write_history

    folder = write_history(tmp_path / "history", SMALL_HISTORY)
    assert import_legacy(folder, fund_total_pence=10_000_00).ok
    assert [r.legacy_id for r in found_by(manager, "ann able")] == ["R1"]
    corrected = SMALL_HISTORY["referrals.csv"].replace("police,Ann,Able,", "police,Zará,Quinn,")
    write_history(folder, {"referrals.csv": corrected})
    assert import_legacy(folder, fund_total_pence=10_000_00).ok
    assert found_by(manager, "ann able") == []
    assert [r.legacy_id for r in found_by(manager, "zara quinn")] == ["R1"]
    assert search_key_problems() == []


def test_the_synthetic_history_is_found_by_its_names(manager: User) -> None:
    from legacy_import.synthetic.plan import seed_scale

    seed_scale(clients=5, seed=7, today=timezone.localdate(), write_line=lambda _: None)
    referral = Referral.objects.order_by("pk").first()
    assert referral is not None and referral.search_name
    assert referral in found_by(manager, referral.full_name)
    assert search_key_problems() == []


def test_a_write_that_goes_round_the_model_is_reported(manager: User) -> None:
    referral = ReferralFactory(first_name="Zebedee")
    Referral.objects.filter(pk=referral.pk).update(first_name="Zac")
    assert search_key_problems() == [
        f"Referral {referral.pk}: its search keys (search_name) do not match its details."
    ]


def test_the_migration_fills_the_keys_of_every_referral_there_was() -> None:
    from importlib import import_module

    from django.apps import apps

    referrals = [ReferralFactory(first_name="Zoë"), ReferralFactory(phone="07700 900333")]
    Referral.objects.update(search_name="", search_phone="", search_postcode="")
    assert len(search_key_problems()) == 2
    import_module("referrals.migrations.0005_search_keys").fill_keys(apps, None)
    assert search_key_problems() == []
    assert Referral.objects.get(pk=referrals[0].pk).search_name.startswith("zoe ")


# --- erasure and retention: no one is found by details they no longer have --------------------


OLD_DETAILS = ["Zebedee", "quillfeather", "zebedee quill", "17/8/2001", "1/1/2001",
               "07700 900123", "900123", "B12 9LP", "B12"]  # fmt: skip


def person(worker: User, **extra: Any) -> Referral:
    return CaseFactory(
        worker=worker,
        referral__first_name="Zebedee",
        referral__last_name="Quillfeather",
        referral__date_of_birth=date(2001, 8, 17),
        referral__phone="07700 900123",
        referral__postcode="B12 9LP",
        referral__reference="E4E-GONE-2345",
        referral__received_date=date(2018, 1, 2),
        referral__decision_date=date(2018, 1, 3),
        accepted_date=date(2018, 1, 3),
        start_date=date(2018, 1, 4),
        closed_date=date(2019, 1, 1),
        closure_reason="other",
        **extra,
    ).referral


def test_an_erased_person_is_found_by_their_reference_only(
    specialist: User, manager: User, signed_in: Callable[..., Client]
) -> None:
    from privacy.retention import erase_person

    referral = person(specialist)
    assert {r.pk for r in found_by(manager, "zebedee")} == {referral.pk}
    erase_person(referral=referral, by=manager, request_reference="DPR-2026-001")

    for typed in OLD_DETAILS:
        assert found_by(manager, typed) == [], typed
        assert found_by(specialist, typed) == [], typed
    if on_postgresql_with_trigrams():
        assert found_by(manager, "zebedy quilfeather") == []
    referral.refresh_from_db()
    assert (referral.search_name, referral.search_phone, referral.search_postcode) == ("", "", "")
    page = signed_in(manager).get(URL, {"q": "E4E-GONE-2345"}).content.decode()
    assert "Details removed" in page and "Zebedee" not in page and "17 Aug 2001" not in page


def test_a_person_anonymised_by_retention_is_not_found_by_their_old_details(
    manager: User,
) -> None:
    from privacy.retention import apply_retention

    rejected = ReferralFactory(
        first_name="Zebedee",
        last_name="Quillfeather",
        date_of_birth=date(2001, 8, 17),
        phone="07700 900123",
        postcode="B12 9LP",
        status="rejected",
        rejection_reason="capacity",
        rejection_rationale="No room",
        received_date=date(2020, 1, 2),
        decision_date=date(2020, 1, 3),
    )
    assert found_by(manager, "zebedee") == [rejected]
    assert apply_retention(today=date(2026, 11, 22), by=system_user())
    for typed in OLD_DETAILS:
        assert found_by(manager, typed) == [], typed
    assert search_key_problems() == []


# --- the page's cost does not grow with what it finds ------------------------------------------


def _queries(client: Client, typed: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"q": typed}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["specialist", "manager"])
def test_a_search_makes_as_many_queries_for_50_people_found_as_for_5(
    role: str,
    request: pytest.FixtureRequest,
    signed_in: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    user = request.getfixturevalue(role)
    workers = [user] if role == "specialist" else UserFactory.create_batch(2, role=Role.SPECIALIST)

    def add(count: int) -> None:
        for index in range(count):
            CaseFactory(worker=workers[index % len(workers)], referral__last_name="Quillfeather")

    client = signed_in(user)
    add(5)
    client.get(URL, {"q": "quillfeather"})  # what a first request caches, cached
    few = _queries(client, "quillfeather")
    add(45)
    with django_assert_max_num_queries(20):
        many = _queries(client, "quillfeather")
    assert many <= few
    page = client.get(URL, {"q": "quillfeather"}).content.decode()
    assert page.count('data-label="Person"') == 50
