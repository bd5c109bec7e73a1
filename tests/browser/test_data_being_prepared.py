"""/data/ while the latest release's files cannot be written yet (a full disk, say), as a
journalist sees it: the release is live, the downloads are being prepared, and the page
passes the accessibility checks at a phone's width and a desktop's."""

import pytest
from django.core.cache import cache

from stats.models import Release, ReleaseFile
from stats.release_files import resting_key
from tests.browser.conftest import axe_violations, screenshot


@pytest.mark.usefixtures("site_to_change")
@pytest.mark.parametrize("width", [360, 1280])
def test_the_data_page_says_the_files_are_being_prepared(page, site, width):
    latest = Release.objects.first()
    ReleaseFile.objects.filter(release=latest).delete()
    # As after a failed write: every server rests a minute before trying again.
    cache.set(resting_key(latest.number), "No space left on device", timeout=60)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/data/")
    notice = page.get_by_role("status").filter(has_text="being prepared")
    assert notice.is_visible()
    assert f"Release {latest.number} was published" in notice.inner_text()
    assert page.get_by_role("link", name="Every current figure as CSV").count() == 0
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"data-{width}-being-prepared")
