"""A return with many active cases: its PDF is laid out in parts, a few case updates at a
time, and the parts are joined into one tagged PDF. A reader, a screen reader or the OPCC
must not be able to tell: every update is there in order, the figures are as before, the
pages are numbered on, and the structure tree and bookmarks cover every case."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reporting import pdf
from reporting.figures import quarterly_return as compute_figures
from reporting.models import QuarterlyReturn
from reporting.selectors import opcc_figures
from tests.reporting.returns_helpers import END, START, build_history, pdf_objects, pdf_text

pytestmark = pytest.mark.django_db

#: More cases than three parts hold (see parted below), each update a different length.
CASES = 40
PART = 12
PSEUDONYM = re.compile(r"R-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@dataclass
class ManyCases:
    """A return, not saved, and the update on each of its active cases."""

    quarterly_return: QuarterlyReturn
    case_updates: list[dict[str, str]]

    @property
    def active_cases(self) -> list[str]:
        return self.quarterly_return.active_cases


def many_cases_return() -> ManyCases:
    """A return, not saved, with the small history's figures and CASES active cases, each
    with an update whose words say which case it is."""
    build_history()
    active = [f"R-{n:04d}-CASE-UPDT" for n in range(CASES)]
    unsaved = QuarterlyReturn(
        period_start=START,
        period_end=END,
        figures=compute_figures(START, END),
        figures_computed_at=datetime(2026, 1, 5, tzinfo=UTC),
        progress="Referrals rose.",
        challenges="Housing.",
        service_user_feedback="Respectful support.",
        active_cases=active,
    )
    updates = [
        {
            "pseudonym": pseudonym,
            "objectives": f"Objective of case {n}." + " Steady work near home." * (n % 4),
            "achieved": f"Achieved in case {n}.",
            "next_steps": f"Next step for case {n}." + " Another interview." * (n % 3),
        }
        for n, pseudonym in enumerate(active)
    ]
    return ManyCases(unsaved, updates)


@pytest.fixture
def parted(monkeypatch: pytest.MonkeyPatch) -> int:
    """Parts of PART updates: a part spans a page or two, so parts meet at page breaks."""
    monkeypatch.setattr(pdf, "UPDATES_PER_PART", PART)
    return PART


def render(many: ManyCases) -> bytes:
    return pdf.render_return_pdf(
        many.quarterly_return,
        opcc_figures(many.quarterly_return),
        case_updates=many.case_updates,
    )


def poppler(tool: str, content: bytes, tmp_path: Path, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    source = tmp_path / "structure.pdf"
    source.write_bytes(content)
    result = subprocess.run([tool, *args, str(source)], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def test_every_case_update_is_in_the_pdf_in_order_when_there_are_many(
    parted: int, tmp_path: Path
) -> None:
    many = many_cases_return()
    text = pdf_text(render(many), tmp_path)
    shown = PSEUDONYM.findall(text.split("Cases active in the quarter", 1)[1])
    assert shown == many.active_cases
    flat = " ".join(text.split())
    positions = []
    for n, update in enumerate(many.case_updates):
        for part in ("pseudonym", "objectives", "achieved", "next_steps"):
            assert update[part] in flat, (n, part)
            positions.append(flat.index(update[part]))
    assert positions == sorted(positions)


def test_laying_out_in_parts_changes_nothing_a_reader_sees(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Against the same return laid out as one document: the same text (every figure, the
    small-number rule, every update) on the same pages, numbered on from one."""
    many = many_cases_return()
    monkeypatch.setattr(pdf, "UPDATES_PER_PART", CASES)
    whole = pdf_text(render(many), tmp_path)
    monkeypatch.setattr(pdf, "UPDATES_PER_PART", PART)
    in_parts = pdf_text(render(many), tmp_path)
    assert in_parts == whole
    pages = in_parts.split("\f")[:-1]
    assert len(pages) > CASES // PART  # the updates fill more pages than there are parts
    numbers = [re.findall(r"Page (\d+)\s*$", page, re.M) for page in pages]
    assert numbers == [[str(n)] for n in range(1, len(pages) + 1)]
    assert "<5" in in_parts  # the OPCC's copy: small numbers suppressed


def test_the_joined_pdf_is_tagged_with_one_structure_tree_over_every_case(
    parted: int, tmp_path: Path
) -> None:
    many = many_cases_return()
    content = render(many)
    objects = pdf_objects(content)
    assert objects.count(b"/Type /StructTreeRoot") == 1
    assert objects.count(b"/S /Document") == 1
    assert b"/MarkInfo <</Marked true>>" in objects or b"/MarkInfo<</Marked true>>" in objects
    structure = poppler("pdfinfo", content, tmp_path, "-struct-text")
    headings = re.findall(r'^\s+H3 \(block\)\n\s+Span \(inline\)\n\s+"(R-[^"]+)"', structure, re.M)
    assert headings == many.active_cases
    assert structure.count("Document\n") == 1
    for figure in ("Access to the service", "Cases active in the quarter"):
        assert f'"{figure}"' in structure


def test_every_case_is_a_bookmark_under_the_cases_heading(parted: int, tmp_path: Path) -> None:
    many = many_cases_return()
    outline = poppler("pdftohtml", render(many), tmp_path, "-xml", "-i", "-stdout")
    outline = outline[outline.index("<outline>") :]
    cases = outline.split(">Cases active in the quarter</item>", 1)[1]
    nested = cases[: cases.index("</outline>")]
    assert PSEUDONYM.findall(nested) == many.active_cases
    pages = [int(page) for page in re.findall(r'<item page="(\d+)">R-', nested)]
    assert pages == sorted(pages) and pages[-1] > pages[0]
