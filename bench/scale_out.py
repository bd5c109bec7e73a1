"""Scale out on real parts: two gunicorn instances behind nginx, sharing one PostgreSQL and one Redis.

    bench/scale_out                  # or: .venv/bin/python bench/scale_out.py

It starts its own PostgreSQL and Redis on spare ports (bench/services.py; the machine's own are
never touched), migrates, seeds and collects static files (with the outage page) as
scripts/production does, and starts two gunicorn instances (A and B) with one shared MEDIA_ROOT,
and nginx in front of them with deploy/nginx/dashboard.conf.template, serving /static/ itself
from the collected files. Then:

1. every instance, directly and through nginx, shows the same current release (this also fills
   any page cache with the old release);
2. an admin publishes a release through instance A alone, the way a person would: signs in to
   the admin over HTTP with its CSRF token and uploads a one-row CSV in the tidy template;
3. the very next request to instance B, then to A, then several through nginx, show the new
   release, and B's /data/figures.csv holds the new figure;
4. with both instances stopped, nginx still serves a hashed stylesheet itself (immutable), and
   answers a page with 502 and the outage page: quick exit, helplines, no-store.

It prints what every request got (status, release seen, cache header, which instance answered)
and exits 1 if any request shows the wrong release, nginx did not use both instances, or step 4
found nginx without its static files or its outage page.
The admin's path is read from ADMIN_PATH (default admin/), as the app reads it.
"""

import csv
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import services

ADMIN_PATH = os.getenv("ADMIN_PATH", "admin/").strip("/") + "/"
ADMIN_USER = "scale-out-admin"
PROBES = ("/healthz", "/api/v1/releases", "/whats-new/", "/data/figures.csv")
THROUGH_NGINX = 3  # rounds through the balancer after the publish: each path 6 times
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
    with services.temporary_postgres() as postgres, services.temporary_redis() as redis:
        media, static_root = work / "media", work / "static"
        password = secrets.token_urlsafe(18)
        env = services.app_environment(
            postgres.url,
            redis.url,
            MEDIA_ROOT=str(media),
            STATIC_ROOT=str(static_root),
            DJANGO_SUPERUSER_USERNAME=ADMIN_USER,
            DJANGO_SUPERUSER_EMAIL="scale-out@example.org",
            DJANGO_SUPERUSER_PASSWORD=password,
        )
        print(f"PostgreSQL {postgres.url}\nRedis      {redis.url}\nMEDIA_ROOT {media} (shared by both instances)")
        started = time.monotonic()
        for command in (["migrate", "--noinput"], ["seed"], ["createsuperuser", "--noinput"]):
            services.manage(env, *command)
        services.collect_static(env)
        print(f"migrate, seed, createsuperuser, collectstatic, outage page: {time.monotonic() - started:.1f} s")

        with (
            services.gunicorn(env, workers=2, threads=4, folder=_folder(work / "a")) as app_a,
            services.gunicorn(env, workers=2, threads=4, folder=_folder(work / "b")) as app_b,
            services.nginx([app_a, app_b], static_root=static_root, admin_path=ADMIN_PATH) as balancer,
        ):
            names = {app_a.port: "A", app_b.port: "B"}
            print(f"instance A {app_a.url}\ninstance B {app_b.url}")
            print(f"nginx      {balancer.url} (round robin over A and B; /static/ from {static_root})")
            log = AccessLog(balancer.folder / "access.log", names)
            targets = {"A": app_a.url, "B": app_b.url}

            print("\nBefore the publish: each instance directly, then through nginx")
            before = _survey(targets, balancer.url, log, rounds=1, order=("A", "B"))
            baseline = _single_release(before)
            if baseline is None:
                return _fail("the instances did not agree on the current release before the publish")
            print(f"every request showed release {baseline}")

            print(f"\nPublishing through instance A only ({app_a.url}/{ADMIN_PATH})")
            published = publish_through_admin(app_a.url, password)
            print(f"  the admin says: {published}")

            print("\nAfter the publish: B first (it took no part), then A, then through nginx")
            after = _survey(targets, balancer.url, log, rounds=THROUGH_NGINX, order=("B", "A"))
            expected = baseline + 1
            wrong = [seen for seen in after if seen.release is not None and seen.release != expected]
            # /healthz may not exist yet (404); every other answer must be a 200.
            unanswered = [
                seen for seen in after if seen.status != 200 and (seen.path, seen.status) != ("/healthz", 404)
            ]
            answered_by = {seen.upstream for seen in after if seen.target == "nginx"}
            both_for_each_path = all(
                {seen.upstream for seen in after if seen.target == "nginx" and seen.path == path} == {"A", "B"}
                for path in PROBES
            )
            figure_on_b = _new_figure_in_download(app_b.url)
            print(f"\nB's /data/figures.csv holds the new figure: {figure_on_b}")
            print(f"nginx's requests were answered by: {', '.join(sorted(answered_by))}")
            if wrong or unanswered:
                for seen in wrong + unanswered:
                    print("WRONG:", seen.line())
                return _fail(f"{len(wrong) + len(unanswered)} requests did not show release {expected}")
            if not both_for_each_path:
                return _fail("nginx did not send each path to both instances")
            if not figure_on_b:
                return _fail("instance B's download does not hold the figure published through A")

            print("\nBoth instances stopped: nginx alone")
            app_a.stop()
            app_b.stop()
            if not _static_from_nginx_itself(balancer.url, static_root, log):
                return _fail("nginx did not serve the stylesheet itself, immutable, with no app server running")
            if not _outage_page_from_nginx(balancer.url):
                return _fail("nginx's answer with every app server down was not the outage page")
            shown = sum(1 for seen in after if seen.release == expected)
            print(
                f"\nPASS: all {shown} answers that name a release showed release {expected}, on A, B and nginx;"
                " with both stopped, nginx served the stylesheet and the outage page"
            )
    return 0


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


# Asking every instance which release it shows ---------------------------------------------------------


def _survey(targets: dict[str, str], balancer: str, log: "AccessLog", *, rounds: int, order) -> list[Seen]:
    seen = []
    for name in order:
        for path in PROBES:
            seen.append(_ask(name, targets[name] + path, path, upstream=name))
            print(seen[-1].line())
    # Each path twice running: round robin sends one of each pair to A and the other to B.
    for _ in range(rounds):
        for path in PROBES:
            for _ in range(2):
                log.skip_to_end()
                answer = _ask("nginx", balancer + path, path, upstream="?")
                answer.upstream = log.next_upstream()
                seen.append(answer)
                print(answer.line())
    return seen


def _ask(target: str, url: str, path: str, *, upstream: str) -> Seen:
    status, headers, body = _fetch(url)
    release = _release_in(path, headers, body) if status == 200 else None
    return Seen(target, path, status, release, headers.get("X-Cache", ""), upstream)


def _fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local servers
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


def _outage_page_from_nginx(balancer: str) -> bool:
    status, headers, body = _fetch(balancer + "/whats-new/")
    text = body.decode(errors="replace")
    missing = [words for words in OUTAGE_PAGE_MUST_SAY if words not in text]
    cache_control = headers.get("Cache-Control", "")
    print(
        f"  nginx    /whats-new/  {status}  Cache-Control {cache_control or '-'}"
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
