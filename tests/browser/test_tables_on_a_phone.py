"""Every table on a phone, in real Chromium at 360 px: nothing to swipe, no text cut, captions
that wrap, the value in view, and still a table for a screen reader. /coverage/ is the one grid
that needs both directions (areas by years), so only its caption and first column are checked."""

import re

from stats.models import Figure, Source
from tests.browser.conftest import screenshot

PHONE, TABLET, DESKTOP = 360, 800, 1280
PAGES = [
    "/",
    "/trends/",
    "/platforms/",
    "/outcomes/",
    "/map/",
    "/areas/E23000014/",
    "/areas/E23000014/figures/",
    "/sources/",
    "/whats-new/",
    "/whats-new/2/",
    "/data/",
]
# Not yet stacked: /data/'s list of releases (its template's other tables are outside this work).
NOT_YET = "#releases-caption"

# For each table but the coverage grid: how far it and each of its cells overflow, what each
# visible cell's drawn label says beside its column's heading, and where each linked value sits.
MEASURE = """notYet => Array.from(document.querySelectorAll('.table-wrap'))
  .filter(wrap => !wrap.querySelector('.coverage') && !wrap.querySelector(notYet))
  .map(wrap => {
    const table = wrap.querySelector('table');
    const caption = table.querySelector('caption');
    const headings = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
    const cells = Array.from(table.querySelectorAll('tbody th, tbody td')).filter(c => c.offsetParent !== null);
    const label = cell => getComputedStyle(cell, '::before').content;
    return {
      caption: caption.textContent.trim(),
      sideways: wrap.scrollWidth - wrap.clientWidth,
      captionOverflow: caption.scrollWidth - caption.clientWidth,
      captionRight: caption.getBoundingClientRect().right,
      clipped: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.trim()),
      outside: cells.filter(c => c.getBoundingClientRect().right > window.innerWidth + 1)
        .map(c => c.textContent.trim()),
      stacked: getComputedStyle(table.querySelector('tbody tr') || table).display === 'block',
      // The column headings the table gives for its cells' labels (none: a list of names and meanings)
      labelled: getComputedStyle(table).getPropertyValue('--column-2') !== '',
      labels: cells.filter(c => c.tagName === 'TD' && c.textContent.trim())
        .map(c => [label(c), headings[c.cellIndex]]),
      hidden: Array.from(table.querySelectorAll('tbody td'))
        .filter(c => c.offsetParent === null && c.textContent.trim())
        .map(c => [headings[c.cellIndex], c.textContent.trim()]),
      values: Array.from(table.querySelectorAll('td a[href^="/figures/"]')).map(a => {
        const box = a.getBoundingClientRect();
        return {text: a.textContent, left: box.left, right: box.right, width: box.width};
      }),
    };
  })"""


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _pages(db) -> list[str]:
    figure = Figure.objects.current().order_by("id").first()
    source = Source.objects.shown().order_by("id").first()
    return [*PAGES, f"/figures/{figure.id}/", f"/sources/?source={source.id}"]


def _tables(page, site, path, width) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + path)
    tables = page.evaluate(MEASURE, NOT_YET)
    assert tables, f"{path} has no table"
    return tables


def test_every_table_reads_on_a_phone_without_a_swipe(page, site, db):
    for path in _pages(db):
        for table in _tables(page, site, path, PHONE):
            where = f"{path}: {table['caption'][:50]}"
            assert table["sideways"] <= 0, where
            assert table["captionOverflow"] <= 0 and table["captionRight"] <= PHONE, where
            assert table["clipped"] == [], where
            assert table["outside"] == [], where
            for value in table["values"]:  # each row's figure, in view and whole
                assert value["width"] > 0 and value["left"] >= 0 and value["right"] <= PHONE, (where, value)
            if table["stacked"] and table["labelled"]:  # each cell is drawn beside its own column's heading
                for drawn, heading in table["labels"]:
                    assert drawn.removesuffix(' / ""') == f'"{heading}"', (where, drawn, heading)
            # A column left out of each row's block is said once, in the caption.
            for heading, text in table["hidden"]:
                assert f"{heading}: {text}" in table["caption"], (where, heading)
        screenshot(page, f"tables-{PHONE}-{_name(path)}")


def test_the_card_and_change_tables_stack_on_a_phone_and_stay_tables_on_a_desktop(page, site, db):
    for path in ["/trends/", "/platforms/", "/whats-new/", "/sources/", "/areas/E23000014/figures/"]:
        phone = _tables(page, site, path, PHONE)
        assert all(table["stacked"] for table in phone), path
        tablet = _tables(page, site, path, TABLET)  # wide enough to stay a table, and it fits
        assert not any(table["stacked"] for table in tablet), path
        assert all(table["sideways"] <= 0 for table in tablet), path
        desktop = _tables(page, site, path, DESKTOP)
        assert not any(table["stacked"] for table in desktop), path
        assert all(table["sideways"] <= 0 and table["clipped"] == [] for table in desktop), path
        screenshot(page, f"tables-{DESKTOP}-{_name(path)}")


def test_a_stacked_table_is_still_a_table_to_a_screen_reader(page, site):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(site + "/trends/")
    tree = page.locator("#trend table").aria_snapshot()
    assert re.match(r"- '?table ", tree)
    assert '- columnheader "Value"' in tree and "- rowheader" in tree
    # The drawn labels are not read a second time: a cell's name is its own text ("2017/18", not "Period 2017/18").
    period = page.locator("#trend tbody td").first.text_content().strip()
    assert f'- cell "{period}"' in tree


def test_the_platform_card_says_its_one_source_once_and_shows_each_platform(page, site):
    tables = {t["caption"]: t for t in _tables(page, site, "/platforms/", PHONE)}
    (platforms,) = [t for caption, t in tables.items() if caption.startswith("Platforms recorded in offences")]
    assert "On every row, Source: " in platforms["caption"]
    assert [heading for heading, _ in platforms["hidden"]] and {h for h, _ in platforms["hidden"]} == {"Source"}
    assert ['"Platform"', "Platform"] in [[drawn.removesuffix(' / ""'), h] for drawn, h in platforms["labels"]]


def test_the_coverage_grid_scrolls_its_years_but_its_caption_and_areas_stay_in_view(page, site):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(site + "/coverage/")
    grid = page.evaluate(
        """() => Array.from(document.querySelectorAll('.coverage')).map(table => {
          const wrap = table.closest('.table-wrap');
          const caption = table.querySelector('caption span').getBoundingClientRect();
          wrap.scrollLeft = wrap.scrollWidth;
          const area = table.querySelector('tbody th[scope="row"]').getBoundingClientRect();
          return {sideways: wrap.scrollWidth > wrap.clientWidth, captionRight: caption.right,
                  areaLeft: area.left, areaRight: area.right};
        })"""
    )
    assert grid
    for table in grid:
        assert table["sideways"]  # a grid of years: the exception reflow allows
        assert table["captionRight"] <= PHONE
        assert table["areaLeft"] >= 0 and table["areaRight"] <= PHONE  # the area column stays put
    screenshot(page, f"tables-{PHONE}-coverage")
