"""Scale out on real parts: two gunicorn instances behind nginx, sharing one PostgreSQL (through
pgbouncer) and one Redis.

    bench/scale_out                  # or: .venv/bin/python bench/scale_out.py

It starts its own PostgreSQL (max_connections=20, so the arithmetic is easy to check) and Redis on
spare ports (bench/services.py; the machine's own are never touched), makes the app's own role,
and runs the release job straight to PostgreSQL as compose.yaml does: migrate, seed,
createsuperuser, the role's connection settings (deploy/role_settings.py), collectstatic and the
outage page. Then:

1. connections: two app servers (3 workers x 4 threads each, so up to 2 x 3 x 5 = 30 connections
   wanted) straight to PostgreSQL, under load, then the same two through pgbouncer in transaction
   mode (deploy/pgbouncer/pgbouncer.ini.template, a pool of 8 and 2 in reserve). It prints the most
   connections PostgreSQL held for the app, what the load got, and PostgreSQL's refusals. Through
   pgbouncer the app must never hold more than the pool allows, nor get an error;
2. with two instances (A and B) through pgbouncer, one shared MEDIA_ROOT and nginx in front
   (deploy/nginx/dashboard.conf.template, serving /static/ itself and keeping pages 10 s), every
   instance, directly and through nginx, shows the same current release;
3. an admin publishes a release through instance A alone, the way a person would: signs in to
   the admin over HTTP with its CSRF token and uploads a one-row CSV in the tidy template;
4. the very next request to instance B, then to A, show the new release, and B's
   /data/figures.csv holds the new figure; through nginx the release shows once the copies it
   keeps expire, within 10 s (far inside the pages' s-maxage of 300 s), and requests that
   reach the app (a cookie) still go round robin to both instances;
5. with both instances stopped, nginx still serves a hashed stylesheet itself (immutable), a page
   it kept (stale, as the pages' stale-if-error allows), and answers a page it never kept with
   502 and the outage page: quick exit, helplines, no-store.

It prints what every request got (status, release seen, cache header, which instance answered)
and exits 1 if any expectation fails. The admin's path is read from ADMIN_PATH (default admin/),
as the app reads it.
"""

import csv
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))

import connection_count
import services

ADMIN_PATH = os.getenv("ADMIN_PATH", "admin/").strip("/") + "/"
ADMIN_USER = "scale-out-admin"
PROBES = ("/healthz", "/api/v1/releases", "/whats-new/", "/data/figures.csv")
NGINX_KEEPS = 10  # seconds nginx keeps a page (deploy/nginx/dashboard.conf.template)
S_MAXAGE = 300  # the pages' own (settings.PAGE_CACHE_CONTROL)
# A page nobody asked for before the app servers stop, so nginx has kept no copy of it.
NEVER_KEPT = "/areas/E23000017/"
# A request with a cookie is never answered from nginx's cache: it shows which instance answers.
TO_THE_APP = {"Cookie": "scale-out=round-robin"}

# The connection arithmetic (docs/deploy.md, "PostgreSQL connections"), small enough to check.
MAX_CONNECTIONS = 20  # PostgreSQL's, of which 3 are kept for superusers (superuser_reserved_connections)
FOR_THE_APP = MAX_CONNECTIONS - 3
APP_ROLE = "dashboard"  # an ordinary role, as in production: it cannot take the superusers' 3
WORKERS, THREADS = 3, 4  # per app server: up to WORKERS x (THREADS + 1) connections, the +1 its database watch
POOL_SIZE, RESERVE_POOL_SIZE = 8, 2  # pgbouncer's server connections: at most 10
LOAD_CONNECTIONS, LOAD_SECONDS = 48, 15
# What nginx's outage page must offer while no app server answers (templates/unavailable.html).
OUTAGE_PAGE_MUST_SAY = ("Exit this page", "999", "101", "CEOP", "0800 1111", "0808 800 5000")

# One new figure in the tidy template (README "Publishing new figures"; stats/importers/tidy.py):
# a value for a year the seed has no figure for, close to the area's earlier ones, so the
# preview has no warnings to tick.
DEMO_ROW = {
    "geography_code": "E23000014",
    "period_label": "2024/25",
    "period_start": "2024-04-01",
    "period_end": "2025-03-31",
    "offence": "sexual-communication-with-a-child",
    "measure": "offences-recorded",
    "platform": "",
    "value": "150",
    "unit": "count",
    "note": "Made up by bench/scale_out to show a release reaching every server; never real data.",
    "qualifier": "",
    "coverage": "",
}
DEMO_SOURCE = {
    "source_publisher": "Scale-out demo",
    "source_title": "bench/scale_out: a release published through one app server",
    "source_published": "2026-01",
    "source_url": "https://example.org/scale-out-demo",
    "source_coverage": "",
}


@dataclass
class Seen:
    target: str
    path: str
    status: int
    release: int | None
    cache: str
    upstream: str

    def line(self) -> str:
        release = "-" if self.release is None else str(self.release)
        return (
            f"  {self.target:<8} {self.path:<20} {self.status:>3}  release {release:>2}"
            f"  x-cache {self.cache or '-':<5} via {self.upstream}"
        )


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="scale-out-"))
    work.chmod(0o755)  # nginx's workers (nobody, when started by root) read the static files in it
    result = 1
    try:
        result = scale_out(work)
    finally:
        if result == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"The app servers' logs and MEDIA_ROOT are kept in {work}")
    return result


def scale_out(work: Path) -> int:
    with (
        services.temporary_postgres(max_connections=MAX_CONNECTIONS) as postgres,
        services.temporary_redis() as redis,
    ):
        _make_app_role(postgres)
        media, static_root = work / "media", work / "static"
        password = secrets.token_urlsafe(18)
        direct = f"postgres://{APP_ROLE}@127.0.0.1:{postgres.port}/drill"
        env = services.app_environment(
            direct,
            redis.url,
            MEDIA_ROOT=str(media),
            STATIC_ROOT=str(static_root),
            TRUSTED_PROXIES="127.0.0.1",
            DJANGO_SUPERUSER_USERNAME=ADMIN_USER,
            DJANGO_SUPERUSER_EMAIL="scale-out@example.org",
            DJANGO_SUPERUSER_PASSWORD=password,
        )
        print(f"PostgreSQL {postgres.url} (max_connections={MAX_CONNECTIONS}: {FOR_THE_APP} for role {APP_ROLE})")
        print(f"Redis      {redis.url}\nMEDIA_ROOT {media} (shared by both instances)")
        started = time.monotonic()
        for command in (["migrate", "--noinput"], ["seed"], ["createsuperuser", "--noinput"]):
            services.manage(env, *command)
        subprocess.run([str(services.PYTHON), "-m", "deploy.role_settings"], cwd=services.PROJECT, env=env, check=True)
        services.collect_static(env)
        took = time.monotonic() - started
        print(f"release job (migrate, seed, createsuperuser, role settings, static files): {took:.1f} s")

        wanted = 2 * WORKERS * (THREADS + 1)
        print(
            f"\n1. Connections: two app servers of {WORKERS} workers x {THREADS} threads want up to"
            f" 2 x {WORKERS} x ({THREADS} + 1) = {wanted}; PostgreSQL allows role {APP_ROLE} {FOR_THE_APP}"
        )
        print(
            f"   {LOAD_CONNECTIONS} connections for {LOAD_SECONDS} s through nginx, each request with a session cookie"
        )
        print("   (so every page is built from the database), first straight to PostgreSQL:")
        straight = _connections_under_load(env, work / "straight", postgres, static_root, pooled_by=None)
        with services.pgbouncer(
            postgres, database="drill", users=[APP_ROLE], pool_size=POOL_SIZE, reserve_pool_size=RESERVE_POOL_SIZE
        ) as bouncer:
            pooled_env = {**env, "DATABASE_URL": bouncer.url, "DISABLE_SERVER_SIDE_CURSORS": "1"}
            print(
                f"   then through pgbouncer {bouncer.url} (transaction mode, pool {POOL_SIZE} + {RESERVE_POOL_SIZE}):"
            )
            pooled = _connections_under_load(pooled_env, work / "pooled", postgres, static_root, pooled_by=bouncer)
            if straight.peaks.app_role <= pooled.peaks.app_role:
                print("   (straight to PostgreSQL held no more connections than through pgbouncer)")
            if pooled.peaks.app_role > POOL_SIZE + RESERVE_POOL_SIZE or pooled.refused or pooled.load.errors:
                return _fail("through pgbouncer the app servers went past the pool, or got errors")
            return _publish_and_survey(work, pooled_env, static_root, password)


def _make_app_role(postgres: services.Server) -> None:
    """An ordinary role that owns the database, as a managed PostgreSQL's app user does."""
    connection = psycopg2.connect(host="127.0.0.1", port=postgres.port, user="postgres", dbname="drill")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
        cursor.execute(f"ALTER DATABASE drill OWNER TO {APP_ROLE}")
    connection.close()


@dataclass
class UnderLoad:
    peaks: connection_count.Peaks
    load: connection_count.Load
    refused: list[str]


def _connections_under_load(
    env: dict[str, str], folder: Path, postgres: services.Server, static_root: Path, *, pooled_by
) -> UnderLoad:
    """Two app servers and nginx in front, `LOAD_CONNECTIONS` of load for `LOAD_SECONDS`, and the
    most connections PostgreSQL held meanwhile; one line printed."""
    folder.mkdir()
    log = postgres.folder / "postgres.log"
    log_start = log.stat().st_size
    with (
        services.gunicorn(env, workers=WORKERS, threads=THREADS, folder=_folder(folder / "a")) as app_a,
        services.gunicorn(env, workers=WORKERS, threads=THREADS, folder=_folder(folder / "b")) as app_b,
        services.nginx([app_a, app_b], static_root=static_root, admin_path=ADMIN_PATH) as balancer,
        connection_count.watching(
            postgres.port, APP_ROLE, pgbouncer_port=pooled_by.port if pooled_by else None
        ) as peaks,
    ):
        load = connection_count.load(balancer.url, connections=LOAD_CONNECTIONS, seconds=LOAD_SECONDS)
    with log.open(errors="replace") as handle:
        handle.seek(log_start)
        refused = connection_count.refusals(handle.read())
    through = (
        f"; pgbouncer: up to {peaks.pgbouncer_clients} clients, {peaks.pgbouncer_waiting} waiting at once,"
        f" longest wait {peaks.pgbouncer_longest_wait_ms:.0f} ms"
        if pooled_by
        else ""
    )
    print(
        f"     most connections held for {APP_ROLE}: {peaks.app_role} of {FOR_THE_APP}"
        f" (every client: {peaks.all_clients}, {peaks.samples} looks); refused by PostgreSQL: {len(refused)}{through}"
    )
    print(
        f"     {load.requests} requests in {load.seconds:.0f} s, {load.errors} errors (status >= 400 or socket),"
        f" p50 {load.p50_ms:.0f} ms, p99 {load.p99_ms:.0f} ms"
    )
    if refused:
        print(f"     e.g. {refused[0].strip()[:160]}")
    return UnderLoad(peaks, load, refused)


def _publish_and_survey(work: Path, env: dict[str, str], static_root: Path, password: str) -> int:
    with (
        services.gunicorn(env, workers=2, threads=4, folder=_folder(work / "a")) as app_a,
        services.gunicorn(env, workers=2, threads=4, folder=_folder(work / "b")) as app_b,
        services.nginx([app_a, app_b], static_root=static_root, admin_path=ADMIN_PATH) as balancer,
    ):
        names = {app_a.port: "A", app_b.port: "B"}
        print(f"\ninstance A {app_a.url}\ninstance B {app_b.url}  (both through pgbouncer)")
        print(f"nginx      {balancer.url} (round robin over A and B; keeps pages {NGINX_KEEPS} s)")
        log = AccessLog(balancer.folder / "access.log", names)
        targets = {"A": app_a.url, "B": app_b.url}

        print("\n2. Before the publish: each instance directly, then through nginx (each path twice)")
        before = [*_ask_each(targets, order=("A", "B")), *_through_nginx(balancer.url, log)]
        baseline = _single_release(before)
        if baseline is None:
            return _fail("the instances did not agree on the current release before the publish")
        print(f"every request showed release {baseline}")

        print(f"\n3. Publishing through instance A only ({app_a.url}/{ADMIN_PATH})")
        published = publish_through_admin(app_a.url, password)
        published_at = time.monotonic()
        print(f"  the admin says: {published}")

        expected = baseline + 1
        print("\n4. After the publish: B first (it took no part), then A")
        direct = _ask_each(targets, order=("B", "A"))
        # /healthz may not exist yet (404); every other answer must be a 200.
        wrong = [seen for seen in direct if seen.release is not None and seen.release != expected]
        unanswered = [seen for seen in direct if seen.status != 200 and (seen.path, seen.status) != ("/healthz", 404)]
        figure_on_b = _new_figure_in_download(app_b.url)
        print(f"B's /data/figures.csv holds the new figure: {figure_on_b}")
        if wrong or unanswered:
            for seen in wrong + unanswered:
                print("WRONG:", seen.line())
            return _fail(f"{len(wrong) + len(unanswered)} requests did not show release {expected}")
        if not figure_on_b:
            return _fail("instance B's download does not hold the figure published through A")

        print(f"Through nginx, every path every half second until each shows release {expected}:")
        shown_after = _until_nginx_shows(balancer.url, log, expected, published_at)
        if shown_after is None:
            return _fail(f"nginx still showed an older release {NGINX_KEEPS + 3} s after the publish")
        print(
            f"every path showed release {expected} through nginx {shown_after:.1f} s after the publish"
            f" (nginx keeps a page {NGINX_KEEPS} s; the pages' s-maxage is {S_MAXAGE} s)"
        )
        print("Requests that reach the app (with a cookie), each path twice: round robin")
        reached = _through_nginx(balancer.url, log, headers=TO_THE_APP)
        if any(
            seen.release not in (None, expected) or seen.status != 200 for seen in reached if seen.path != "/healthz"
        ):
            return _fail(f"a request through nginx to the app did not show release {expected}")
        both = all({seen.upstream for seen in reached if seen.path == path} == {"A", "B"} for path in PROBES)
        if not both:
            return _fail("nginx did not send each path to both instances")

        print("\n5. Both instances stopped: nginx alone")
        app_a.stop()
        app_b.stop()
        if not _static_from_nginx_itself(balancer.url, static_root, log):
            return _fail("nginx did not serve the stylesheet itself, immutable, with no app server running")
        if not _kept_page_from_nginx(balancer.url, expected):
            return _fail("nginx did not send the page it kept while no app server answered")
        if not _outage_page_from_nginx(balancer.url):
            return _fail("nginx's answer with every app server down was not the outage page")
        print(
            f"\nPASS: through pgbouncer the app held at most {POOL_SIZE + RESERVE_POOL_SIZE} connections; A and B"
            f" showed release {expected} at once, nginx {shown_after:.1f} s after the publish; with both stopped,"
            " nginx served the stylesheet, its kept page and the outage page"
        )
    return 0


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


# Asking every instance which release it shows ---------------------------------------------------------


def _ask_each(targets: dict[str, str], *, order) -> list[Seen]:
    seen = []
    for name in order:
        for path in PROBES:
            seen.append(_ask(name, targets[name] + path, path, upstream=name))
            print(seen[-1].line())
    return seen


def _through_nginx(balancer: str, log: "AccessLog", *, headers: dict | None = None, quiet: bool = False) -> list[Seen]:
    """Each path twice running through nginx: with no cookie the second comes from nginx's cache;
    with one, round robin sends one of each pair to A and the other to B."""
    seen = []
    for path in PROBES:
        for _ in range(2):
            log.skip_to_end()
            answer = _ask("nginx", balancer + path, path, upstream="?", headers=headers)
            answer.upstream = log.next_upstream() or "nginx itself"
            seen.append(answer)
            if not quiet:
                print(answer.line())
    return seen


def _until_nginx_shows(balancer: str, log: "AccessLog", release: int, since: float) -> float | None:
    """Seconds from `since` until every path through nginx shows `release`, or None after
    NGINX_KEEPS + 3 s. Prints each round's answers in one line."""
    while time.monotonic() - since < NGINX_KEEPS + 3:
        seen = _through_nginx(balancer, log, quiet=True)
        elapsed = time.monotonic() - since
        summary = ", ".join(f"{answer.path} {answer.release}/{answer.cache or '-'}" for answer in seen[::2])
        print(f"  {elapsed:5.1f} s  {summary}")
        if all(answer.release in (None, release) for answer in seen):
            return elapsed
        time.sleep(0.5)
    return None


def _ask(target: str, url: str, path: str, *, upstream: str, headers: dict | None = None) -> Seen:
    status, answer_headers, body = _fetch(url, headers)
    release = _release_in(path, answer_headers, body) if status == 200 else None
    cache = answer_headers.get("X-Nginx-Cache" if target == "nginx" else "X-Cache", "")
    return Seen(target, path, status, release, cache, upstream)


def _fetch(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own local servers
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own local servers
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _release_in(path: str, headers, body: bytes) -> int | None:
    """The release number each probe shows, read the way a person or a program would read it."""
    if path == "/healthz":
        return json.loads(body).get("release")  # dashboard/views/health.py
    if path == "/api/v1/releases":
        return json.loads(body)["results"][0]["number"]  # newest first
    if path == "/whats-new/":
        found = re.search(rb"Release (\d+):", body)  # the newest release's heading
        return int(found.group(1)) if found else None
    found = re.search(r"release-(\d+)\.csv", headers.get("Content-Disposition", ""))
    return int(found.group(1)) if found else None


def _single_release(seen: list[Seen]) -> int | None:
    releases = {answer.release for answer in seen if answer.release is not None}
    return releases.pop() if len(releases) == 1 else None


def _new_figure_in_download(base_url: str) -> bool:
    with urllib.request.urlopen(base_url + "/data/figures.csv", timeout=10) as response:  # noqa: S310
        text = response.read().decode("utf-8-sig")
    return any(DEMO_SOURCE["source_title"] in ",".join(row) for row in csv.reader(io.StringIO(text)))


# nginx alone, with every app server stopped ------------------------------------------------------------


def _static_from_nginx_itself(balancer: str, static_root: Path, log: "AccessLog") -> bool:
    """The hashed stylesheet comes from nginx's disk: 200, immutable, and no upstream in the log."""
    path = "/static/" + json.loads((static_root / "staticfiles.json").read_text())["paths"]["css/site.css"]
    log.skip_to_end()
    status, headers, _ = _fetch(balancer + path)
    upstream = log.next_upstream() or "nginx itself"
    cache_control = headers.get("Cache-Control", "")
    print(f"  nginx    {path}  {status}  {cache_control}  via {upstream}")
    return status == 200 and "immutable" in cache_control and upstream == "nginx itself"


def _kept_page_from_nginx(balancer: str, release: int) -> bool:
    """A page nginx kept is still sent although no app server answers: while it is fresh (HIT),
    and once it has expired too (STALE), as the pages' stale-if-error allows."""
    seen = []
    for wait in (0, NGINX_KEEPS + 2):  # nginx counts whole seconds: expired within 11 s
        time.sleep(wait)
        status, headers, body = _fetch(balancer + "/whats-new/")
        shown = _release_in("/whats-new/", headers, body) if status == 200 else None
        cache = headers.get("X-Nginx-Cache", "-")
        print(
            f"  nginx    /whats-new/  {status}  release {shown}  X-Nginx-Cache {cache}"
            + (f" ({wait} s later)" if wait else "")
        )
        seen.append((status, shown, cache))
        if cache == "STALE":
            break
    return all(status == 200 and shown == release for status, shown, _ in seen) and seen[-1][2] == "STALE"


def _outage_page_from_nginx(balancer: str) -> bool:
    status, headers, body = _fetch(balancer + NEVER_KEPT)
    text = body.decode(errors="replace")
    missing = [words for words in OUTAGE_PAGE_MUST_SAY if words not in text]
    cache_control = headers.get("Cache-Control", "")
    print(
        f"  nginx    {NEVER_KEPT}  {status}  Cache-Control {cache_control or '-'}"
        f"  outage page: {'everything' if not missing else 'MISSING ' + ', '.join(missing)}"
    )
    return status == 502 and cache_control == "no-store" and not missing


class AccessLog:
    """nginx's access log (JSON lines): which instance answered the request just made."""

    def __init__(self, path: Path, names: dict[int, str]) -> None:
        self.path, self.names, self.offset = path, names, 0

    def skip_to_end(self) -> None:
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def next_upstream(self) -> str:
        deadline = time.monotonic() + 2  # nginx writes the line as the request ends
        while time.monotonic() < deadline:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                line = handle.readline()
            if line.endswith(b"\n"):
                upstream = json.loads(line)["upstream"]
                port = int(upstream.rsplit(":", 1)[1]) if ":" in upstream else 0
                return self.names.get(port, upstream)
            time.sleep(0.02)
        return "?"


# The admin, over HTTP, as a person's browser would use it ---------------------------------------------


class Browser:
    """Cookies and the CSRF token, as a browser keeps them. The session and CSRF cookies are
    Secure (DEBUG is off); browsers send Secure cookies to http://127.0.0.1 too, as a secure
    context, so this jar does the same."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.cookies = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects())

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base_url + path))  # noqa: S310 - our own servers

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None):
        body, content_type = _multipart(fields, files or {})
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", content_type)
        request.add_header("Origin", self.base_url)  # what a browser sends with a form post
        request.add_header("Referer", self.base_url + path)
        return self._open(request)

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx land here too: we follow nothing ourselves
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")

    @staticmethod
    def csrf_token(html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not found:
            raise RuntimeError("no CSRF token in the form")
        return found.group(1)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (file_name, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def publish_through_admin(base_url: str, password: str) -> str:
    """Sign in, upload one tidy CSV, read the preview, publish. Returns the admin's message."""
    admin = f"/{ADMIN_PATH}"
    browser = Browser(base_url)
    status, _, html = browser.get(f"{admin}login/")
    _expect(status == 200, f"GET {admin}login/ gave {status}")
    status, location, _ = browser.post(
        f"{admin}login/",
        {"csrfmiddlewaretoken": browser.csrf_token(html), "username": ADMIN_USER, "password": password, "next": admin},
    )
    _expect(status == 302 and location == admin, f"login: {status} to {location!r}, expected 302 to {admin}")
    print(f"  POST {admin}login/ -> {status} {location} (signed in)")

    status, _, html = browser.get(f"{admin}stats/upload/add/")
    _expect(status == 200, f"GET the upload form gave {status}")
    content = _tidy_csv(DEMO_ROW)
    fields = {"csrfmiddlewaretoken": browser.csrf_token(html), "format": "tidy", **DEMO_SOURCE}
    status, preview, _ = browser.post(f"{admin}stats/upload/add/", fields, {"file": ("scale-out.csv", content)})
    _expect(status == 302 and "/preview/" in preview, f"upload: {status} to {preview!r}, expected the preview")
    print(f"  POST {admin}stats/upload/add/ ({len(content)} bytes, tidy CSV) -> {status} {preview}")

    status, _, html = browser.get(preview)
    _expect(status == 200 and 'name="publish"' in html, f"the preview ({status}) offers no Publish button")
    new = re.search(r"<strong>(\d+)</strong> new figure", html)
    print(f"  GET {preview} -> {status}: {new.group(1) if new else '?'} new figure(s), nothing written yet")
    decision = {"csrfmiddlewaretoken": browser.csrf_token(html), "publish": "Publish"}
    if 'name="warnings_checked"' in html:
        decision["warnings_checked"] = "yes"
        print("  the preview has warnings: ticked")
    status, release_page, _ = browser.post(preview, decision)
    _expect(status == 302 and "/stats/release/" in release_page, f"publish: {status} to {release_page!r}")
    status, _, html = browser.get(release_page)
    message = re.search(r"Published release \d+[^<]*", html)
    print(f"  POST {preview} publish -> 302 {release_page}")
    return message.group(0) if message else f"(no message; release page {status})"


def _tidy_csv(row: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def _expect(condition: bool, problem: str) -> None:
    if not condition:
        raise SystemExit(f"FAIL: {problem}")


def _fail(problem: str) -> int:
    print(f"\nFAIL: {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
