"""What a spreadsheet would run as a formula, decided once for uploads and downloads alike.

Excel, LibreOffice and Google Sheets treat a cell that starts with one of these as a
formula (or, for tab and carriage return, strip them and look again). A plain signed
number ('-3', '+5.5') is not a formula: it stays a number.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    if not text.startswith(FORMULA_STARTS):
        return False
    return not text[1:].replace(".", "", 1).isdigit()


def neutralised(value: object) -> object:
    """A download's cell: formula-looking text is written as text (a leading apostrophe)."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value
