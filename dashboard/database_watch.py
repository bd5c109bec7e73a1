"""Knowing, without ever waiting long, whether the database answers.

A stopped database refuses connections at once, but a hung one (a frozen machine, a full
disk, a network that drops packets) accepts them and then never replies: a query waits for
ever, and PostgreSQL's own statement timeout cannot fire on a server that is not running.
So one thread per process asks the database `SELECT 1` every quarter second on a connection
of its own, with a deadline it enforces itself (psycopg2's asynchronous mode and select()).
While the database does not answer, requests skip it and get a cached page or the
"service unavailable" page at once.

Requests already waiting on it must not wait either. While the watch runs, every connection
of the process waits through the watch's `wait_unless_down` (psycopg2's wait callback, which
makes libpq work asynchronously under psycopg2's usual blocking interface): it looks at the
watch's verdict every tenth of a second and gives up once the database is down, and a new
connection gives up after `connecting_within`'s deadline, where libpq alone would wait at
least 2 s. psycopg2 then discards the connection, and Django opens a new one once the
database is back.
"""

import contextlib
import logging
import select
import threading
import time

import psycopg2
import psycopg2.extensions
from django.db import connections

log = logging.getLogger(__name__)

INTERVAL = 0.25  # seconds between questions
DEADLINE = 1.0  # seconds an answer may take: with INTERVAL, a hang is noticed within 1.25 s
LOOK_EVERY = 0.1  # seconds between a waiting query's looks at the watch's verdict


class DatabaseWatch:
    def __init__(self, connection_params: dict) -> None:
        self._params = connection_params
        self._down = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._probe = None  # the watch's own asynchronous connection
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self._down

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._thread = threading.Thread(target=self._run, name="database-watch", daemon=True)
                self._thread.start()
                psycopg2.extensions.set_wait_callback(self.wait_unless_down)

    def stop(self) -> None:
        psycopg2.extensions.set_wait_callback(None)
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=INTERVAL + DEADLINE + 1)
        self._close_probe()

    def wait_unless_down(self, connection, cursor=None) -> None:
        """psycopg2's wait callback while the watch runs: wait for the database, but give up
        once the watch finds it down, or when a new connection's deadline passes."""
        _wait(connection, getattr(_connecting, "deadline", None), give_up=lambda: self._down)

    def _run(self) -> None:
        while not self._stopping.is_set():
            answered = self._ask()
            if answered and self._down:
                log.warning("The database answers again; serving pages from it.")
            elif not answered and not self._down:
                log.warning("The database did not answer within %.1f s; serving cached pages only.", DEADLINE)
            self._down = not answered
            self._stopping.wait(INTERVAL)

    def _ask(self) -> bool:
        deadline = time.monotonic() + DEADLINE
        try:
            if self._probe is None:
                self._probe = psycopg2.connect(**self._params, async_=1)
                _wait(self._probe, deadline)
            cursor = self._probe.cursor()
            cursor.execute("SELECT 1")
            _wait(self._probe, deadline)
            return cursor.fetchone() == (1,)
        except (psycopg2.Error, OSError):
            self._close_probe()
            return False

    def _close_probe(self) -> None:
        if self._probe is not None:
            with contextlib.suppress(psycopg2.Error):
                self._probe.close()
            self._probe = None


_connecting = threading.local()


@contextlib.contextmanager
def connecting_within(seconds: float):
    """A deadline for the connections this thread opens meanwhile (kept by `wait_unless_down`)."""
    _connecting.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _connecting.deadline = None


def _wait(connection, deadline: float | None, give_up=lambda: False) -> None:
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        if give_up():
            raise psycopg2.OperationalError("the database stopped answering")
        wait = LOOK_EVERY
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise psycopg2.OperationalError("the database did not answer in time")
            wait = min(wait, LOOK_EVERY)
        if state == psycopg2.extensions.POLL_READ:
            select.select([connection.fileno()], [], [], wait)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [connection.fileno()], [], wait)
        else:
            raise psycopg2.OperationalError(f"unexpected state from poll: {state}")


_watch: DatabaseWatch | None = None
_watch_lock = threading.Lock()


def database_watch() -> DatabaseWatch | None:
    """This process's watch, started on first use; None where the database cannot hang
    (SQLite is a file in the project) or where settings turn it off."""
    global _watch
    if _watch is None:
        wrapper = connections["default"]
        if wrapper.vendor != "postgresql":
            return None
        with _watch_lock:
            if _watch is None:
                params = wrapper.get_connection_params()
                _watch = DatabaseWatch(params)
                _watch.start()
    return _watch


def stop_database_watch() -> None:
    global _watch
    with _watch_lock:
        if _watch is not None:
            _watch.stop()
            _watch = None


def database_may_answer() -> bool:
    """False while this process's watch has no answer from the database: then a request must
    not wait on it, not even for a new connection's timeout."""
    watch = database_watch()
    return watch is None or not watch.down
