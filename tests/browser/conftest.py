"""Browser tests: real Chromium, driven by Playwright, against pytest-django's live server.

Every test in this folder is marked `browser` (run only these with `pytest -m browser`,
leave them out with `-m "not browser"`). They need /usr/bin/chromium and axe-core
(`npm ci`, which gives node_modules/axe-core/axe.min.js). Without either they are
skipped with the reason; with `E4E_BROWSER_TESTS=require` in the environment (CI sets it)
they fail instead, so they can never be skipped silently there.

How to write one
----------------
Ask for the `browse` fixture. It is a fresh browser context (no cookies) on the live
server, and checks every page the way a person would be let down by it:

    def test_something(browse: Browse) -> None:
        page = browse.visit("/sign-in/")          # go, then check the page
        page.get_by_label("Email address", exact=True).fill("x@example.org")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("...")
        browse.check()                            # check the page the click led to

`browse.visit(path)` fails unless the page answers 200 (`visit(path, status=404)` for an
expected error page). `browse.visit(path)` and `browse.check()` run the page checks:

* axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA): any violation fails the test, listing
  each rule id, impact, help text and the CSS selectors of the offending elements;
* no console error, uncaught exception or Content-Security-Policy violation so far
  (these are also collected all the time and fail the test at teardown);
* at widths below 641 px (GOV.UK's tablet breakpoint) no horizontal scroll (WCAG 1.4.10).

Every page loaded in the test must have been checked: a page that finished loading
and never went through `visit()`/`check()` fails the test at teardown (set
`browse.every_page_checked = False` in a test that deliberately skips some).

The viewport is 1280x800 unless the test overrides the `viewport` fixture, e.g.
`@pytest.mark.parametrize("viewport", [(375, 667)])`. `browse.page` is the Playwright
`Page`; `browse.url(path)` gives an absolute URL on the live server; `axe_check(page)` is
available as a plain function for pages opened some other way. The `page` and `visit`
fixtures are shortcuts for `browse.page` and `browse.visit`. For the type annotation,
`if TYPE_CHECKING: from tests.browser.conftest import Browse`.

The site's CSP (`script-src 'self' 'nonce-…'`, `style-src 'self'`) stays enforced in
these tests; the context is NOT created with `bypass_csp`, so an inline script or style
fails the test. axe-core is evaluated through the DevTools protocol (`page.evaluate`),
which CSP does not govern, so it is not blocked and triggers no violation.

Database: the tests get `transactional_db`, because the live server runs in another
thread and must see the data the test creates. Playwright's sync API runs an event loop
in the test thread, so `DJANGO_ALLOW_ASYNC_UNSAFE` is set while the browser is up
(tests only) to let the test use the ORM.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test.utils import override_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

BROWSER_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BROWSER_DIR.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Below GOV.UK Frontend's tablet breakpoint a page must reflow without horizontal scroll.
NARROW_WIDTH = 641
REQUIRE_ENV = "E4E_BROWSER_TESTS"
CALL_FAILED = pytest.StashKey[bool]()

# Reported to the console so the console listener sees every CSP violation, whatever
# Chromium's own wording (init scripts are not subject to the page's CSP).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.effectiveDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + (event.sourceFile || location.href) + ":" + event.lineNumber
    + (event.sample ? " (" + event.sample + ")" : "")
  );
});
"""


# --- Marking and prerequisites --------------------------------------------------------


def _missing_prerequisites() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium is not installed at {CHROMIUM}")
    if not AXE_JS.exists():
        missing.append(f"axe-core is missing ({AXE_JS.relative_to(PROJECT_DIR)}): run `npm ci`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package is not installed")
    return missing


def _browser_tests_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() == "require"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: touch only those in this folder.
    ours = [item for item in items if BROWSER_DIR in Path(item.path).parents]
    if not ours:
        return
    missing = _missing_prerequisites()
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if missing and not _browser_tests_required():
            item.add_marker(
                pytest.mark.skip(
                    reason="browser tests skipped: "
                    + "; ".join(missing)
                    + f" (set {REQUIRE_ENV}=require to make this a failure)"
                )
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Lets `browse` see whether the test body failed (then its teardown checks stay quiet).
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


# --- Server -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _browser_server_settings() -> Iterator[None]:
    """Settings the live server needs, in force before it starts.

    The server is plain HTTP, so no redirect to HTTPS. SecurityMiddleware reads its
    settings when the server builds its handler, so this must precede `live_server`.
    Two-factor sign-in is forced on: the journeys go through it.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        E4E_REQUIRE_2FA=True,
    ):
        yield


@pytest.fixture(scope="session")
def live_server(
    _browser_server_settings: None,
    django_db_setup: None,
    live_server: Any,
) -> Any:
    """pytest-django's live server, started with `_browser_server_settings` in force."""
    return live_server


# --- Browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    missing = _missing_prerequisites()
    if missing:
        message = "browser tests cannot run: " + "; ".join(missing)
        if _browser_tests_required():
            pytest.fail(f"{message} ({REQUIRE_ENV}=require is set)", pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Tests only: the ORM refuses to run while an event loop is running in the thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport() -> tuple[int, int]:
    """(width, height) of the page; override with `@pytest.mark.parametrize("viewport", ...)`."""
    return (1280, 800)


# --- Checks -----------------------------------------------------------------------------


def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; returns axe's list of violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(_axe_source() + "\n;undefined")
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, html: n.html})),
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Fail the test if axe-core finds any WCAG 2.x A/AA violation on the page."""
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)


def no_horizontal_scroll(page: Page) -> None:
    """Fail the test if the page is wider than the viewport (content does not reflow)."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    scroll_width, inner_width = widths
    if scroll_width > inner_width:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll("body *"))
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 10)
                .map((el) => el.tagName.toLowerCase()
                     + (el.id ? "#" + el.id : "")
                     + (el.className && typeof el.className === "string"
                        ? "." + el.className.trim().split(/\\s+/).join(".") : ""))"""
        )
        pytest.fail(
            f"{page.url} scrolls sideways at {inner_width}px wide: "
            f"scrollWidth is {scroll_width}px. Elements past the right edge: {wide}",
            pytrace=False,
        )


class Browse:
    """A test's browser context and page on the live server, with the page checks."""

    def __init__(self, context: BrowserContext, page: Page, base_url: str) -> None:
        self.context = context
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.problems: list[str] = []
        self.loaded: list[str] = []
        self.checked_loads = 0
        self.every_page_checked = True
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("load", self._on_load)

    # Event handlers: record only (no Playwright calls inside a handler).
    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            where = f"{location.get('url') or self.page.url}:{location.get('lineNumber', '')}"
            self.problems.append(f"console error at {where}: {message.text}")

    def _on_page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught exception on {self.page.url}: {error}")

    def _on_load(self, page: Page) -> None:
        if page.url != "about:blank":
            self.loaded.append(page.url)

    def url(self, path: str) -> str:
        return self.base_url + path

    def visit(self, path: str, *, status: int = 200) -> Page:
        """Go to `path` on the live server, wait for it to load, and check the page.

        Fails unless the (final) response has `status`; for an expected error page the
        browser's "Failed to load resource" console line for it is not counted as a problem.
        """
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None
        if response.status != status:
            pytest.fail(
                f"GET {path} answered {response.status} {response.status_text}, not {status}",
                pytrace=False,
            )
        if status >= 400:
            expected = f"the server responded with a status of {status}"
            self.problems = [p for p in self.problems if expected not in p]
        self.check()
        return self.page

    def check(self) -> None:
        """Check the page now shown: console/CSP errors, axe-core, reflow at narrow widths."""
        self.page.wait_for_load_state("load")
        # A failure below fails the test already: do not report the page again at teardown.
        self.checked_loads = len(self.loaded)
        self.assert_no_problems()
        axe_check(self.page)
        viewport = self.page.viewport_size
        if viewport is not None and viewport["width"] < NARROW_WIDTH:
            no_horizontal_scroll(self.page)
        self.assert_no_problems()
        self.checked_loads = len(self.loaded)

    def assert_no_problems(self) -> None:
        if self.problems:
            problems, self.problems = self.problems, []
            pytest.fail(
                "The page reported errors (the site must run under its CSP with no "
                "inline script or style, and without script errors):\n- " + "\n- ".join(problems),
                pytrace=False,
            )

    def finish(self) -> None:
        self.assert_no_problems()
        if self.every_page_checked and self.checked_loads < len(self.loaded):
            unchecked = self.loaded[self.checked_loads :]
            pytest.fail(
                "These pages loaded after the last browse.check() and were never checked "
                f"(call browse.check() after each navigation): {unchecked}",
                pytrace=False,
            )


@pytest.fixture
def browse(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: Any,
    transactional_db: None,
    viewport: tuple[int, int],
) -> Iterator[Browse]:
    """A fresh browser context and page on the live server (see the module docstring)."""
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    session = Browse(context, page, live_server.url)
    try:
        yield session
        if not request.node.stash.get(CALL_FAILED, False):
            session.finish()
    finally:
        context.close()


@pytest.fixture
def page(browse: Browse) -> Page:
    """The Playwright page of `browse` (for tests that only need the page)."""
    return browse.page


@pytest.fixture
def visit(browse: Browse) -> Callable[[str], Page]:
    """`visit(path)`: open `path` on the live server, check the page, return the page."""
    return browse.visit
