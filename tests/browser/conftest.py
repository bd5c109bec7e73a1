"""Real pages in Debian's headless Chromium, driven by Playwright, checked with axe-core."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from stats.models import Release
from stats.seeding import load_seed

# Playwright's sync API runs an event loop in this thread; the Django calls the tests
# make around it (seeding, assertions on the database) are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless as root, with no background calls home: this machine's network is closed.
# Every host name but the local ones fails inside Chromium, so even Chromium's own
# update and model checks cannot leave the machine.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The checks axe-core runs: WCAG 2.0 to 2.2, levels A and AA, plus its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """pytest-django's own helper of this name gives every test of its live server
    transactional_db, which empties the database after each test, so each would seed it again.
    This one lets the test and the server read the session's committed seed instead; a test that
    changes the data asks for transactional_db itself (`site_to_change`)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(autouse=True)
def _seed_committed(django_db_blocker) -> None:
    """The session's seed (tests/conftest.py), committed, for the test server's own connection
    to read. Seeded again only after a test that changed the data emptied the database."""
    with django_db_blocker.unblock():
        if not Release.objects.filter(kind=Release.Kind.SEED).exists():
            load_seed()


@pytest.fixture
def site(live_server, page_cache, settings) -> str:
    """The dashboard served on localhost with the real seed data, through the page cache as in
    production. A test that only reads shares the session's seed; one that changes the data asks
    for `site_to_change`. The live server's address is the site's public one, as SITE_URL is in
    production, so the absolute links it writes (embed codes, permalinks) lead back to it."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def site_to_change(transactional_db, site) -> str:
    """The site, for a test that changes its data: the database is emptied after it, and the next
    test seeds it again (`_seed_committed`). These tests run last (tests/conftest.py)."""
    return site


class OffSiteRequests(list):
    """Every request a page made to a host other than the test server."""


@pytest.fixture
def off_site_requests() -> OffSiteRequests:
    return OffSiteRequests()


class ConsoleErrors(list):
    """Errors the page logged or threw."""


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def page(browser: Browser, site: str, off_site_requests: OffSiteRequests, console_errors: ConsoleErrors) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    own_host = urlsplit(site).netloc

    def refuse_other_hosts(route) -> None:
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            off_site_requests.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_other_hosts)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()


def draw_all_charts(page: Page) -> None:
    """Scroll through the page as a reader would, then wait until every chart has drawn."""
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height + 600, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    expected = page.locator("[data-chart]").count()
    page.wait_for_function(f"document.querySelectorAll('[data-drawn]').length === {expected}", timeout=15000)


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page picture of what the test saw, for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the page; one line per violation, naming the rule and the elements."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
    # (no inline scripts) rightly does not let a <script> tag do.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;true")
    violations = page.evaluate("tags => axe.run(document, {runOnly: tags}).then(r => r.violations)", AXE_TAGS)
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']]})" for v in violations]
