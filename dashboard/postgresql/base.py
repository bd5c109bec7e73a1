"""Django's PostgreSQL backend, except that a new connection gives up after a second.

libpq waits at least 2 seconds before giving up on a server that accepts the connection and
then says nothing (a frozen machine), and a request opening its connection at that moment
would wait all of it. While the database watch runs (dashboard/database_watch.py, started by
a web process's first request), psycopg2 waits through the watch's callback, which keeps this
deadline. Connections are kept for ten minutes (CONN_MAX_AGE), so this is rare.
"""

from django.db.backends.postgresql import base

from dashboard.database_watch import connecting_within

CONNECT_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        with connecting_within(CONNECT_SECONDS):
            return super().get_new_connection(conn_params)
