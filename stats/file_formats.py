"""How figures are written for people to open elsewhere, decided once for every download.

CSV is UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends, ISO
dates, and any cell a spreadsheet would run as a formula neutralised (stats/formulas.py)
while signed numbers stay numbers. JSON writes counts as whole numbers. Both write row by
row, so a file of any size is written in constant memory.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from stats.formulas import neutralised

BYTE_ORDER_MARK = "\ufeff"


def csv_lines(columns: list[str], rows: Iterable[dict[str, object]]) -> Iterator[str]:
    """The header, then one line per row: the byte-order mark leads the first line."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    yield BYTE_ORDER_MARK + _taken(buffer)
    for row in rows:
        writer.writerow({key: neutralised(value) for key, value in row.items()})
        yield _taken(buffer)


def _taken(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def json_value(value: object) -> int | float:
    """For json.dumps(default=...): a Decimal as a whole number when it is one."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(document: object, **options) -> str:
    return json.dumps(document, default=json_value, ensure_ascii=False, **options)


def json_document_chunks(head: dict[str, object], key: str, rows: Iterable[dict[str, object]]) -> Iterator[str]:
    """A JSON object: `head`'s members, then `key` holding the rows as an array, written row by row."""
    opening = dumps(head, indent=2)[:-2] if head else "{"  # the object without its closing "\n}"
    yield opening + ("," if head else "") + f"\n  {dumps(key)}: ["
    separator = "\n    "
    for row in rows:
        yield separator + dumps(row)
        separator = ",\n    "
    yield "\n  ]\n}\n"
