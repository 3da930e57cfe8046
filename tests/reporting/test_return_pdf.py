"""The PDF and CSV the OPCC receives: tagged, loading nothing but our static files (IN-3),
small numbers suppressed, and nothing that identifies a person."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from weasyprint.urls import URLFetchingError, fetch

from core.models import User
from reporting import pdf, services
from reporting.models import ReturnJob
from reporting.pdf import STATIC_ORIGIN, ResourceRefused, StaticFilesOnlyFetcher
from reporting.spreadsheet import safe_cell
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    nothing_stuck,
    pdf_objects,
    pdf_text,
    private_media,
    review_every_update,
    run_job,
    signed_off_return,
    snapshot,
    write_narrative,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "eager_celery", "nothing_stuck"),
]
__all__ = ["eager_celery", "nothing_stuck", "private_media"]

HOSTILE = (
    '<img src="file:///etc/passwd">\n'
    '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">\n'
    '<img src="data:image/png;base64,iVBORw0KGgo=">'
)


def built_file(quarterly_return: Any, kind: str) -> bytes:
    job = quarterly_return.jobs.get(kind=kind, status=ReturnJob.Status.DONE)
    with job.file.open("rb") as handle:
        return bytes(handle.read())


# --- The URL fetcher ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "data:text/plain;base64,cm9vdDp4OjA6MA==",
        "ftp://example.org/x",
        f"{STATIC_ORIGIN}/static/../../../etc/passwd",
        f"{STATIC_ORIGIN}/static/%2e%2e/%2e%2e/e4e/settings.py",
        f"{STATIC_ORIGIN}/static/images/missing.svg",
        f"{STATIC_ORIGIN}/etc/passwd",
        f"{STATIC_ORIGIN}/static/images/favicon.svg?x=1",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url: str) -> None:
    fetcher = StaticFilesOnlyFetcher()
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    # WeasyPrint turns the refusal into a warning and leaves the resource out.
    with pytest.raises(URLFetchingError), fetch(fetcher, url):
        pass
    assert fetcher.served == []


def test_the_fetcher_serves_our_static_files() -> None:
    fetcher = StaticFilesOnlyFetcher()
    response = fetcher.fetch(f"{STATIC_ORIGIN}/static/images/favicon.svg")
    assert response.read().lstrip().startswith(b"<")
    assert response.content_type == "image/svg+xml"
    assert fetcher.served == ["images/favicon.svg"]


def test_hostile_markup_in_the_html_itself_loads_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Even unescaped markup (which the templates never produce) cannot reach a local file
    or the network: the fetcher refuses it and the PDF holds neither."""
    fetchers: list[StaticFilesOnlyFetcher] = []
    real = StaticFilesOnlyFetcher

    def recording() -> StaticFilesOnlyFetcher:
        fetcher = real()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "StaticFilesOnlyFetcher", recording)
    content = pdf.render_pdf(f"<html><body><p>Narrative</p>{HOSTILE}</body></html>")
    assert sorted(url.split(":", 1)[0] for url in fetchers[0].refused) == [
        "data",
        "file",
        "http",
    ]
    objects = pdf_objects(content)
    assert b"/Image" not in objects and b"/EmbeddedFile" not in objects
    assert b"root:x:0:0" not in objects
    assert "root:x:0:0" not in pdf_text(content, tmp_path)


def test_a_hostile_narrative_is_printed_as_text_and_fetches_nothing(
    manager: User, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build_history()
    fetchers: list[StaticFilesOnlyFetcher] = []
    real = StaticFilesOnlyFetcher

    def recording() -> StaticFilesOnlyFetcher:
        fetcher = real()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "StaticFilesOnlyFetcher", recording)
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    write_narrative(quarterly_return, manager, progress=HOSTILE, challenges=HOSTILE)
    review_every_update(quarterly_return, manager, objectives=HOSTILE)
    services.return_sign_off(quarterly_return=quarterly_return, by=manager)
    run_job(quarterly_return.jobs.get(kind=ReturnJob.Kind.PDF))
    run_job(quarterly_return.jobs.get(kind=ReturnJob.Kind.CSV))
    content = built_file(quarterly_return, ReturnJob.Kind.PDF)
    assert fetchers and all(f.refused == [] for f in fetchers)  # nothing was even asked for
    objects = pdf_objects(content)
    assert b"/Image" not in objects and b"/EmbeddedFile" not in objects
    text = pdf_text(content, tmp_path)
    assert "root:x:0:0" not in text
    assert '<img src="file:///etc/passwd">' in text  # shown as the manager typed it


# --- What the PDF holds ------------------------------------------------------------------


def test_the_pdf_is_tagged_and_titled(manager: User, tmp_path: Path) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    content = built_file(quarterly_return, ReturnJob.Kind.PDF)
    assert content.startswith(b"%PDF-")
    objects = pdf_objects(content)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects
    text = pdf_text(content, tmp_path)
    for heading in [
        "Access to the service",
        "Caseload",
        "Service provider information",
        "Engagement",
        "Distance travelled",
        "Employment",
        "IPS fidelity indicators",
        "Enterprise fund",
        "Equity",
        "Since the service began",
        "Chart: New referrals by source",
        "Progress since last quarter",
        "Challenges",
        "Service-user feedback",
        "Case studies",
        "Cases active in the quarter",
        "Finished a forklift course.",
    ]:
        assert heading in text, heading
    for pseudonym in quarterly_return.active_cases:
        assert re.fullmatch(r"R-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", pseudonym)
        assert pseudonym in text


def test_the_pdf_applies_the_small_number_rule_and_numbers_the_workers(
    manager: User, tmp_path: Path
) -> None:
    history = build_history()
    quarterly_return = signed_off_return(manager)
    # The exact snapshot, which the manager sees, holds the small count...
    by_ethnicity = quarterly_return.figures["equity"]["new_referrals"]["by_ethnicity"]
    assert (by_ethnicity["asian"], by_ethnicity["white"]) == (3, 6)
    text = pdf_text(built_file(quarterly_return, ReturnJob.Kind.PDF), tmp_path)
    # ...the OPCC's PDF does not: 9 referrals in all is a small group, so every cell of the
    # breakdown, the 6 too, is shown as "*" (a 3 beside the total would say who they are).
    asian = next(line for line in text.splitlines() if line.strip().startswith("Asian, Asian"))
    white = next(line for line in text.splitlines() if line.strip().startswith("White"))
    assert asian.split()[-3] == "*" and " 3 " not in f" {asian} "
    assert white.split()[-3] == "*" and " 6 " not in f" {white} "
    assert "Worker 1" in text and "Worker 2" in text
    for worker in history.workers:
        assert worker.email not in text


def test_no_personal_detail_reaches_the_pdf_or_the_csv(manager: User, tmp_path: Path) -> None:
    history = build_history()
    quarterly_return = signed_off_return(manager)
    text = pdf_text(built_file(quarterly_return, ReturnJob.Kind.PDF), tmp_path)
    csv = built_file(quarterly_return, ReturnJob.Kind.CSV).decode("utf-8-sig")
    for value in history.identifiers():
        assert value not in text, value
        assert value not in csv, value
    for case in history.cases:
        assert f"/cases/{case.pk}/" not in text and f"Case {case.pk}" not in text


def test_the_csv_uses_the_definitions_names_and_the_small_number_rule(manager: User) -> None:
    build_history()
    quarterly_return = signed_off_return(manager)
    lines = built_file(quarterly_return, ReturnJob.Kind.CSV).decode("utf-8-sig").splitlines()
    assert lines[0] == "section,figure,category,value"
    assert "access,new_referrals,,9" in lines
    assert "equity,new_referrals,by_ethnicity.asian,*" in lines  # 9 in all: a small group
    assert "equity,new_referrals,by_ethnicity.white,*" in lines
    workers = [line for line in lines if line.startswith("caseload,per_worker.open_at_end,")]
    assert [line.split(",")[2] for line in workers] == ["Worker 1", "Worker 2"]


def test_csv_cells_cannot_start_a_spreadsheet_formula() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-") == "-" and safe_cell(-1.5) == "-1.5" and safe_cell("<5") == "<5"
    assert safe_cell(None) == ""
