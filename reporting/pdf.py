"""The files the OPCC receives: the return as a tagged PDF (WeasyPrint) and as a CSV.

Both are built from the OPCC's copy of the figures (small numbers suppressed, workers
numbered), never from the exact snapshot. WeasyPrint fetches resources only through
`StaticFilesOnlyFetcher`, which serves the app's own static files and refuses everything
else (file://, http(s)://, data:, ...): IN-3.
"""

from __future__ import annotations

import csv
import io
import mimetypes
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import structlog
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.charts import KEY_TO_SYMBOLS
from reporting import charts
from reporting.figure_table import FIGURES, Breakdown, PerWorker
from reporting.models import QuarterlyReturn
from reporting.spreadsheet import safe_cell

logger = structlog.get_logger("e4e.reporting")

#: Relative URLs in the PDF's HTML resolve against this made-up origin (".invalid" can never
#: resolve), and only URLs under it and STATIC_URL are served, from the static files.
STATIC_ORIGIN = "https://static.e4e.invalid"
#: No static file the PDF needs is anywhere near this size.
MAX_STATIC_BYTES = 2 * 1024 * 1024

Progress = Callable[[int, str], None]


class ResourceRefused(ValueError):
    """A resource the PDF may not load. WeasyPrint catches it, leaves the resource out and
    carries on."""


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only the app's own static files."""

    def __init__(self) -> None:
        super().__init__(timeout=5, allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self._static_path(url)
        if path is not None:
            found = finders.find(path)
            if isinstance(found, str) and Path(found).is_file():
                data = Path(found).read_bytes()[: MAX_STATIC_BYTES + 1]
                if len(data) <= MAX_STATIC_BYTES:
                    self.served.append(path)
                    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, data, {"Content-Type": content_type})
        scheme = urlsplit(url).scheme.lower()[:16]
        self.refused.append(url)
        # The scheme only: the URL itself could carry text from the document.
        logger.warning("reporting.pdf_resource_refused", scheme=scheme)
        raise ResourceRefused("Only the application's own static files may be loaded.")

    @staticmethod
    def _static_path(url: str) -> str | None:
        prefix = STATIC_ORIGIN + settings.STATIC_URL
        if not url.startswith(prefix):
            return None
        parts = urlsplit(url)
        if parts.query or parts.fragment or "\\" in url:
            return None
        path = unquote(url[len(prefix) :])
        pure = PurePosixPath(path)
        if not path or pure.is_absolute() or any(part in {"..", "."} for part in pure.parts):
            return None
        return path


def render_pdf(html: str, *, progress: Progress | None = None) -> bytes:
    """Lay out and write `html` as a tagged PDF (PDF/UA structure tags, WeasyPrint 70)."""
    step = progress or (lambda percent, label: None)
    fetcher = StaticFilesOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher)
    step(50, "Laying out the pages")
    rendered = document.render(pdf_tags=True)
    step(80, "Writing the PDF")
    return rendered.write_pdf(pdf_tags=True)


def return_context(quarterly_return: QuarterlyReturn, doc: dict[str, Any]) -> dict[str, Any]:
    """What the PDF template shows: the OPCC's copy of the figures and the narrative."""
    updates = {u.get("pseudonym"): u for u in quarterly_return.case_updates}
    return {
        "return": quarterly_return,
        "sections": charts.sections(doc),
        "symbols": KEY_TO_SYMBOLS,
        "case_updates": [
            updates.get(pseudonym) or {"pseudonym": pseudonym}
            for pseudonym in quarterly_return.active_cases
        ],
    }


def render_return_pdf(
    quarterly_return: QuarterlyReturn, doc: dict[str, Any], *, progress: Progress | None = None
) -> bytes:
    step = progress or (lambda percent, label: None)
    step(30, "Drawing the tables and charts")
    html = render_to_string("pdf/return.html", return_context(quarterly_return, doc))
    return render_pdf(html, progress=step)


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
