"""The files the OPCC receives: the return as a tagged PDF (WeasyPrint) and as a CSV.

Both are built from the OPCC's copy of the figures (small numbers suppressed, workers
numbered), never from the exact snapshot. WeasyPrint fetches resources only through
`core.pdf.StaticFilesOnlyFetcher`, which serves the app's own static files and refuses
everything else (file://, http(s)://, data:, ...): IN-3.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML, Document

from core.charts import KEY_TO_SYMBOLS
from core.pdf import STATIC_ORIGIN, ResourceRefused, StaticFilesOnlyFetcher
from reporting import briefing, charts
from reporting.figure_table import FIGURES, Breakdown, PerWorker
from reporting.models import QuarterlyReturn
from reporting.pdf_join import PdfJoiner
from reporting.selectors import opcc_case_updates
from reporting.spreadsheet import safe_cell

Progress = Callable[[int, str], None]

__all__ = ["STATIC_ORIGIN", "ResourceRefused", "StaticFilesOnlyFetcher", "render_pdf"]


def _layout(html: str) -> Document:
    """Lay out `html` as WeasyPrint does for a tagged PDF, loading only our static files."""
    fetcher = StaticFilesOnlyFetcher()
    return HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher).render(
        pdf_tags=True
    )


def render_pdf(html: str, *, progress: Progress | None = None) -> bytes:
    """Lay out and write `html` as a tagged PDF (PDF/UA structure tags, WeasyPrint 70)."""
    step = progress or (lambda percent, label: None)
    step(50, "Laying out the pages")
    joiner = PdfJoiner()
    joiner.add(_layout(html))
    step(80, "Writing the PDF")
    return joiner.write()


def return_context(
    quarterly_return: QuarterlyReturn,
    doc: dict[str, Any],
    *,
    case_updates: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """What the PDF template shows: the OPCC's copy of the figures, the narrative and the
    reviewed update on each active case (reporting.selectors.opcc_case_updates, unless
    given: an unsaved return, measured, has none stored)."""
    return {
        "return": quarterly_return,
        "headline": briefing.headline(quarterly_return.figures or {}, quarterly_return.comparison),
        "sections": charts.sections(doc),
        "symbols": KEY_TO_SYMBOLS,
        "case_updates": (
            opcc_case_updates(quarterly_return) if case_updates is None else case_updates
        ),
    }


#: Case updates laid out in one part of the PDF. WeasyPrint holds a part's pages until the
#: part is written, so this, not the number of cases, bounds the memory a return takes.
UPDATES_PER_PART = 200


def render_return_pdf(
    quarterly_return: QuarterlyReturn,
    doc: dict[str, Any],
    *,
    progress: Progress | None = None,
    case_updates: list[dict[str, str]] | None = None,
) -> bytes:
    """The return's PDF, laid out in parts: the headline figures, narrative and figures with
    the first case updates, then the other updates, UPDATES_PER_PART at a time, then the
    appendix of definitions, each part joined to the one before at a page break
    (PdfJoiner)."""
    step = progress or (lambda percent, label: None)
    step(30, "Drawing the tables and charts")
    context = return_context(quarterly_return, doc, case_updates=case_updates)
    updates: list[dict[str, Any]] = context["case_updates"]
    joiner = PdfJoiner()
    start = _add_part(joiner, "pdf/return.html", context, updates, 0)
    while start < len(updates):
        step(30 + 60 * start // len(updates), f"Laying out the case updates ({start:,} done)")
        start = _add_part(joiner, "pdf/case_updates.html", context, updates, start)
    step(88, "Adding the definitions")
    appendix = {**context, "case_updates": [], "first_page": joiner.page_count + 1}
    joiner.add(_layout(render_to_string("pdf/appendix.html", appendix)))
    step(90, "Writing the PDF")
    return joiner.write()


def _add_part(
    joiner: PdfJoiner,
    template: str,
    context: dict[str, Any],
    updates: list[dict[str, Any]],
    start: int,
) -> int:
    """Lay out one part, from update `start`, and add its whole pages to the file; where
    the next part starts.

    Unless the part holds the last update, its last page is left out and the updates that
    begin on it are laid out again at the top of the next part: the parts then meet at a
    page break the one long document would have had too, not at a half-empty page.
    """
    end = min(start + UPDATES_PER_PART, len(updates))
    part = {"case_updates": updates[start:end], "first_update": start}
    html = render_to_string(template, {**context, **part, "first_page": joiner.page_count + 1})
    document = _layout(html)
    pages = document.pages
    if end < len(updates) and len(pages) > 1:
        page_of = {name: number for number, page in enumerate(pages) for name in page.anchors}
        starts = [page_of[f"case-{index}"] for index in range(start, end)]
        last_page = len(pages) - 1
        # The first update that begins on the last page or, when the last page only
        # carries on the update before, that one.
        carried = next((i for i, page in enumerate(starts) if page == last_page), end - start - 1)
        if carried > 0 and starts[carried] > 0:
            pages, end = pages[: starts[carried]], start + carried
    joiner.add(document.copy(pages))
    return end


# --- CSV ---------------------------------------------------------------------------------

CSV_HEADER = ["section", "figure", "category", "value"]


def csv_rows(doc: dict[str, Any]) -> Iterator[list[str]]:
    """One row per figure of the figure table, in its order (the definitions'): section,
    figure (the definitions' key), category, value. A key without a line in the table stays
    out of the OPCC's file."""
    for line in FIGURES:
        values = doc.get(line.section) or {}
        value = values.get(line.key)
        if isinstance(line, PerWorker):
            for row in value or []:
                for column in line.columns:
                    yield [
                        line.section,
                        f"{line.key}.{column.key}",
                        str(row.get(line.worker, "")),
                        safe_cell(row.get(column.key)),
                    ]
        elif isinstance(line, Breakdown):
            counts = (value or {}).get(line.by) if line.by is not None else value
            prefix = f"{line.by}." if line.by is not None else ""
            for code, _ in line.categories:
                yield [line.section, line.key, prefix + code, safe_cell((counts or {}).get(code))]
        else:
            yield [line.section, line.key, "", safe_cell(value)]


def render_return_csv(quarterly_return: QuarterlyReturn, doc: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerow(["period", "start", "", str(quarterly_return.period_start)])
    writer.writerow(["period", "end", "", str(quarterly_return.period_end)])
    writer.writerow(["return", "version", "", str(quarterly_return.version)])
    writer.writerows(csv_rows(doc))
    # UTF-8 with a byte-order mark, so that spreadsheets read "<5" and "£" as they are.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
