"""{% contact_url %}: the contact form's address, naming the page the link is on."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from feedback.forms import same_site_path

register = template.Library()


@register.simple_tag(takes_context=True)
def contact_url(context: template.Context) -> str:
    """/contact/?from=<this page's path>, so the form knows which page a message is about.

    Only the path: a query string can be long and is whatever the visitor typed, and the
    pages quote back what a visitor typed only in part. A path the form would not prefill
    (too long, odd characters) is left out.
    """
    url = reverse("contact")
    request = context.get("request")
    path = same_site_path(request.path) if request is not None else ""
    if not path or path == url:
        return url
    return f"{url}?{urlencode({'from': path}, safe='/')}"
