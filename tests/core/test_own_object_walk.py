"""AC-3: every URL whose rule says `own_object` answers 404 to a specialist whose object it
is not, and changes nothing.

The list is taken from `core.access.policy()`, so a new own-object URL is walked as soon as
its rule says so. Each URL's object is built for the cast's specialist (by the sample in
tests/access_matrix.py, or by OWNER_SAMPLES below where the walk needs more than the sample
gives); it is then requested by another specialist, who must get 404 for GET and for an
empty POST, and by its owner, who must not, so the walk cannot pass on a broken sample.

A few own-object rules do not let specialists in at all (the quarterly returns: managers
see every return, OPCC staff only the signed-off ones). For those the middleware refuses a
specialist first (403); the walk then lets specialists past the rule for the length of the
test, so that the view's own check is what answers, and its owner is a manager.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.access import Rule, policy
from core.models import Role, User
from tests.access_matrix import GET_STATUS, URL_KWARGS

pytestmark = pytest.mark.django_db

OWN_OBJECT_URLS = sorted(name for name, rule in policy().items() if rule.own_object)

#: URLs open to specialists whose object is shared by every worker, not one case's.
SHARED_OBJECT_URLS = {
    "caseload:employer-contact-new": "an employer is on the shared employer list",
}


def _attachment_on_disk(cast: dict[str, User]) -> dict[str, Any]:
    """A quote really stored, so that its owner can download it."""
    from enterprise_fund.services import attachments
    from tests.enterprise_fund.helpers import make_draft, make_fund, upload
    from tests.factories import CaseFactory

    make_fund(cast[Role.MANAGER])
    application = make_draft(CaseFactory(worker=cast[Role.SPECIALIST]), cast[Role.SPECIALIST])
    attachment = attachments.fund_attachment_add(
        application=application, kind="quote", upload=upload(), by=cast[Role.SPECIALIST]
    )
    return {"pk": attachment.pk}


def _return_with_file(kind: str) -> Callable[[dict[str, User]], dict[str, Any]]:
    """A signed-off return whose PDF or CSV has been built, so that a manager can download it."""

    def build(cast: dict[str, User]) -> dict[str, Any]:
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from reporting.models import QuarterlyReturn, ReturnJob
        from tests.reporting.url_samples import URL_KWARGS as REPORTING_KWARGS

        pk = REPORTING_KWARGS["reporting:return-correction"](cast)["pk"]
        job = ReturnJob(
            quarterly_return=QuarterlyReturn.objects.get(pk=pk),
            kind=kind,
            status=ReturnJob.Status.DONE,
            requested_by=cast[Role.MANAGER],
            finished_at=timezone.now(),
        )
        job.file.save(f"sample.{kind}", ContentFile(b"sample"), save=True)
        return {"pk": pk}

    return build


#: URL name -> function(cast) -> kwargs, where the access sample does not do for the walk.
OWNER_SAMPLES: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    # The access sample's file is not on disk: 404 to its owner too.
    "enterprise_fund:attachment-download": _attachment_on_disk,
    # The access sample's files are not built: 404 to everyone.
    "reporting:return-pdf": _return_with_file("pdf"),
    "reporting:return-csv": _return_with_file("csv"),
}


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "private-media")


def url_of_an_object_owned_by_the_cast(name: str, cast: dict[str, User]) -> str:
    build = OWNER_SAMPLES.get(name) or URL_KWARGS.get(name)
    if build is None:
        pytest.fail(
            f"{name} is an own-object URL but the walk cannot build its object: add a sample "
            "to URL_KWARGS in its app's tests/<app>/url_samples.py (or to OWNER_SAMPLES in "
            "tests/core/test_own_object_walk.py), making the object on a case of "
            "cast[Role.SPECIALIST]."
        )
    kwargs = build(cast)
    if not kwargs:
        pytest.fail(f"{name} is an own-object URL but its sample gives no object to ask for")
    return reverse(name, kwargs=kwargs)


def owner_of(name: str, rule: Rule, cast: dict[str, User]) -> User:
    """Who may see the object: its specialist, or a manager where specialists are not let in."""
    for role in (Role.SPECIALIST, Role.MANAGER):
        if role in rule.roles:
            return cast[role]
    pytest.fail(f"{name}: the walk does not know who owns the object of a rule for {rule.roles}")


def is_post_only(name: str) -> bool:
    return GET_STATUS.get(name) == 405


def database_rows() -> dict[str, list[str]]:
    """Every row of every table but the sessions: to show that a request changed nothing."""
    rows: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session or model._meta.proxy or not model._meta.managed:
            continue
        rows[model._meta.label] = sorted(repr(row) for row in model._base_manager.values_list())
    return rows


def changed_tables(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    return sorted(
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    )


def let_specialists_past_the_rule(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    rule = policy()[name]
    widened = dataclasses.replace(rule, roles=rule.roles | {Role.SPECIALIST})
    monkeypatch.setitem(policy(), name, widened)


def test_there_are_own_object_urls_to_walk() -> None:
    assert len(OWN_OBJECT_URLS) >= 30, OWN_OBJECT_URLS


@pytest.mark.parametrize("name", OWN_OBJECT_URLS)
def test_another_specialist_gets_404_and_changes_nothing(
    name: str,
    cast: dict[str, User],
    other_specialist: User,
    signed_in: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = url_of_an_object_owned_by_the_cast(name, cast)
    outsider = signed_in(other_specialist)
    if Role.SPECIALIST not in policy()[name].roles:
        refused = outsider.get(url).status_code
        assert refused == 403, f"{name}: a specialist, refused by the rule, got {refused}"
        let_specialists_past_the_rule(monkeypatch, name)

    before = database_rows()
    if not is_post_only(name):
        status = outsider.get(url).status_code
        assert status == 404, f"GET {name} by a specialist whose object it is not: {status}"
    status = outsider.post(url, {}).status_code
    allowed = {404} if is_post_only(name) else {404, 405}  # 405: the view takes no POST
    assert status in allowed, f"POST {name} by a specialist whose object it is not: {status}"
    assert changed_tables(before, database_rows()) == [], f"{name}: the request changed rows"


@pytest.mark.parametrize("name", OWN_OBJECT_URLS)
def test_the_owner_is_let_in(
    name: str, cast: dict[str, User], signed_in: Callable[..., Client]
) -> None:
    url = url_of_an_object_owned_by_the_cast(name, cast)
    owner = signed_in(owner_of(name, policy()[name], cast))
    status = owner.get(url).status_code
    assert status in {200, 302, 405}, f"GET {name} by the object's owner: {status}"
    if is_post_only(name):
        status = owner.post(url, {}).status_code
        assert status not in {403, 404}, f"POST {name} by the object's owner: {status}"


def url_arguments() -> dict[str, set[str]]:
    """Every named URL -> the names of the arguments in its path."""
    found: dict[str, set[str]] = {}

    def walk(patterns: list[Any], prefix: str, arguments: set[str]) -> None:
        for pattern in patterns:
            here = arguments | set(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace, here)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{prefix}{pattern.name}"] = here

    walk(get_resolver().url_patterns, "", set())
    return found


def test_every_specialist_url_about_one_object_is_walked() -> None:
    """Taking `own_object` off a rule would take its URL off the walk: a URL that specialists
    may request and that names an object must be own-object, or be listed as shared."""
    arguments = url_arguments()
    unwalked = sorted(
        name
        for name, rule in policy().items()
        if Role.SPECIALIST in rule.roles
        and not (rule.public or rule.before_second_factor or rule.own_account)
        and arguments.get(name)
        and not rule.own_object
        and name not in SHARED_OBJECT_URLS
    )
    assert unwalked == [], (
        f"URLs open to specialists that name an object but are not own_object: {unwalked}. "
        "Mark the rule own_object=True (and fetch the object through its access helper), or "
        "add the URL to SHARED_OBJECT_URLS with the reason."
    )
