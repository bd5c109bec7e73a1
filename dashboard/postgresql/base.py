"""Django's PostgreSQL backend, except that a new connection is only opened once the server
has shown, within a second, that it answers.

libpq waits at least 2 seconds before giving up on a server that accepts the connection and
then says nothing (a frozen machine), and a request opening its connection at that moment
would wait all of it. So first a handshake in psycopg2's asynchronous mode, with our own
deadline (dashboard/database_watch.py); then the ordinary connection Django uses. Connections
are kept for ten minutes (CONN_MAX_AGE), so this costs a few milliseconds now and then.
"""

import psycopg2
from django.db.backends.postgresql import base

from dashboard.database_watch import answers_within

HANDSHAKE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not answers_within(conn_params, HANDSHAKE_SECONDS):
            raise psycopg2.OperationalError(f"the database did not answer within {HANDSHAKE_SECONDS} s")
        return super().get_new_connection(conn_params)
