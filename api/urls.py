"""/api/: the documentation page, version 1 under /api/v1/, and a JSON 404 for anything else.

Each of ninja's URL patterns is wrapped in `public_api` (CORS, caching, conditional
requests, fair use), so its operations and its OpenAPI document answer alike.
"""

from django.urls import URLPattern, include, path, re_path

from api.docs import docs_page
from api.http import not_found, public_api
from api.v1 import v1


def _public(patterns: list[URLPattern]) -> list[URLPattern]:
    return [path(str(p.pattern), public_api(p.callback), p.default_args, p.name) for p in patterns]


_v1_patterns, _app_name, _namespace = v1.urls

urlpatterns = [
    path("", docs_page, name="api_docs"),
    path("v1/", include((_public(_v1_patterns), _app_name), namespace=_namespace)),
    # Any other path, even one holding a newline (which "." would not match), is a JSON 404.
    re_path(r"^[\s\S]+$", public_api(not_found)),
]
