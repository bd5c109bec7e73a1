"""Downloads of exactly what a card shows: CSV that is safe in a spreadsheet, and JSON.

The rules for files people open elsewhere are written here once: UTF-8 with a byte-order
mark so Excel reads it, formula-looking text neutralised, numbers without thousands
separators or trailing zeros, and a Content-Disposition that names the file for what it holds.
"""

import csv
import io
import json
from decimal import Decimal

from django.http import HttpResponse

from dashboard.cards.card import Card
from stats.formulas import neutralised

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def as_csv(card: Card) -> str:
    rows = [row.fields() for row in card.rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["area"], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralised(value) for key, value in row.items()})
    return "\ufeff" + buffer.getvalue()  # the byte-order mark makes Excel read UTF-8


def as_json(card: Card) -> str:
    document = {
        "title": card.title,
        "summary": card.summary,
        "permalink": card.permalink,
        "citations": card.citations,
        "notes": card.notes,
        "rows": [row.fields() for row in card.rows],
    }
    return json.dumps(document, default=_json_number, ensure_ascii=False, indent=2)


def _json_number(value: object) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def attachment(content: str, file_format: str, filename: str) -> HttpResponse:
    """A download response; `filename` is ASCII letters, digits and hyphens (cards.card.file_slug)."""
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


WRITERS = {"csv": as_csv, "json": as_json}
