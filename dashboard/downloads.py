"""Downloads of exactly what a card shows, as CSV and JSON, and how any download is sent.

The rules for the files themselves (UTF-8 with a byte-order mark, formulas neutralised,
numbers without thousands separators or trailing zeros) are in stats/file_formats.py,
shared with the bulk downloads; the Content-Disposition that names a file is written here.
"""

from django.http import HttpResponse

from dashboard.cards.card import Card
from stats.file_formats import csv_lines, dumps

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def as_csv(card: Card) -> str:
    rows = [row.fields() for row in card.rows]
    return "".join(csv_lines(list(rows[0]) if rows else ["area"], rows))


def as_json(card: Card) -> str:
    document = {
        "title": card.title,
        "summary": card.summary,
        "permalink": card.permalink,
        "citations": card.citations,
        "notes": card.notes,
        "rows": [row.json_fields() for row in card.rows],
    }
    return dumps(document, indent=2)


def disposition(filename: str) -> str:
    """`filename` is ASCII letters, digits, dots and hyphens (cards.card.file_slug, release_files.file_name)."""
    return f'attachment; filename="{filename}"'


def attachment(content: str, file_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = disposition(f"{filename}.{file_format}")
    return response


WRITERS = {"csv": as_csv, "json": as_json}
