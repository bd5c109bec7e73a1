"""Page weight: how many bytes a first-time visitor downloads for each page.

Loads every page in headless Chromium (Debian's, never Playwright's download) with a
fresh browser context, so the cache is empty as on a first visit, scrolls to the
bottom so lazily loaded scripts (charts) load too, waits for the network to go idle
and adds up the bytes that went over the wire as Chromium's DevTools protocol counts
them (encodedDataLength: compressed body plus headers).

It measures, it never fails: the exit status is 0 even for pages over the budget or
pages that did not load.

    .venv/bin/python bench/page_weight.py                      # default pages
    .venv/bin/python bench/page_weight.py --verbose / /trends/  # per-resource lines
    .venv/bin/python bench/page_weight.py --base-url http://127.0.0.1:8001
"""

import argparse
import sys

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

DEFAULT_PATHS = [
    "/",
    "/trends/",
    "/areas/",
    "/areas/E23000014/",
    "/platforms/",
    "/outcomes/",
    "/sources/",
    "/about/",
]
CHROMIUM = "/usr/bin/chromium"
# No sandbox: we run as root. The others stop Chromium's own traffic (updates, field
# trials, safe browsing lists), which would fail offline and is not the page's weight.
# Even so Chromium 156 still asks update.googleapis.com for its on-device AI model, so
# the resolver rule makes every name but the local ones unresolvable: no DNS query and
# no connection ever leaves the machine (a page's external resources would fail too).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
# What Chromium sends by default (over HTTPS and to localhost); set explicitly so the
# server picks the same compressed variant a real visitor's browser gets.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def scroll_to_bottom(page, max_steps=60):
    """Scroll one screen at a time, so every IntersectionObserver along the way fires."""
    for _ in range(max_steps):
        at_bottom = page.evaluate(
            """() => {
                window.scrollBy(0, window.innerHeight);
                return window.innerHeight + window.scrollY
                    >= document.documentElement.scrollHeight - 2;
            }"""
        )
        page.wait_for_timeout(100)  # give observers and lazy loads a moment to start
        if at_bottom:
            break


def measure(browser, url, timeout_ms):
    """Load url in a fresh context; return (http status, list of resource dicts)."""
    context = browser.new_context(extra_http_headers={"Accept-Encoding": ACCEPT_ENCODING})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    resources = {}  # CDP requestId -> facts about that request

    def on_request(e):
        # Redirects reuse the requestId; the last hop's numbers win, which is close enough.
        resources.setdefault(e["requestId"], {"url": e["request"]["url"], "bytes": 0, "decoded": 0})

    def on_response(e):
        r = resources.setdefault(e["requestId"], {"url": e["response"]["url"], "bytes": 0, "decoded": 0})
        headers = {k.lower(): v for k, v in e["response"]["headers"].items()}
        r.update(status=e["response"]["status"], type=e["type"], encoding=headers.get("content-encoding", ""))

    def on_data(e):
        r = resources.get(e["requestId"])
        if r is not None:
            r["decoded"] += e["dataLength"]  # body size after decompression

    def on_finished(e):
        r = resources.get(e["requestId"])
        if r is not None:
            r["bytes"] = e["encodedDataLength"]  # total on the wire, headers included

    def on_failed(e):
        r = resources.get(e["requestId"])
        if r is not None:
            r["failed"] = e.get("errorText", "failed")

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.dataReceived", on_data)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.loadingFailed", on_failed)
    cdp.send("Network.enable")
    try:
        response = page.goto(url, wait_until="load", timeout=timeout_ms)
        scroll_to_bottom(page)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        status = response.status if response else None
    finally:
        context.close()
    # data: and blob: URLs never touch the network.
    return status, [r for r in resources.values() if r["url"].startswith(("http:", "https:"))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--budget-kb", type=float, default=450, help="flag pages heavier than this")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per page")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every resource")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    header = f"{'path':<24} {'status':>6} {'requests':>8} {'KB transferred':>14} {'KB decoded':>10}"
    print(f"{header}  budget {args.budget_kb:g} KB")
    over = failed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in args.paths:
            try:
                status, resources = measure(browser, base + path, args.timeout * 1000)
            except PlaywrightError as exc:
                print(f"{path:<24} error: {str(exc).splitlines()[0]}")
                failed += 1
                continue
            kb = sum(r["bytes"] for r in resources) / 1024
            decoded = sum(r["decoded"] for r in resources) / 1024
            flag = "OVER BUDGET" if kb > args.budget_kb else "ok"
            over += kb > args.budget_kb
            print(f"{path:<24} {status or '-':>6} {len(resources):>8} {kb:>14.1f} {decoded:>10.1f}  {flag}")
            if args.verbose:
                for r in sorted(resources, key=lambda r: -r["bytes"]):
                    note = r.get("failed") or r.get("encoding") or "identity"
                    print(
                        f"    {r.get('status', '-')!s:>3} {r.get('type', '?'):<10} {r['bytes'] / 1024:>8.1f} KB"
                        f" ({r['decoded'] / 1024:.1f} KB decoded, {note})  {r['url']}"
                    )
        browser.close()
    print(
        f"{over} of {len(args.paths)} pages over the {args.budget_kb:g} KB budget"
        + (f", {failed} did not load (is the site running at {base}?)" if failed else "")
    )
    return 0  # measuring only: never fail


if __name__ == "__main__":
    sys.exit(main())
