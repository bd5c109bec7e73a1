"""What a card's table gives a phone's layout: its column headings once, on the <table>, and
the columns said once in the caption; the cells themselves stay plain (tests/browser/
test_tables_on_a_phone.py checks how they are drawn)."""

import re
from html import unescape

from dashboard.pages import _css_string
from tests.pages import table_rows


def _table_tag(html: str, card: str) -> str:
    section = html.split(f'id="{card}"', 1)[1]
    return unescape(re.search(r"<table [^>]*>", section).group(0))


def _caption(html: str, card: str) -> str:
    section = html.split(f'id="{card}"', 1)[1]
    return unescape(re.search(r"<caption[^>]*>(.*?)</caption>", section, re.S).group(1))


def _headings(html: str, card: str) -> list[str]:
    section = html.split(f'id="{card}"', 1)[1].split("</thead>", 1)[0]
    return [unescape(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', section)]


def test_a_card_table_names_each_column_after_the_first_for_its_cells_labels(seeded, client):
    html = client.get("/trends/").content.decode()
    tag = _table_tag(html, "trend")
    headings = _headings(html, "trend")
    labels = re.findall(r'--column-(\d+): "([^"]*)"', tag)
    assert labels == [(str(i), heading) for i, heading in enumerate(headings, start=1)][1:]


def test_a_column_the_same_on_every_row_is_said_once_in_the_caption(seeded, client):
    html = client.get("/platforms/").content.decode()
    rows = table_rows(html, "platforms")
    headings = _headings(html, "platforms")
    source = headings.index("Source")
    assert len(rows) > 1 and len({row[source] for row in rows}) == 1
    assert f'data-said-once="{source + 1}"' in _table_tag(html, "platforms")
    assert _caption(html, "platforms").endswith(f"On every row, Source: {rows[0][source]}.")
    # The rows keep the cell: a screen reader and a wide screen read it where it always was.
    assert all(row[source] == rows[0][source] for row in rows)


def test_a_table_of_one_row_says_nothing_once(seeded, client):
    html = client.get("/outcomes/").content.decode()
    assert len(table_rows(html, "outcomes")) == 1
    assert "data-said-once" not in _table_tag(html, "outcomes")
    assert "On every row" not in _caption(html, "outcomes")


def test_a_heading_cannot_end_its_css_string():
    assert _css_string("Per 10,000 children") == '"Per 10,000 children"'
    assert _css_string('Say "hi"; } body { x') == '"Say \\22 hi\\22 \\3b  \\7d  body \\7b  x"'
