"""Template tags for what a page says about itself to search engines and link previews.

Loaded as `{% load page_meta %}` (registered in settings.TEMPLATES, because `dashboard`
is the project rather than an installed app). base.html writes each page's <title>,
description and canonical address once, in blocks the page fills; the Open Graph tags
repeat them with `{% block_text %}`, since Django renders a block only once per page.
"""

import re
from html import unescape
from urllib.parse import urlencode

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.templatetags.static import static
from django.utils.html import strip_tags

from dashboard.site_url import absolute_url
from dashboard.words import in_sentence

register = template.Library()


@register.simple_tag(takes_context=True)
def block_text(context: template.Context, name: str) -> str:
    """The text this page puts in one of base.html's blocks, as plain text on one line
    (the tag escapes it again, so it is safe in an attribute)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    if block is None:
        return ""
    # A fresh node renders the most specific override, with {{ block.super }} working as usual.
    rendered = BlockNode(name, block.nodelist).render(context)
    return re.sub(r"\s+", " ", unescape(strip_tags(rendered))).strip()


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, **query: object) -> str:
    """This page's own absolute address, without the query string (tracking tags, stray
    parameters), plus only the parameters given: `{% canonical_url page=3 %}`."""
    url = absolute_url(context["request"].path)
    kept = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(kept)}" if kept else url


@register.simple_tag
def absolute_static(path: str) -> str:
    """A static file's absolute address: link previews need the scheme and host."""
    return absolute_url(static(path))


@register.simple_tag(name="absolute_url")
def absolute_url_tag(path: str) -> str:
    """`{% absolute_url some_path %}`: the public address of a path on this site."""
    return absolute_url(path)


@register.filter(name="in_sentence")
def in_sentence_filter(name: str) -> str:
    """`{{ name|in_sentence }}`: a name inside a sentence, its capitals kept where they belong
    ('Home Office 88A'), never `|lower`, which would write 'home office 88a'."""
    return in_sentence(str(name))
