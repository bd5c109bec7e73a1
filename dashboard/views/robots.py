"""robots.txt: crawl the public site, not the contact form's per-page links.

The admin is not listed: its address is set by ADMIN_PATH so that it is not where scanners
look, and robots.txt is the first file they read. It needs a login anyway.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from dashboard.site_url import absolute_url


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        # The footer links to the form with the page it was on (?from=...): one form, many addresses.
        f"Disallow: {reverse('contact')}?",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
