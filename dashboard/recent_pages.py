"""The pages this process served last, kept in its own memory as well as in the shared cache.

A cached page is still checked against the data's version on every request (one small read
from the shared cache, dashboard/page_cache.py), but its body, often 50-100 KB, need not cross
the network and be unpickled each time: under a news spike a few pages get nearly every visit.
Least recently used pages are dropped first, so the copy never exceeds its byte budget.
"""

import threading
from collections import OrderedDict


class RecentPages:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        size = len(entry["body"])
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old["body"])
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped["body"])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
