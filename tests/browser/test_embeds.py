"""Embedded charts in real Chromium, framed by a page on another origin; and chart image downloads.

The other site is a second small HTTP server on 127.0.0.1 (the dashboard is on localhost,
so the two are different origins); its page holds the iframe code exactly as a card offers it.
"""

import shutil
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from tests.browser.conftest import ARTIFACTS, axe_violations, draw_all_charts, screenshot

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STORY = "/news/story.html"
ARTICLE_COLUMN = 660  # a news site's text column: the width the iframe code's height is worked out for


@pytest.fixture
def other_site():
    """A site on another origin serving one page, whose body the test sets: (origin, pages by path)."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            if self.path == "/favicon.ico":  # what a browser asks every site for
                self.send_response(204)
                self.end_headers()
                return
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "Not found").encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def _story(iframe_code: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>A local news story</title></head>'
        "<body><main><h1>Online grooming offences rise again</h1><p>Figures published this week show a rise.</p>"
        f"{iframe_code}<p>The story goes on after the chart.</p></main></body></html>"
    )


def _embed_code(browser, site: str, path: str, card: str) -> str:
    """What a journalist copies: the card's "Embed this chart" box, opened and read."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + path)
    page.locator(f"#{card} .card__embed summary").click()
    code = page.locator(f"#{card}-embed-code").input_value()
    context.close()
    return code


@pytest.mark.parametrize("width", [360, ARTICLE_COLUMN])
def test_a_chart_framed_on_another_site_draws_is_accessible_and_stays_private(browser, site, other_site, width):
    origin, pages = other_site
    assert urlsplit(origin).netloc != urlsplit(site).netloc
    pages[STORY] = _story(_embed_code(browser, site, "/trends/", "trend"))

    context = browser.new_context(viewport={"width": width, "height": 900})
    requests, errors = [], []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(origin + STORY)
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_selector(".chart[data-drawn] svg.main-svg", timeout=15000)

    assert frame.url.startswith(f"{site}/embed/trends/?") and frame.url.endswith("&card=trend")
    assert frame.locator("h1").inner_text().startswith("Offences recorded: Sexual communication with a child")
    assert frame.get_by_role("link", name="Get help").get_attribute("href") == "/report/"
    assert frame.locator(".quick-exit, nav").count() == 0
    assert errors == []
    assert axe_violations(frame) == []
    assert context.cookies() == []
    # The frame loads everything from the dashboard itself: nothing else is asked of any other site.
    dashboard = urlsplit(site).netloc
    assert [url for url in requests if urlsplit(url).netloc != dashboard] == [origin + STORY]
    overflow = frame.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    # Chromium paints a frame only where it is in view: make the window as tall as the story first.
    page.set_viewport_size({"width": width, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.wait_for_timeout(300)
    screenshot(page, f"embed-framed-{width}")
    page.set_viewport_size({"width": width, "height": 900})
    alone = context.new_page()  # the whole of what the frame scrolls through, at the frame's width
    alone.set_viewport_size({"width": int(page.locator("iframe").bounding_box()["width"]), "height": 900})
    alone.goto(frame.url)
    draw_all_charts(alone)
    screenshot(alone, f"embed-alone-{width}")
    alone.close()
    if width == ARTICLE_COLUMN:  # the height the code gives fits the card there, without much to spare
        content = frame.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        offered = page.locator("iframe").bounding_box()["height"]
        assert content <= offered <= 1.2 * content, (content, offered)

    if width == ARTICLE_COLUMN:  # the link back opens the full page in a new tab, leaving the story where it was
        with context.expect_page() as opened:
            frame.get_by_role("link", name="See this on the dashboard").click()
        opened.value.wait_for_load_state()
        assert opened.value.url.startswith(f"{site}/trends/?") and opened.value.url.endswith("#trend")
        assert page.url == origin + STORY
    context.close()


def test_an_embed_whose_card_is_gone_says_so_inside_the_frame(browser, site, other_site):
    origin, pages = other_site
    pages[STORY] = _story(f'<iframe src="{site}/embed/trends/?card=gone" title="A chart" width="100%"></iframe>')
    context = browser.new_context()
    page = context.new_page()
    page.goto(origin + STORY)
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_load_state()
    assert frame.locator("h1").inner_text() == "This chart is not on the dashboard"
    context.close()


def test_an_ordinary_page_refuses_to_be_framed(browser, site, other_site):
    origin, pages = other_site
    pages[STORY] = _story(f'<iframe src="{site}/trends/" title="The trends page" width="100%"></iframe>')
    context = browser.new_context()
    page = context.new_page()
    page.goto(origin + STORY)
    page.wait_for_timeout(500)
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame.url.startswith("chrome-error://")  # Chromium shows its own error page instead of ours
    assert frame.get_by_text("Online grooming crime in the UK").count() == 0
    context.close()


def _svg_words(svg: str) -> str:
    """The text an SVG shows, each multi-line text's lines joined by spaces."""
    texts = []
    for text in ElementTree.fromstring(svg).iter(f"{SVG}text"):  # noqa: S314 - Plotly's SVG, made by this test
        lines = [line for line in text if line.get("class") == "line"]
        texts.append(" ".join("".join(line.itertext()) for line in lines) if lines else "".join(text.itertext()))
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize(("path", "card"), [("/trends/", "trend"), ("/map/", "map")])
def test_a_drawn_chart_downloads_as_svg_and_png_with_its_title_sources_and_date(page, site, path, card):
    page.goto(site + path)
    draw_all_charts(page)
    figure = page.locator(f"#{card}")
    title, credit = figure.get_attribute("data-image-title"), figure.get_attribute("data-image-credit")
    filename = figure.get_attribute("data-image-filename")

    svg_button = figure.get_by_role("button", name="Download chart as SVG")
    svg_button.focus()
    with page.expect_download() as svg_download:
        page.keyboard.press("Enter")  # a keyboard works it as well as a mouse
    assert svg_download.value.suggested_filename == f"{filename}.svg"
    words = _svg_words(Path(svg_download.value.path()).read_text(encoding="utf-8"))
    assert title in words
    assert credit in words and credit.startswith("Source")

    with page.expect_download() as png_download:
        figure.get_by_role("button", name="Download chart as PNG").click()
    assert png_download.value.suggested_filename == f"{filename}.png"
    png = Path(png_download.value.path()).read_bytes()
    assert png[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width == 2000 and 800 <= height <= 3000  # 1000 CSS pixels at twice the resolution
    assert len(png) > 30_000  # drawn, not blank
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png_download.value.path(), ARTIFACTS / f"chart-image-{card}.png")


def test_image_buttons_appear_only_once_a_chart_is_drawn(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/trends/")
    assert page.get_by_role("button", name="Download chart as").count() == 0
    assert page.get_by_role("link", name="Download CSV of").count() == 1
    context.close()


def test_the_embed_code_is_easy_to_reach_and_copy_on_a_phone(page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/areas/E23000014/figures/")
    summary = page.locator("#all-figures .card__embed summary")
    summary.focus()
    page.keyboard.press("Enter")
    code = page.locator("#all-figures-embed-code")
    assert code.is_visible()
    box = code.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert code.input_value().startswith(f'<iframe src="{site}/embed/areas/E23000014/figures/?card=')
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#all-figures .card__caption").screenshot(path=str(ARTIFACTS / "embed-code-phone-360.png"))


def test_an_embed_that_could_not_show_exactly_what_was_asked_says_so_accessibly_on_a_phone(page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/embed/map/?period=1999%2F00&card=map")
    draw_all_charts(page)
    assert page.get_by_role("alert").is_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, "embed-map-with-message-360")
