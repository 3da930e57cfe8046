"""PDFs made by the app: WeasyPrint fetches resources only through
`StaticFilesOnlyFetcher`, which serves the app's own static files and refuses everything
else (file://, http(s)://, data:, ...): IN-3. The return's PDF (reporting.pdf) and the
threat-to-life written report (caseload) are laid out with it."""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import structlog
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = structlog.get_logger("e4e.pdf")

#: Relative URLs in the PDF's HTML resolve against this made-up origin (".invalid" can never
#: resolve), and only URLs under it and STATIC_URL are served, from the static files.
STATIC_ORIGIN = "https://static.e4e.invalid"
#: No static file the PDF needs is anywhere near this size.
MAX_STATIC_BYTES = 2 * 1024 * 1024


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


def simple_pdf(html: str) -> bytes:
    """A short document (a page or two) as a tagged PDF, loading only our static files."""
    fetcher = StaticFilesOnlyFetcher()
    return HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher).write_pdf(
        pdf_tags=True
    )
