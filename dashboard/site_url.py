"""Absolute links, always from SITE_URL (checked in settings.py), never from the request.

A request's Host is whatever the visitor sent that ALLOWED_HOSTS let through: it can carry
any port or a trailing dot ("127.0.0.1:6666", "127.0.0.1."). Written into a canonical tag, the
sitemap, the feed, a citation or the API's links, and then cached, it would send everyone the
page is served to a wrong address. So links are built from the site's one public address.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """The public address of a path on this site ("/figures/56/" becomes "https://…/figures/56/")."""
    return settings.SITE_URL + path


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


def site_host() -> str:
    """The host and port, if any, of the public address, as a sitemap's domain."""
    return urlsplit(settings.SITE_URL).netloc
