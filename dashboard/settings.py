"""Settings, read from the environment in this one module.

Every variable is documented in README.md. Defaults suit a developer's checkout
(SQLite in the project folder, DEBUG on). DJANGO_ENV=production changes the defaults to a
public server's (DEBUG off, HTTPS only) and then SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL
must be set: docs/deploy.md.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def checked_site_url(value: str) -> str:
    """SITE_URL as a scheme and host (and port, if any), lower case, or a refusal to start.

    Every absolute link the site writes starts with it, never with the Host a request came
    with: an allowed Host can still carry any port or a trailing dot, and a cached page would
    then hand that address to everyone it is served to.
    """
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    refused = (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.hostname.endswith(".")
        or parts.netloc.endswith(":")
        or parts.path not in ("", "/")
        or bool(parts.query or parts.fragment or "@" in parts.netloc)
    )
    if refused:
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's public address, like https://dashboard.example.org: "
            f"http or https, a host with no trailing dot, and no path, query, fragment or user name "
            f"(it is {value!r})."
        )
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


PRODUCTION = os.getenv("DJANGO_ENV", "development").strip().lower() == "production"
DEBUG = envbool("DEBUG", "0" if PRODUCTION else "1")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - never used with DEBUG off

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "stats",
    "feedback",
]

MIDDLEWARE = [
    # The visitor's own address behind our proxies, for fair use and login throttling.
    "dashboard.middleware.ClientAddressMiddleware",
    # First, so every log line of a request carries its id (dashboard/request_log.py).
    "dashboard.request_log.RequestIdMiddleware",
    # The security headers come next, outside everything that can answer, so that every
    # answer carries them: a page, a page from the cache, a static file and each refusal
    # below (404, 405, 413, the outage page). Which answers may be framed by other sites is
    # decided lower down, by FramingMiddleware.
    "django.middleware.security.SecurityMiddleware",
    "dashboard.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Paths with NUL or other control characters are 404s before any view sees them.
    "dashboard.middleware.UnknownPathMiddleware",
    # Static files never wait for the database or the cache.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # GET and HEAD only (405), small bodies only (413), before anything costs a query.
    "dashboard.middleware.PublicMethodsMiddleware",
    # Above the cache, so an embed replayed from it may be framed as the embed itself may.
    "dashboard.middleware.FramingMiddleware",
    # Public pages from the cache, keyed on the data's version; the outage page when the
    # database does not answer (dashboard/page_cache.py). It stores the headers below it.
    "dashboard.page_cache.PageCacheMiddleware",
    # Pages are compressed too; they carry no secrets (public pages have no CSRF token).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Throttles admin logins; it must come last. Public pages never authenticate.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for
# 15 minutes: a cool-off, never a permanent lockout an attacker could use against us.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# The admin's address, from the environment, so it is not where every scanner looks first.
ADMIN_PATH = os.getenv("ADMIN_PATH", "admin/").strip("/") + "/"

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.quick_exit",
            ],
            # The project's own tags: `dashboard` is not an installed app, so Django would not find them.
            "libraries": {"page_meta": "dashboard.page_meta"},
        },
    },
]

# The embedded default is a SQLite file in the project; PostgreSQL is one variable away.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Kept for ten minutes: opening a connection is the one wait a hung database can
        # impose before the database watch notices (up to 1 s, dashboard/postgresql/base.py).
        conn_max_age=600,
        # A kept connection is checked before a request reuses it, so after the database
        # restarts the next request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a quick handshake before each new connection (dashboard/postgresql).
    DATABASES["default"]["ENGINE"] = "dashboard.postgresql"
    # Fail fast rather than wait: a database that does not answer within these limits is
    # treated as down, and visitors get cached pages or the "service unavailable" page.
    # libpq's shortest connect timeout is 2 seconds. The statement timeout stops a runaway
    # query; publishing a whole year takes well under it (bench/import_home_office.py).
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.getenv("DATABASE_CONNECT_TIMEOUT", "2")),
        "options": (
            f"-c statement_timeout={int(os.getenv('DATABASE_STATEMENT_TIMEOUT_MS', '15000'))}"
            " -c idle_in_transaction_session_timeout=60000"
            # A page's figure query joins eight tables, and searching every order of them took
            # PostgreSQL longer (1-8 ms) than running the query. Joined four at a time, planning
            # the pages' queries took a third as long and running them no longer: measured
            # in docs/performance.md ("Query planning").
            " -c join_collapse_limit=4 -c from_collapse_limit=4"
        ),
        "application_name": "grooming-dashboard",
    }
    # Behind pgbouncer in transaction mode a server-side cursor cannot outlive its transaction:
    # large downloads then read their rows in one go instead (docs/deploy.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DISABLE_SERVER_SIDE_CURSORS", "0")

# Redis is optional: without REDIS_URL each process keeps its own in-memory cache. With it,
# every server shares one cache, and if Redis stops the site carries on uncached
# (dashboard/cache_backend.py), asking Redis again every few seconds.
REDIS_URL = os.getenv("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "dashboard.cache_backend.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs costs a request a quarter of a second, once, not a worker.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}

# Public pages, downloads and API answers are cached under the data's version
# (dashboard/page_cache.py). PAGE_CACHE=0 turns it off, to measure uncached pages.
PAGE_CACHE = envbool("PAGE_CACHE", "1")
PAGE_CACHE_SECONDS = 24 * 60 * 60  # an entry is keyed on the data, so it only needs to expire to free memory
PAGE_CACHE_MAX_BYTES = 5_000_000  # a larger download is sent from its file each time
# Each process also keeps its most recently served pages in memory (dashboard/recent_pages.py).
PAGE_CACHE_RECENT_BYTES = int(os.getenv("PAGE_CACHE_RECENT_BYTES", str(32 * 1024 * 1024)))
# What browsers and CDNs may do: keep a page a minute (a CDN five), serve it a while longer
# while fetching a fresh one, and for a day when we are down.
PAGE_CACHE_CONTROL = os.getenv(
    "PAGE_CACHE_CONTROL", "public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT") or BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Plotly.js's basic bundle (bar, pie, scatter), installed by npm ci from package-lock.json.
    ("vendor", BASE_DIR / "node_modules" / "plotly.js-basic-dist-min"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded data files are kept here, one folder a month, as the record of what was published.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"  # never served publicly: admins download originals through the admin
UPLOAD_MAX_BYTES = int(os.getenv("UPLOAD_MAX_BYTES", str(200_000_000)))  # 200 MB, as documented: SI units
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads go to a temporary file


# The site's public address: the start of every absolute link (canonical addresses, the
# sitemap, the feed, permalinks and citations, embed codes, the API's links, download files).
SITE_URL = checked_site_url(os.getenv("SITE_URL", "http://127.0.0.1:8000"))

# The proxies in front of the app (nginx, a load balancer), whose X-Forwarded-For we believe.
# Empty (the default) believes no one: REMOTE_ADDR is then the visitor's address.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")

# The API's fair-use limit: requests per client address in each window of seconds, past which
# it answers 429 with Retry-After. Documented on /api/; tests raise it so only its own test meets it.
API_RATE_LIMIT = int(os.getenv("API_RATE_LIMIT", "300"))
API_RATE_WINDOW = int(os.getenv("API_RATE_WINDOW", "60"))

# An address shown on /contact/ beside the form, only when set; the form works without it.
CONTACT_EMAIL = os.getenv("CONTACT_EMAIL", "").strip()

# Where "Exit this page" goes: a neutral site that gives nothing away on a shared screen.
QUICK_EXIT_URL = os.getenv("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# django-csp. Scripts only from our own origin, never inline; nothing loads from other sites.
# Plotly.js sets inline styles on the charts it draws, so styles allow 'unsafe-inline' while
# we draw with Plotly (it does not support a nonce for them). Only embed views relax
# frame-ancestors (dashboard/middleware.py, framable_anywhere and FramingMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Form fields other than uploaded files; the contact form's largest post is a few kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Outbound links go to helplines: never tell another site which page a visitor came from.
# "same-origin" sends nothing to other sites; unlike "no-referrer" it lets the browser
# send the Origin header the admin's CSRF check needs (with no-referrer it sends "null").
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# Behind TLS (a load balancer or nginx that terminates HTTPS and sets X-Forwarded-Proto),
# HTTPS_ONLY=1 redirects plain HTTP to HTTPS and tells browsers to use HTTPS for a year.
# It is on by default in production; a deployment without TLS in front must turn it off.
HTTPS_ONLY = envbool("HTTPS_ONLY", "1" if PRODUCTION else "0")
if HTTPS_ONLY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A load balancer's health check asks over plain HTTP, from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "1")
    # Like GOV.UK, the site asks to be on browsers' HTTPS preload list. That covers every
    # subdomain and is slow to undo: a domain with plain-HTTP subdomains sets both to 0.
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "1")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

# One JSON object per line on standard error, each with its request's id
# (dashboard/request_log.py). Standard error, not standard output: a management command's
# output is only its output (`manage.py dumpdata stats > backup.json` writes JSON), and a
# log line is a diagnostic, as gunicorn's own error log (also standard error) is.
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dashboard.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "dashboard.request_log.JsonFormatter"},
        # The development server's "GET /about/ HTTP/1.1" 200 line, as Django prints it.
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "json",
        },
        "server": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "server"},
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Named so that Django's default console handler on it is replaced: with both, the
        # development server printed each of Django's lines twice, plain and as JSON.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        # Server errors with their traceback; a 404 is not worth a line each.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.db.backends": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # django-axes announces itself at INFO each time a process starts; its lockouts are warnings.
        "axes.apps": {"level": "WARNING"},
    },
}
