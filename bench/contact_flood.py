"""The contact form under a flood (issue 23): how many of 1,000 posts from one address are stored,
whether other senders still get through, and what happens when Redis stops.

It starts its own PostgreSQL and Redis on spare ports (bench/services.py; never the machine's
shared ones), migrates, and runs gunicorn with the project's gunicorn.conf.py and
TRUSTED_PROXIES=127.0.0.1, so each request's X-Forwarded-For names its sender as nginx would:

    flood        1,000 valid posts from one address, from several threads at once
    other        one post from another address while the first is over its limit
    redis-stop   Redis shut down, then posts from a third address: the limit fails open
    headers      a page, a 405, a 413, a 404 and a static file: the same security headers

It prints what each phase got and a verdict per expectation; the exit status is 0 only if
every expectation held.

    .venv/bin/python bench/contact_flood.py
    .venv/bin/python bench/contact_flood.py --posts 2000 --threads 16
"""

import argparse
import contextlib
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg2
import services

FLOODER, OTHER, DURING_OUTAGE = "203.0.113.10", "203.0.113.11", "203.0.113.12"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 303 is the answer we count, not the thank-you page after it


_opener = urllib.request.build_opener(_NoRedirect)


def request(url: str, *, method: str = "GET", data: bytes | None = None, sender: str = "") -> tuple[int, dict, bytes]:
    headers = {"X-Forwarded-For": sender} if sender else {}
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        asked = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - our own server
        with _opener.open(asked, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_message(app_url: str, sender: str, n: int) -> int:
    body = urllib.parse.urlencode({"topic": "other", "message": f"Flood message {n} from {sender}"}).encode()
    return request(f"{app_url}/contact/", method="POST", data=body, sender=sender)[0]


def stored_from(database_url: str, sender: str) -> int:
    with contextlib.closing(psycopg2.connect(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM feedback_contactmessage WHERE message LIKE %s", [f"% from {sender}"])
        return cursor.fetchone()[0]


def flood(app_url: str, sender: str, posts: int, threads: int) -> tuple[Counter, float]:
    statuses: Counter = Counter()
    lock = threading.Lock()
    numbers = iter(range(posts))

    def worker() -> None:
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            status = post_message(app_url, sender, n)
            with lock:
                statuses[status] += 1

    began = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return statuses, time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1000, help="posts in the flood (1000)")
    parser.add_argument("--threads", type=int, default=8, help="posting at once (8)")
    parser.add_argument("--outage-posts", type=int, default=20, help="posts while Redis is stopped (20)")
    args = parser.parse_args()
    verdicts: list[tuple[str, bool]] = []

    with contextlib.ExitStack() as stack:
        pg = stack.enter_context(services.temporary_postgres())
        redis = stack.enter_context(services.temporary_redis())
        static_root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drill-static-")))
        env = services.app_environment(pg.url, redis.url, TRUSTED_PROXIES="127.0.0.1", STATIC_ROOT=str(static_root))
        services.manage(env, "migrate", "--noinput")
        services.manage(env, "collectstatic", "--noinput")
        app = stack.enter_context(services.gunicorn(env, workers=2, threads=4))
        print(f"PostgreSQL on port {pg.port}, Redis on port {redis.port}, gunicorn at {app.url} (2 workers, 4 threads)")

        statuses, seconds = flood(app.url, FLOODER, args.posts, args.threads)
        stored = stored_from(pg.url, FLOODER)
        print(f"flood: {args.posts} posts from {FLOODER} in {seconds:.1f} s: {dict(sorted(statuses.items()))}")
        print(f"flood: {stored} stored")

        status, headers, body = request(
            f"{app.url}/contact/", method="POST", data=b"topic=other&message=x", sender=FLOODER
        )
        # The limit is the one the refusal states (feedback/views.py, MESSAGES_PER_ADDRESS).
        stated = re.search(rb"We take up to (\d+) messages an hour", body)
        limit = int(stated.group(1)) if stated else -1
        print(f"flood: one more post: {status}, Retry-After {headers.get('Retry-After', '')}, stated limit {limit}")
        verdicts.append((f"only the stated limit of {args.posts} posts from one address stored", stored == limit))
        verdicts.append(("every other post answered 429", statuses == Counter({303: limit, 429: args.posts - limit})))
        kept = status == 429 and b">x</textarea>" in body and "Retry-After" in headers
        verdicts.append(("the refusal keeps the message and says when to send it", kept))
        verdicts.append(("the refusal still shows 999 and CEOP", b'href="tel:999"' in body and b"CEOP" in body))

        status = post_message(app.url, OTHER, 0)
        print(f"other: one post from {OTHER}: {status}")
        verdicts.append(("another address still gets through", status == 303 and stored_from(pg.url, OTHER) == 1))

        redis.stop()
        began = time.monotonic()
        outage = Counter(post_message(app.url, DURING_OUTAGE, n) for n in range(args.outage_posts))
        seconds = time.monotonic() - began
        stored = stored_from(pg.url, DURING_OUTAGE)
        print(f"redis-stop: {args.outage_posts} posts from {DURING_OUTAGE} in {seconds:.1f} s: {dict(outage)}")
        print(f"redis-stop: {stored} stored (nothing can be counted: the limit fails open)")
        verdicts.append(("with Redis stopped the form still works", outage == Counter({303: args.outage_posts})))

        page = request(f"{app.url}/contact/")
        answers = {
            "405": request(f"{app.url}/about/", method="DELETE"),
            "413": request(f"{app.url}/contact/", method="POST", data=b"message=" + b"x" * 200_000),
            "404": request(f"{app.url}/areas/%01/"),
            "static file": request(f"{app.url}/static/css/site.css"),
        }
        expected = {name: page[1].get(name) for name in SECURITY_HEADERS}
        for name, (status, headers, _) in answers.items():
            same = {header: headers.get(header) for header in SECURITY_HEADERS} == expected
            print(f"headers: {name} ({status}): {'the same as a page' if same else 'DIFFERENT'}")
            verdicts.append((f"the {name} carries the page's security headers", same and all(expected.values())))

    print()
    for text, held in verdicts:
        print(f"{'PASS' if held else 'FAIL'}  {text}")
    return 0 if all(held for _, held in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
