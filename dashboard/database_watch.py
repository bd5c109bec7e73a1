"""Knowing, without ever waiting long, whether the database answers.

A stopped database refuses connections at once, but a hung one (a frozen machine, a full
disk, a network that drops packets) accepts them and then never replies: a query waits for
ever, and PostgreSQL's own statement timeout cannot fire on a server that is not running.
So one thread per process asks the database `SELECT 1` every half second on a connection of
its own, with a deadline it enforces itself (psycopg2's asynchronous mode and select()).
While the database does not answer, requests skip it and get a cached page or the
"service unavailable" page at once; requests already waiting on it have their connection
cut, so they fail within the deadline instead of holding a thread.
"""

import contextlib
import logging
import os
import select
import socket
import threading
import time
import weakref

import psycopg2
import psycopg2.extensions
from django.db import connections

log = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between questions
DEADLINE = 1.0  # seconds an answer may take: with INTERVAL, a hang is noticed within 1.5 s


class DatabaseWatch:
    def __init__(self, connection_params: dict) -> None:
        self._params = connection_params
        self._down = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._probe = None  # the watch's own asynchronous connection
        self._lock = threading.Lock()
        self._tracked: weakref.WeakSet = weakref.WeakSet()

    @property
    def down(self) -> bool:
        return self._down

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._thread = threading.Thread(target=self._run, name="database-watch", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=INTERVAL + DEADLINE + 1)
        self._close_probe()

    def track_this_thread(self) -> None:
        """Remember this thread's database connection, to cut it if the database hangs."""
        self._tracked.add(connections["default"])

    def _run(self) -> None:
        while not self._stopping.is_set():
            answered = self._ask()
            if answered and self._down:
                log.warning("The database answers again; serving pages from it.")
            elif not answered and not self._down:
                log.warning("The database did not answer within %.1f s; serving cached pages only.", DEADLINE)
                self._down = True
                self._cut_waiting_connections()
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
        except (psycopg2.Error, OSError, TimeoutError):
            self._close_probe()
            return False

    def _close_probe(self) -> None:
        if self._probe is not None:
            with contextlib.suppress(psycopg2.Error):
                self._probe.close()
            self._probe = None

    def _cut_waiting_connections(self) -> None:
        # Shutting the socket down (not closing the descriptor, which its thread still owns)
        # makes a read that is waiting on a hung server fail at once. Django then discards
        # the connection, and CONN_HEALTH_CHECKS reconnects once the database is back.
        for wrapper in list(self._tracked):
            raw = wrapper.connection
            if raw is None or raw.closed:
                continue
            try:
                duplicate = socket.socket(fileno=os.dup(raw.fileno()))
                try:
                    duplicate.shutdown(socket.SHUT_RDWR)
                finally:
                    duplicate.close()
            except (OSError, psycopg2.Error):
                continue


def answers_within(connection_params: dict, seconds: float) -> bool:
    """Whether a new connection to the database completes within `seconds`."""
    deadline = time.monotonic() + seconds
    probe = None
    try:
        probe = psycopg2.connect(**connection_params, async_=1)
        _wait(probe, deadline)
        return True
    except (psycopg2.Error, OSError, TimeoutError):
        return False
    finally:
        if probe is not None:
            probe.close()


def _wait(connection, deadline: float) -> None:
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the database did not answer in time")
        if state == psycopg2.extensions.POLL_READ:
            select.select([connection.fileno()], [], [], remaining)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [connection.fileno()], [], remaining)


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
