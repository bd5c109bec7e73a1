"""gunicorn's settings for the production server (`scripts/production`; docs/deploy.md).

Every value can be overridden from the environment without editing this file:
PORT, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT.
"""

import multiprocessing
import os

wsgi_app = "dashboard.wsgi:application"
# This machine only: gunicorn is never exposed without the buffering nginx in front
# (scripts/production, deploy/entrypoint and compose.yaml all bind it to 127.0.0.1), so a
# slow client meets nginx, never a gunicorn thread.
bind = f"127.0.0.1:{os.getenv('PORT', '8000')}"

# Threads, not only processes: a page served from the cache spends most of its time waiting
# on Redis or the socket, and a thread that waits on a hung database must not hold up a
# whole process. Two processes per core plus one is gunicorn's own starting point.
worker_class = "gthread"
workers = int(os.getenv("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.getenv("GUNICORN_THREADS", "4"))

# A request that has not finished in this many seconds is abandoned and its process replaced.
# Pages take milliseconds; only an admin's upload of a whole Home Office year takes seconds.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Behind nginx or a load balancer, connections are reused between requests.
keepalive = 5

# The longest address we make (a comparison embed with every query parameter) is under
# 400 characters; 4,094 leaves room for a journalist's tracking parameters and refuses
# nothing we link to, while a request line of megabytes is refused before Django sees it.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

# A process is replaced after this many requests (with jitter so they don't all restart at
# once): a slow leak in any library can never build up.
max_requests = 20_000
max_requests_jitter = 2_000

# The application's own log lines are JSON on stdout (dashboard/request_log.py); the access
# log is one JSON object per request too, carrying the same request id.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "cache": "%({x-cache}o)s"}'
)
# Behind a proxy on the same host or network, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's runtime control socket (gunicornc) is a management door we don't use, and every
# instance on a machine would share its default path: off.
control_socket_disable = True
