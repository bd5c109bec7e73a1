"""The drill's load generator: a thread per path, each asking a few times a second, recording
what every request got (bench/drill.py)."""

import gzip
import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# What the "service unavailable" page must still offer (issue 12). 999 and 101 are matched as
# whole numbers in the page's text, so a hashed file name or a figure cannot pass for them.
HELP_TEXTS = {
    "999": re.compile(r"(?<!\d)999(?!\d)"),
    "101": re.compile(r"(?<!\d)101(?!\d)"),
    "CEOP": re.compile(r"CEOP"),
    "Childline 0800 1111": re.compile(r"0800\s1111"),
    "NSPCC 0808 800 5000": re.compile(r"0808\s800\s5000"),
}
QUICK_EXIT = "Exit this page"
# What must never reach a visitor: a stack trace or SQL.
LEAKS = ("Traceback", "SELECT ", "psycopg", "OperationalError", 'File "/')
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Result:
    started: float  # seconds since the drill began
    phase: str
    group: str  # "cached", "uncached" or "health"
    path: str
    status: int | None  # None when no HTTP answer came (see error)
    error: str
    latency: float
    x_cache: str
    request_id: str
    missing_help: tuple[str, ...]  # what a 503 page lacked of HELP_TEXTS and the quick exit
    leaks: tuple[str, ...]
    health: dict | None  # /healthz's JSON

    def line(self) -> str:
        status = str(self.status) if self.status is not None else self.error
        notes = []
        if self.status == 503 and self.group != "health":
            notes.append("help+exit ok" if not self.missing_help else "MISSING " + ", ".join(self.missing_help))
        if self.leaks:
            notes.append("LEAK " + ", ".join(self.leaks))
        if self.health is not None:
            notes.append(f"database={self.health.get('database')} cache={self.health.get('cache')}")
        return (
            f"{self.started:7.2f}s  {self.phase:<20} {self.group:<8} {self.path:<22} {status:>7} "
            f"{self.latency * 1000:7.0f} ms  {self.x_cache or '-':<5} {self.request_id[:12] or '-':<12} "
            + "; ".join(notes)
        )


def fetch(port: int, path: str, timeout: float) -> tuple[int | None, str, dict[str, str], str]:
    """GET path as a browser would (gzip accepted); returns status, error, headers and text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip", "User-Agent": "failure-drill"})
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, "", headers, body.decode("utf-8", "replace")
    except TimeoutError:
        return None, "timeout", {}, ""
    except ConnectionRefusedError:
        return None, "refused", {}, ""
    except (OSError, http.client.HTTPException) as error:
        return None, type(error).__name__, {}, ""
    finally:
        connection.close()


def examine(group: str, status: int | None, text: str) -> tuple[tuple[str, ...], tuple[str, ...], dict | None]:
    missing: list[str] = []
    if status == 503 and group != "health":
        visible = _TAG.sub(" ", text)
        missing = [name for name, pattern in HELP_TEXTS.items() if not pattern.search(visible)]
        if QUICK_EXIT not in text:
            missing.append("quick exit")
    leaks = tuple(leak for leak in LEAKS if leak in text)
    health = None
    if group == "health" and status is not None:
        try:
            health = json.loads(text)
        except ValueError:
            health = {"unreadable": text[:80]}
    return tuple(missing), leaks, health


class Load:
    """Threads that each ask one slot's path `rate` times a second until stopped.

    The drill changes `phase` and may point a slot at another path between phases; each
    request is recorded under the phase in which it started."""

    def __init__(
        self,
        port: int,
        slots: list[tuple[str, str]],
        *,
        rate: float,
        timeout: float,
        epoch: float,
        on_result: Callable[[Result], None],
    ) -> None:
        self.port = port
        self.slots = list(slots)  # (group, path)
        self.rate = rate
        self.timeout = timeout
        self.epoch = epoch
        self.phase = "starting"
        self.results: list[Result] = []
        self.started = False
        self._on_result = on_result
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(slot,), name=f"load-{slot}", daemon=True)
            for slot in range(len(slots))
        ]

    def start(self) -> None:
        self.started = True
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 2)

    def point(self, slot: int, group: str, path: str) -> None:
        with self._lock:
            self.slots[slot] = (group, path)

    def _run(self, slot: int) -> None:
        interval = 1 / self.rate
        # Spread the slots over the first interval so they do not all ask at once.
        next_at = time.monotonic() + interval * slot / len(self.slots)
        while not self._stopping.wait(max(0.0, next_at - time.monotonic())):
            with self._lock:
                group, path = self.slots[slot]
                phase = self.phase
            began = time.monotonic()
            status, error, headers, text = fetch(self.port, path, self.timeout)
            latency = time.monotonic() - began
            missing, leaks, health = examine(group, status, text)
            result = Result(
                started=began - self.epoch,
                phase=phase,
                group=group,
                path=path,
                status=status,
                error=error,
                latency=latency,
                x_cache=headers.get("x-cache", ""),
                request_id=headers.get("x-request-id", ""),
                missing_help=missing,
                leaks=leaks,
                health=health,
            )
            with self._lock:
                self.results.append(result)
                self._on_result(result)
            # Never burst to catch up after a slow answer: keep the pace from now.
            next_at = max(next_at + interval, time.monotonic())
