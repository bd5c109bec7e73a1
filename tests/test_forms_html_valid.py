"""Every form on the public site is valid HTML, checked by html-validate (npm, run with node;
no network) on the page as it is served.

axe-core, in the browser tests, passed a contact form whose radio buttons all had id="None":
duplicate ids, and labels tied to whichever button came first. A validator reads the markup
itself, so it catches what a browser quietly repairs: duplicate ids, a label or an
aria-labelledby naming no element, a control without a label, an element where HTML does not
allow it, an attribute value HTML does not know.

.htmlvalidate.json extends html-validate's recommended rules and turns off only opinions of
style: the doctype's case (`<!doctype html>` is valid HTML), whitespace at the end of a line
(from template indentation), inline style attributes (the phone layout of tables sets CSS
variables on the table, which the CSP allows), preferring <section> to role="region" (the
scrolling table wrapper is a div on purpose: it is a region only because it scrolls) and
non-breaking spaces in telephone numbers (typography). A name on a list (aria-label on <ul>)
is allowed by ARIA and only advised against, so it is a warning, not a failure. The first
heading may be an <h2>: GOV.UK's error summary comes above the page's <h1> (templates/contact.html).
Its "document" rules are on too: a reference to a missing id, an input with no label, and a
script or stylesheet from another site without integrity (public pages load none).
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from feedback.views import MESSAGES_PER_ADDRESS

PROJECT = Path(__file__).resolve().parent.parent
VALIDATOR = PROJECT / "node_modules" / "html-validate" / "bin" / "html-validate.mjs"
CONFIG = PROJECT / ".htmlvalidate.json"

# Each page with a form, in each state its forms can be in.
PAGES_WITH_FORMS = {
    "home (area search)": "/",
    "trends": "/trends/",
    "trends, a value it cannot use": "/trends/?geography=nowhere&show=sideways",
    "areas (area search)": "/areas/",
    "area search, found": "/areas/?q=richmond",
    "area search, nothing found": "/areas/?q=ZZ99+9ZZ",
    "map": "/map/",
    "map, rates in an area": "/map/?show=rate&area=E23000014",
    "outcomes": "/outcomes/",
    "platforms": "/platforms/",
    "contact": "/contact/",
}
# Rules about the whole page that a form depends on: its ids must be unique in the page, and a
# label, aria-labelledby or aria-describedby may name an element outside the form.
PAGE_WIDE_RULES = {"no-dup-id", "no-missing-references"}


def _rendered_pages() -> dict[str, str]:
    client = Client()
    pages = {}
    for name, path in PAGES_WITH_FORMS.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.content.decode()
    every_error = client.post("/contact/", {"message": "", "reply_email": "not an address", "page": "http://x"})
    pages["contact, every error"] = every_error.content.decode()
    for n in range(MESSAGES_PER_ADDRESS.limit + 1):
        not_sent = client.post("/contact/", {"topic": "figure", "message": f"Message {n}"})
    assert not_sent.status_code == 429
    pages["contact, not sent yet"] = not_sent.content.decode()
    return pages


def _validate(folder: Path, pages: dict[str, str]) -> dict[str, list[dict]]:
    """html-validate's messages for each page, by page name, from one run of node."""
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_text(html)
        files[str(path)] = name
    node = shutil.which("node")
    assert node, "node is needed to run html-validate (scripts/bootstrap dev installs it with npm ci)"
    assert VALIDATOR.exists(), "html-validate is missing: run scripts/bootstrap dev (npm ci)"
    # The report goes to a file: node can exit before a large report piped to stdout is written.
    report = folder / "report.json"
    result = subprocess.run(
        [node, str(VALIDATOR), "--config", str(CONFIG), "--formatter", f"json={report}", *files],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: it found errors; anything else: it failed
    entries = json.loads(report.read_text()) if report.exists() else []
    return {files[entry["filePath"]]: entry["messages"] for entry in entries}


def _form_lines(html: str) -> list[range]:
    """The lines (counting from 1, as html-validate does) of each <form> in the page."""
    spans = []
    for form in re.finditer(r"<form\b.*?</form>", html, flags=re.DOTALL):
        first = html.count("\n", 0, form.start()) + 1
        spans.append(range(first, first + form.group().count("\n") + 1))
    return spans


def _problem(name: str, message: dict) -> str:
    return f"{name}, line {message['line']}: {message['message']} ({message['ruleId']}): {message.get('selector')}"


@pytest.fixture
def validated(seeded, tmp_path):
    pages = _rendered_pages()
    return pages, _validate(tmp_path, pages)


def test_every_state_of_every_public_form_is_rendered_with_a_form_in_it(validated):
    pages, _ = validated
    assert all(_form_lines(html) for html in pages.values())


def test_every_form_on_the_public_site_is_valid_html(validated):
    pages, messages = validated
    problems = []
    for name, html in pages.items():
        forms = _form_lines(html)
        for message in messages.get(name, []):
            in_a_form = any(message["line"] in lines for lines in forms)
            if message["severity"] == 2 and (in_a_form or message["ruleId"] in PAGE_WIDE_RULES):
                problems.append(_problem(name, message))
    assert problems == []


def test_the_validator_catches_the_mistakes_it_is_here_for(tmp_path):
    broken = (
        "<!doctype html><html lang='en'><head><title>t</title></head><body><main><form>"
        '<input type="radio" name="topic" id="None" value="a"><label for="None">A</label>'
        '<input type="radio" name="topic" id="None" value="b"><label for="None">B</label>'
        '<label for="nowhere">C</label><input type="text" name="c">'
        '<button type="submit"><div>Send</div></button>'
        "</form></main></body></html>"
    )
    rules = {message["ruleId"] for message in _validate(tmp_path, {"broken": broken})["broken"]}
    assert {"no-dup-id", "no-missing-references", "input-missing-label", "element-permitted-content"} <= rules
