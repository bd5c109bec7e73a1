"""Fair use: so many requests per client address in each window of so many seconds.

The one way the site counts requests per address: the API's limit (API_RATE_LIMIT requests
every API_RATE_WINDOW seconds) and the contact form's (feedback/views.py) are each an
`Allowance` counted here. The address is REMOTE_ADDR, which ClientAddressMiddleware
(dashboard/middleware.py) has already made the visitor's own behind our trusted proxies.

Counted in Django's cache (Redis in production when REDIS_URL is set, so every process
shares one count; otherwise each process counts alone). A fixed window is enough for
fair use: it costs one cache write per request and says exactly when to come back.

When the cache does not answer (Redis stopped), nothing is counted and every request is let
through: the limit fails open. Our cache backend (dashboard/cache_backend.py) answers a failed
call as a miss, so the count reads 0. A cache outage must not also stop the API, or stop a
worried parent from writing to us; a flood meanwhile meets the size caps alone.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMIT = 300
DEFAULT_WINDOW = 60


@dataclass(frozen=True)
class Allowance:
    """`limit` requests per client address in each window of `window` seconds, counted
    under `name`, so that two allowances never share a count."""

    name: str
    limit: int
    window: int

    def seconds_to_wait(self, request: HttpRequest) -> int | None:
        """Count this request against its address; None if it is within the limit, else how long to wait."""
        now = time.time()
        window_start = int(now // self.window) * self.window
        key = f"{self.name}:{window_start}:{request.META.get('REMOTE_ADDR', '')}"
        cache.add(key, 0, timeout=self.window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add and incr: this is its first request
            cache.set(key, 1, timeout=self.window + 1)
            count = 1
        if count <= self.limit:
            return None
        return max(1, math.ceil(window_start + self.window - now))


def limit_and_window() -> tuple[int, int]:
    """The API's. Read at each request, so a test (or an operator) can change them without a restart."""
    return getattr(settings, "API_RATE_LIMIT", DEFAULT_LIMIT), getattr(settings, "API_RATE_WINDOW", DEFAULT_WINDOW)


def seconds_to_wait(request: HttpRequest) -> int | None:
    """Count this API request against its address: None if it is within the API's limit, else how long to wait."""
    limit, window = limit_and_window()
    return Allowance("api-fair-use", limit, window).seconds_to_wait(request)
