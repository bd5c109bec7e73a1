"""Django's Redis cache, made optional at run time: if Redis stops, the site goes on uncached.

Every call that fails (Redis stopped, hung or unreachable) behaves as a cache miss, and Redis
is then left alone for a few seconds instead of being asked again by every request. The
outage is logged once per process when it starts and once when it ends, never per request.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without asking Redis after a failure


class _Outage:
    """Whether one Redis is failing, shared by every thread of the process: Django makes a
    cache object per thread, and an outage is still one outage."""

    def __init__(self) -> None:
        self.resting_until = 0.0
        self.failing = False
        self.lock = threading.Lock()


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._outage = _outage_of(str(server))

    def _call(self, method: str, default, *args, **kwargs):
        outage = self._outage
        if time.monotonic() < outage.resting_until:
            return default
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            with outage.lock:
                outage.resting_until = time.monotonic() + RETRY_AFTER
                if not outage.failing:
                    outage.failing = True
                    log.warning("Redis is unreachable (%s); serving without the cache until it answers.", error)
            return default
        if outage.failing:
            with outage.lock:
                if outage.failing:
                    outage.failing = False
                    log.warning("Redis answers again; the cache is back in use.")
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=None, version=None):
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", False, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as Django's caches do; an outage counts 0.
        return self._call("incr", 0, key, delta, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def clear(self):
        self._call("clear", None)
