"""{% accessibility_statement_dates %}: the statement's two dates, written once in feedback/accessibility.py."""

import datetime as dt

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

from feedback.accessibility import STATEMENT_PREPARED, STATEMENT_REVIEWED

register = template.Library()


def _time(day: dt.date) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), format_date(day, "j F Y"))


@register.simple_tag
def accessibility_statement_dates() -> SafeString:
    return format_html(
        "This statement was prepared on {}. It was last reviewed on {}.",
        _time(STATEMENT_PREPARED),
        _time(STATEMENT_REVIEWED),
    )
