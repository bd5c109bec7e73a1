"""What every page with cards shares: permalinks, citations, downloads and embeds of exactly what is shown.

Each card can also be shown alone, framed on another site, at /embed/<the page's path>?<its
query>&card=<slug> (dashboard/embeds.py). That address runs the page's own view, and
`render_cards` sees it came by an embed route and renders embed.html with just that card.
"""

import datetime as dt
import json
from dataclasses import dataclass, fields
from typing import NamedTuple

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from dashboard.cards.card import Card, citations
from dashboard.citations import SITE_NAME
from dashboard.downloads import WRITERS, attachment
from dashboard.site_url import absolute_url

EMBED_NAMESPACE = "embed"  # the URL namespace of the embed routes: /embed/<page path>

# The iframe code's height: what the card takes in a 640 px column, a common width for an
# article's text, so that it fits there without a scroll bar (on a phone the frame scrolls).
# Each block is its lines of text at that width (characters a line holds, pixels a line takes,
# measured in Chromium with static/css/embed.css) plus its margins; a long table scrolls in
# its own box of 20rem. tests/browser/test_embeds.py checks the sum against the real thing.
TITLE, SUMMARY, LINE = (44, 30), (64, 26), (70, 24)  # (characters, pixels) a line
TABLE_MAX, TABLE_TOP, TABLE_ROW = 320, 90, 38
FOOTER = 225  # "Published on this dashboard", the link back and the site's line, with margins


class Cell(NamedTuple):
    text: str
    numeric: bool
    link: str  # the row's first cell: the area's page, where the card gives one
    figure: str  # the cell showing the row's figure: that figure's permanent page


@dataclass
class CardOnPage(Card):
    """A card as a page shows it: besides what the card builder made, where it can be
    embedded from, the words drawn on its downloadable image, and a table whose values
    link to each figure's permanent page. The builders stay free of URLs and requests."""

    embed_url: str = ""
    image_credit: str = ""  # "Sources: … · <site>, accessed <date> · <permalink>": drawn under the image

    @property
    def embed_code(self) -> str:
        """The iframe another site pastes in: our address, a title for screen readers, lazy loading."""
        return format_html(
            '<iframe src="{}" title="{}" width="100%" height="{}" style="border: 0" loading="lazy"></iframe>',
            self.embed_url,
            self.title,
            self.embed_height,
        )

    @property
    def embed_height(self) -> int:
        height = 36 + _tall(self.title, TITLE) + 34 + _tall(self.summary, SUMMARY)
        if self.chart:
            height += 32 + (self.chart_height or 450)
        if self.chart_key or self.legend:
            height += 16 + sum(4 + _tall(line, LINE) for line in [*self.chart_key, *(w for _, w in self.legend)])
        if self.rows:
            height += 56 + min(TABLE_MAX, TABLE_TOP + TABLE_ROW * len(self.table_rows))
        if self.notes:
            height += 32 + sum(_tall(note, LINE) for note in self.notes)
        sources = "; ".join(f"{s.publisher}, {s.title} ({s.published_label})" for s in self.sources)
        return height + 32 + _tall(sources, LINE) + FOOTER

    @property
    def image_key(self) -> str:
        """The chart's key in words, one line each, for the image (the page writes it under the chart)."""
        return "\n".join(self.chart_key)

    @property
    def image_legend(self) -> str:
        """A map's colour key for the image, as JSON: [[colour, words], ...]."""
        return json.dumps(self.legend)

    @property
    def linked_table(self) -> list[list[Cell]]:
        """The card's table, with the cell that shows each row's figure linked to that figure's page.
        That cell is the first numeric one showing the figure's own value; rates and shares
        worked out from it come after it, and are not the published figure."""
        table = []
        for row, cells in zip(self.table_rows, self.table, strict=True):
            value_at = next(
                (i for i, cell in enumerate(cells) if cell[1] and cell[0] == row.figure.display_value), None
            )
            figure = reverse("figure", args=[row.figure.id])
            table.append([Cell(*cell[:3], figure if i == value_at else "") for i, cell in enumerate(cells)])
        return table

    @property
    def columns_said_once(self) -> list[int]:
        """Where (counting from 1, as CSS does) the columns are that say the same on every row
        shown, after the row's heading: on a phone the caption says them once instead
        (`table_caption`), and each row's block leaves them out. The first column stays, being
        the row's heading; so do numbers, and a table of one row. Downloads keep every column."""
        rows = self.table
        if len(rows) < 2:
            return []
        return [
            i + 1
            for i, column in enumerate(self.columns)
            if i > 0 and not column.numeric and len({cells[i][0] for cells in rows}) == 1 and rows[0][i][0]
        ]

    @property
    def table_caption(self) -> str:
        caption = f"{self.title}: the figures{' plotted' if self.chart else ''}"
        same = [f"{self.columns[at - 1].label}: {self.table[0][at - 1][0]}" for at in self.columns_said_once]
        return f"{caption}. On every row, {'; '.join(same)}." if same else caption

    @property
    def table_attributes(self) -> str:
        """The <table>'s own attributes for a phone's layout: each column's heading as a CSS
        string, once per table, for the label beside each cell of a row's block; and which
        columns the caption says once. On the table, not on every cell: a long table's page
        stays small and fast (see table_body)."""
        labels = "; ".join(
            f"--column-{i}: {_css_string(column.label)}" for i, column in enumerate(self.columns, start=1) if i > 1
        )
        said_once = " ".join(str(at) for at in self.columns_said_once)
        return format_html(' style="{}"{}', labels, format_html(' data-said-once="{}"', said_once) if said_once else "")

    @property
    def table_body(self) -> str:
        """The rows of `linked_table` as HTML. Written here, not in the template: the template
        engine took about 0.4 ms a row, most of a long table's page (docs/performance.md)."""
        rows = (
            "<tr>" + "".join(_cell_html(i, cell) for i, cell in enumerate(row)) + "</tr>" for row in self.linked_table
        )
        return mark_safe("\n".join(rows))  # noqa: S308 - every value in it is escaped by _cell_html


def _css_string(text: str) -> str:
    """Text as a CSS string: quotes and backslashes escaped, so a heading cannot end the rule."""
    return '"' + "".join(c if c.isalnum() or c in " ,.()-" else f"\\{ord(c):x} " for c in text) + '"'


def _cell_html(i: int, cell: Cell) -> str:
    text = escape(cell.text)
    if i == 0:  # the row's heading: its area, linked to the area's page where there is one
        return (
            f'<th scope="row"><a href="{escape(cell.link)}">{text}</a></th>'
            if cell.link
            else f'<th scope="row">{text}</th>'
        )
    if cell.figure:
        text = f'<a href="{escape(cell.figure)}" aria-label="{text} (figure details)">{text}</a>'
    return f'<td class="numeric">{text}</td>' if cell.numeric else f"<td>{text}</td>"


def render_cards(
    request: HttpRequest, template: str, context: dict, *, cards: list[Card], query: str = ""
) -> HttpResponse:
    """Render the page, or, with ?card=<slug>&format=csv|json, that card's rows as a file,
    or, when the request came by an embed route, that card alone in embed.html.

    `query` is the page's canonical query string, rebuilt from the settled choices,
    so permalinks, downloads and embeds never carry anything the visitor typed that we did not use.
    """
    embedded = is_embed(request)
    page = absolute_url(_page_path(request)) + (f"?{query}" if query else "")
    embed_page = _embed_path(request)
    accessed = timezone.localdate()
    shown = [_on_page(card) for card in cards]
    for card in shown:
        card.permalink = f"{page}#{card.slug}"
        card.citations = citations(card, accessed)
        card.download_query = f"{query}&card={card.slug}" if query else f"card={card.slug}"
        if embed_page:
            card.embed_url = absolute_url(embed_page) + f"?{card.download_query}"
        card.image_credit = image_credit(card, accessed)

    chosen = next((card for card in shown if card.slug == request.GET.get("card")), None)
    wanted = request.GET.get("format")
    if wanted is not None:
        if chosen is None or wanted not in WRITERS:
            raise Http404("There is no such download on this page.")
        response = attachment(WRITERS[wanted](chosen), wanted, chosen.filename)
    elif embedded:
        if chosen is None:
            raise Http404("There is no such chart on this page.")
        response = render(request, "embed.html", {**context, "card": chosen, "permalink": page})
    else:
        response = render(request, template, {**context, "cards": shown, "permalink": page})
    if context.get("messages_"):
        # A value the form could not use fell back to the default: any string does that, so
        # keeping each answer would let anyone fill the page cache (and nginx's) with copies.
        patch_cache_control(response, no_store=True)
    return response


def is_embed(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.namespace == EMBED_NAMESPACE


def image_credit(card: Card, accessed: dt.date) -> str:
    """What a downloaded chart image says under it, so it stays citable wherever it is pasted."""
    sources = "; ".join(f"{source.publisher}, {source.published_label}" for source in card.sources)
    label = "Source" if len(card.sources) == 1 else "Sources"
    return f"{label}: {sources} \u00b7 {SITE_NAME}, accessed {accessed.day} {accessed:%B %Y} \u00b7 {card.permalink}"


def _tall(text: str, line: tuple[int, int]) -> int:
    """How tall `text` is, in pixels, at (characters a line, pixels a line)."""
    characters, pixels = line
    return -(-len(text) // characters) * pixels


def _on_page(card: Card) -> CardOnPage:
    return CardOnPage(**{f.name: getattr(card, f.name) for f in fields(card)})


def _page_path(request: HttpRequest) -> str:
    """The full page's address: for an embed, the page it was taken from."""
    if not is_embed(request):
        return request.path
    match = request.resolver_match
    return reverse(match.url_name, args=match.args, kwargs=match.kwargs)


def _embed_path(request: HttpRequest) -> str:
    """Where this page's cards can be embedded from, or "" for a page that has no embed route."""
    match = request.resolver_match
    if match is None:
        return ""
    try:
        return reverse(f"{EMBED_NAMESPACE}:{match.url_name}", args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return ""
