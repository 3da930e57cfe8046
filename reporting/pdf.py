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

#: The figures the CSV carries, by section, in the definitions' names (kpi-definitions.md).
#: A key not listed here stays out of the OPCC's file.
CSV_KEYS: dict[str, list[str]] = {
    "access": [
        "new_referrals",
        "referrals_by_source",
        "accepted",
        "rejected",
        "withdrawn",
        "rejections_by_reason",
        "referral_to_start_days_mean",
        "referral_to_start_days_median",
    ],
    "caseload": [
        "carried_over",
        "newly_started",
        "open_at_end",
        "active_at_end",
        "per_worker",
        "closed",
        "days_on_caseload_closed_mean",
        "days_on_caseload_open_mean",
    ],
    "hours": ["face_to_face_hours", "remote_hours", "admin_hours"],
    "engagement": [
        "sustained_6_weeks_pct",
        "sustained_6_weeks_cohort",
        "sustained_12_weeks_pct",
        "sustained_12_weeks_cohort",
        "sustained_24_weeks_pct",
        "sustained_24_weeks_cohort",
        "re_engaged",
    ],
    "employment": [
        "paid_employment_starts",
        "self_employment_starts",
        "training_starts",
        "education_starts",
        "volunteering_starts",
        "people_starting_paid_work",
        "full_time_starts",
        "part_time_starts",
        "paid_starts_by_time_on_service",
        "sustained_13_weeks_pct",
        "sustained_13_weeks_cohort",
        "sustained_26_weeks_pct",
        "sustained_26_weeks_cohort",
        "sustained_52_weeks_pct",
        "sustained_52_weeks_cohort",
    ],
    "fidelity": [
        "first_employer_contact_days_mean",
        "first_employer_contact_within_30_days_pct",
        "caseload_over_capacity_workers",
    ],
    "enterprise_fund": [
        "applications_submitted",
        "applications_approved",
        "applications_rejected",
        "awarded_amount",
        "awarded_to_date",
        "fund_total",
        "balance_at_end",
        "businesses_trading_26_weeks_pct",
        "businesses_trading_52_weeks_pct",
    ],
    "distance_travelled": ["cases_reassessed", "mean_change", "improved_pct"],
    "cumulative": [
        "people_supported",
        "people_into_paid_work",
        "competitive_employment_rate_pct",
        "reoffending_rate_pct",
    ],
    "equity": ["new_referrals", "newly_started", "people_starting_paid_work"],
}
CSV_HEADER = ["section", "figure", "category", "value"]


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(category, value) pairs of a breakdown: nested dicts join their keys with dots."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def csv_rows(doc: dict[str, Any]) -> Iterator[list[str]]:
    """One row per figure: section, figure (the definitions' key), category, value."""
    per_worker_keys = [key for key, _, _ in charts.PER_WORKER_COLUMNS]
    for section, keys in CSV_KEYS.items():
        values = doc.get(section) or {}
        for key in keys:
            value = values.get(key)
            if key == "per_worker":
                for row in value or []:
                    for column in per_worker_keys:
                        yield [
                            section,
                            f"per_worker.{column}",
                            str(row.get("worker", "")),
                            safe_cell(row.get(column)),
                        ]
            elif isinstance(value, dict):
                for category, item in _flatten(value):
                    yield [section, key, category, safe_cell(item)]
            else:
                yield [section, key, "", safe_cell(value)]


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
