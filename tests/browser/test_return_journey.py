"""The quarterly return in the browser, axe-checked on every page: a manager looks at the
dashboard, starts a return, watches its figures finish, writes the narrative and signs it
off; an OPCC user then downloads the PDF.

Tasks run eagerly here (no worker), so the job has finished by the time the page shows; the
live progress with a real worker is covered by tests/reporting/test_worker_integration.py.
The import through the upload page (checked first, then confirmed) is the last test here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from core.models import Role
from reporting.models import QuarterlyReturn
from tests.browser.people import heading, person_with_device, sign_in, sign_out
from tests.reporting.returns_helpers import (
    build_history,
    eager_celery,
    private_media,
    review_every_update,
)

if TYPE_CHECKING:
    from tests.browser.conftest import Browse

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_celery", "private_media")]
__all__ = ["eager_celery", "private_media"]

DESKTOP = (1280, 800)
MOBILE = (375, 667)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280x800", "375x667"])
def test_a_manager_signs_off_a_return_and_the_opcc_downloads_it(
    browse: Browse, viewport: tuple[int, int], tmp_path: Path
) -> None:
    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    opcc = person_with_device("oona@example.org", "Oona Opcc", Role.OPCC, None)
    history = build_history()

    # The manager: the dashboard, then a return for 2025-26-Q3.
    page = sign_in(browse, manager)
    page = browse.visit("/reporting/")
    heading(page, "Dashboard")
    expect(page.get_by_role("heading", name="Trend")).to_be_visible()
    page.get_by_role("button", name="Start a return").click()
    heading(page, "Start a return")
    browse.check()
    page.get_by_label("Which quarter is the return for?").select_option("2025-26-Q3")
    page.get_by_role("button", name="Start the return").click()

    # The figures are computed in the background; the page shows the job's progress.
    heading(page, "2025-26-Q3")
    expect(page.get_by_text("The return for 2025-26-Q3 has been started.")).to_be_visible()
    status = page.locator("#return-status")
    expect(status.get_by_text("Done")).to_be_visible()
    expect(page.get_by_role("heading", name="Figures", exact=True)).to_be_visible()
    browse.check()

    page.get_by_role("button", name="Write the narrative").click()
    heading(page, "Narrative")
    browse.check()
    page.get_by_label("Progress since last quarter").fill("Referrals rose; two new employers.")
    page.get_by_label("Challenges").fill("Housing remains the main barrier.")
    page.get_by_label("Service-user feedback").fill("People felt respected.")
    page.get_by_role("button", name="Save the narrative").click()
    heading(page, "2025-26-Q3")
    expect(page.get_by_text("The narrative has been saved.")).to_be_visible()
    browse.check()
    quarterly_return = QuarterlyReturn.objects.get()
    assert quarterly_return.updates.count() == len(history.cases)
    review_every_update(quarterly_return, manager)

    page.get_by_role("button", name="Sign off", exact=True).click()
    heading(page, "Sign off the return?")
    browse.check()
    page.get_by_role("button", name="Sign off and send to the OPCC").click()
    heading(page, "2025-26-Q3")
    expect(page.get_by_text("The return has been signed off.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    browse.check()
    sign_out(browse, page)
    heading(page, "Sign in to E4E Case")
    browse.check()

    # The OPCC: the returns list is their home; the PDF downloads.
    page = sign_in(browse, opcc)
    heading(page, "Quarterly returns")
    row = page.get_by_role("row").filter(has_text="2025-26-Q3")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == "e4e-quarterly-return-2025-26-Q3-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert page.get_by_role("heading", level=1).inner_text() == "Quarterly returns"
    for referral in history.referrals:
        expect(page.get_by_text(referral.last_name)).to_have_count(0)


def test_a_manager_imports_a_history_checking_it_first(browse: Browse, tmp_path: Path) -> None:
    import zipfile

    from referrals.models import Referral
    from tests.legacy_import.import_helpers import fixtures_dir

    manager = person_with_device("mo@example.org", "Mo Manager", Role.MANAGER, "0.2")
    archive = tmp_path / "worked-example.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted((fixtures_dir() / "worked-example").glob("*.csv")):
            bundle.write(path, path.name)

    page = sign_in(browse, manager)
    page = browse.visit("/reporting/imports/")
    heading(page, "Legacy imports")
    page.get_by_role("button", name="Upload a history").click()
    heading(page, "Upload a history")
    browse.check()
    page.get_by_label("The history to import").set_input_files(str(archive))
    page.get_by_label("Enterprise fund total (£)").fill("60000")
    page.get_by_role("button", name="Check the file").click()
    heading(page, "Import")
    expect(page.get_by_text("What the import would do")).to_be_visible()
    browse.check()
    assert not Referral.objects.exists()
    page.get_by_role("button", name="Import these records").click()
    heading(page, "Import")
    expect(page.get_by_role("table").get_by_text("Imported")).to_be_visible()
    browse.check()
    assert Referral.objects.count() == 2
