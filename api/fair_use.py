"""The fair-use limit: so many requests per client address in each window of so many seconds.

Counted in Django's cache (Redis in production when REDIS_URL is set, so every process
shares one count; otherwise each process counts alone). A fixed window is enough for
fair use: it costs one cache write per request and says exactly when to come back.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMIT = 300
DEFAULT_WINDOW = 60


def limit_and_window() -> tuple[int, int]:
    """Read at each request, so a test (or an operator) can change them without a restart."""
    return getattr(settings, "API_RATE_LIMIT", DEFAULT_LIMIT), getattr(settings, "API_RATE_WINDOW", DEFAULT_WINDOW)


def seconds_to_wait(request: HttpRequest) -> int | None:
    """Count this request against its address; None if it is within the limit, else how long to wait."""
    limit, window = limit_and_window()
    now = time.time()
    window_start = int(now // window) * window
    key = f"api-fair-use:{window_start}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr: this is its first request
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(window_start + window - now))
