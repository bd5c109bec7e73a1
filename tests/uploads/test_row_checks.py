"""Every row of every format checked, every value bounded before it can reach the database.

The importers are called directly with sheets held in memory and vocabularies read
from the seed files, so none of these tests needs the database.
"""

import csv

import pytest

from stats.importers.files import Sheet
from stats.importers.home_office import Area, read_home_office
from stats.importers.population import read_population
from stats.importers.rows import BOUND_OF_UNIT
from stats.importers.tidy import MeasureRule, Vocabulary, read_tidy
from stats.models import Measure
from tests.uploads.files import FORCES_CSV, HOME_OFFICE_HEADER, TIDY_HEADER, TIDY_ROW, home_office_rows, tidy_rows

SEED = FORCES_CSV.parent  # the seed files give the areas, forces and vocabulary


def _seed(name: str) -> list[dict[str, str]]:
    with (SEED / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


GEOGRAPHIES = _seed("geographies.csv")
AREAS = [Area(g["code"], g["name"], g["level"], g["parent_code"]) for g in GEOGRAPHIES]
FORCE_NAMES = {g["home_office_force_name"]: g["code"] for g in GEOGRAPHIES if g["home_office_force_name"]}
VOCABULARY = Vocabulary(
    geographies={g["code"]: g["name"] for g in GEOGRAPHIES},
    offences={o["slug"]: o["name"] for o in _seed("offences.csv")},
    measures={m["slug"]: MeasureRule(m["unit"], m["per_platform"] == "yes") for m in _seed("measures.csv")},
    platforms={p["name"]: p["slug"] for p in _seed("platforms.csv")},
)
POPULATION_HEADER = ["geography_code", "year", "age_band", "population", "note"]
ESTIMATE = ["E23000014", "mid-2024", "0-17", "590000", ""]


def _text(row: list) -> list[str]:
    return [str(cell) for cell in row]


def sheet(header: list[str], rows: list[list]) -> list[Sheet]:
    return [Sheet(name="", rows=iter([list(header), *map(_text, rows)]))]


def home_office(rows: list[list], header: list[str] = HOME_OFFICE_HEADER):
    return read_home_office(sheet(header, rows), areas=AREAS, force_names=FORCE_NAMES)


def tidy(*rows: dict):
    return read_tidy(sheet(TIDY_HEADER, tidy_rows(*rows)), VOCABULARY)


def population(*rows: list, header: list[str] = POPULATION_HEADER):
    return read_population(sheet(header, list(rows)), {g["code"]: g["name"] for g in GEOGRAPHIES})


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def refused(result) -> list[str]:
    """The messages of a result that must have been refused whole: no rows handed on."""
    assert not result.ok and result.rows == [], "the file should have been refused"
    return messages(result)


# Home Office tables: every row of every offence ---------------------------------------

OTHER_OFFENCE = 1  # home_office_rows(): 88A then burglary (28E) for each force and quarter
OTHER_OFFENCE_LINE = OTHER_OFFENCE + 2  # the header is row 1
YEAR, QUARTER, FORCE, DESCRIPTION, GROUP, SUBGROUP, CODE, COUNT = range(8)


def _changed(column: int, value: str) -> list[list]:
    rows = home_office_rows((2022,))
    rows[OTHER_OFFENCE][column] = value
    return rows


def _repeated(change=lambda row: None) -> list[list]:
    rows = home_office_rows((2022,))
    again = list(rows[OTHER_OFFENCE])
    change(again)
    return [*rows, again]


REPEAT_LINE = len(home_office_rows((2022,))) + 2  # a row added after every good one
SAME = "an earlier row gives the same"
NOT_A_COUNT = "should be a whole number of offences, like 12, 0 or -1"
FORMULA = "looks like a spreadsheet formula; type the value itself"
NOT_A_CODE = (
    "is not a Home Office offence code (those are letters and digits, joined by single dots, slashes or spaces,"
    " like 88A, 37.1 or FFA UK, at most 20 characters)"
)
LIKE_88A = (
    "is not a Home Office offence code \u2014 did you mean 88A? Read as another offence, the row would leave"
    " its force's sexual grooming offences out of the year"
)
TOO_MANY = (
    "is too large; no count of offences, charges or people exceeds 100,000,000 (the UK has about 69 million people)"
)


def cell(name: str, column: int, value: str, expected: str, shown: str | None = None):
    """A case: the burglary row of Cleveland's first quarter with one cell changed, and the message it must get."""
    message = f"Row {OTHER_OFFENCE_LINE}, column {HOME_OFFICE_HEADER[column]}: '{shown or value.strip()}' {expected}"
    return pytest.param(_changed(column, value), message, id=name)


def whole_row(name: str, rows: list[list], expected: str):
    """A case: a row added at the end of a good table, and the message it must get."""
    return pytest.param(rows, f"Row {REPEAT_LINE}: {expected}", id=name)


BAD_OTHER_OFFENCE_ROWS = [
    cell("misspelt force", FORCE, "Clevland", "is not a police force we know \u2014 did you mean Cleveland?"),
    cell("quarter 5", QUARTER, "5", "should be a quarter, 1 to 4"),
    cell("quarter Q5", QUARTER, "Q5", "should be a quarter, 1 to 4"),
    cell("year 2022/2x", YEAR, "2022/2x", "is not a financial year written like 2019/20"),
    cell("year 2022/24", YEAR, "2022/24", "is not a financial year written like 2019/20"),
    cell("year 1899/00", YEAR, "1899/00", "should be a financial year from 1990/91 to 2099/00"),
    cell("year 9999/00", YEAR, "9999/00", "should be a financial year from 1990/91 to 2099/00"),
    cell(
        "far below zero",
        COUNT,
        "-100000001",
        "is too far below zero; no adjustment to a count of offences exceeds 100,000,000"
        " (the UK has about 69 million people)",
    ),
    cell("blank count", COUNT, " ", "is empty; this column needs a value"),
    cell("huge", COUNT, "100000000000000000000", TOO_MANY),
    cell("non-numeric", COUNT, "n/a", NOT_A_COUNT),
    cell("fraction", COUNT, "2.5", "should be a whole number of offences"),
    cell("exponent", COUNT, "1E+400", NOT_A_COUNT),
    cell("arabic-indic digits", COUNT, "\u0661\u0662", NOT_A_COUNT),
    cell("comma as decimal point", COUNT, "1,50", NOT_A_COUNT),
    cell("formula", DESCRIPTION, '=HYPERLINK("http://x")', FORMULA),
    cell("formula count", COUNT, "=SUM(A1:A9)", FORMULA),
    cell(
        "NUL", FORCE, "Cleve\x00land", "contains an invisible control character (U+0000); delete it", "Cleve\\x00land"
    ),
    cell(
        "escape",
        GROUP,
        "Theft\x1b[31m",
        "contains an invisible control character (U+001B); delete it",
        "Theft\\x1b[31m",
    ),
    cell("blank offence code", CODE, "", "is empty; this column needs a value"),
    cell("offence code with a hyphen", CODE, "28E-and-more", NOT_A_CODE),
    cell("offence code too long", CODE, "X" * 21, NOT_A_CODE),
    cell("offence code with two spaces", CODE, "28  E", NOT_A_CODE),
    cell("offence code ending in a slash", CODE, "28E/", NOT_A_CODE),
    cell("offence code with a comma", CODE, "28,E", NOT_A_CODE),
    cell("88A with a space", CODE, "88 A", LIKE_88A),
    cell("88A with a full stop", CODE, "88a.", LIKE_88A),
    cell("88A with a hyphen", CODE, "88-A", LIKE_88A),
    whole_row("duplicated row", _repeated(), f"repeats Cleveland, 2022/23 quarter 1, offence code 28E: {SAME}"),
    whole_row(
        "duplicate under another description",
        _repeated(lambda row: row.__setitem__(DESCRIPTION, "Burglary - residential")),
        f"repeats Cleveland, 2022/23 quarter 1, offence code 28E: {SAME}",
    ),
    whole_row(
        "duplicate with another count",
        _repeated(lambda row: row.__setitem__(COUNT, "7")),
        f"repeats Cleveland, 2022/23 quarter 1, offence code 28E: {SAME}",
    ),
    whole_row(
        "duplicate of a body that polices no area",
        [*home_office_rows((2022,)), home_office_rows((2022,))[-1]],
        f"repeats Action Fraud, 2022/23 quarter 4, offence code 28E: {SAME}",
    ),
    whole_row(
        "header repeated mid-file",
        [*home_office_rows((2022,)), HOME_OFFICE_HEADER],
        "repeats the header row; remove it (were two files joined together?)",
    ),
    whole_row("short row", [*home_office_rows((2022,)), ["2022/23", "1", "Kent"]], "has fewer cells than the header"),
    pytest.param(
        [*home_office_rows((2022,)), [*home_office_rows((2022,))[0][:7], "3", "", "oops"]],
        f"Row {REPEAT_LINE}, column 10: 'oops' has no heading above it; name the column or delete the cell",
        id="cell past the last column",
    ),
]


@pytest.mark.parametrize(("rows", "message"), BAD_OTHER_OFFENCE_ROWS)
def test_a_bad_row_of_any_offence_refuses_the_home_office_table(rows, message):
    result = home_office(rows)
    assert refused(result) == [message]


def test_a_table_of_thousands_of_offence_codes_is_refused():
    rows = home_office_rows((2022,))  # 88A and 28E
    codes = [f"X{number}" for number in range(1999)]
    rows += [["2022/23", "1", "Kent", "Other", "Other", "Other", code, "1"] for code in codes]
    assert refused(home_office(rows)) == [
        f"Row {len(rows) + 1}, column Offence Code: 'X1998' is offence code number 2,001 in this file;"
        " a Home Office table has a few hundred"
    ]


def test_the_same_rows_without_the_bad_one_are_accepted():
    result = home_office(home_office_rows((2022,)))
    assert result.ok and len(result.rows) == 43 + 9 + 2 + 1
    assert result.warnings == []


def test_a_code_written_in_lower_case_is_still_88a():
    rows = [[*row[:CODE], row[CODE].lower(), row[COUNT]] for row in home_office_rows((2022,))]
    result = home_office(rows)
    assert result.ok and len(result.rows) == 55


def test_a_count_at_the_bound_is_accepted_and_one_more_is_not():
    at_bound = home_office(_changed(COUNT, "100,000,000"))
    over = home_office(_changed(COUNT, "100,000,001"))
    assert at_bound.ok
    assert refused(over)[0].startswith(
        f"Row {OTHER_OFFENCE_LINE}, column Number of Offences: '100,000,001' is too large"
    )


def test_a_88a_count_of_ten_to_the_twentieth_is_refused():
    rows = home_office_rows((2022,), grooming=lambda force, year, quarter: 10**20 if force == "Kent" else 1)
    assert any("'100000000000000000000' is too large" in message for message in refused(home_office(rows)))


def test_quarters_that_sum_past_the_bound_are_refused():
    rows = home_office_rows((2022,), grooming=lambda force, year, quarter: 60_000_000 if force == "Kent" else 1)
    assert refused(home_office(rows)) == [
        "Kent Police 2022/23: the 88A counts add up to 240,000,000, and no count of offences exceeds 100,000,000"
        " (the UK has about 69 million people); check the Number of Offences column."
    ]


def test_forces_that_sum_past_the_bound_refuse_the_regional_totals():
    rows = home_office_rows((2022,), grooming=lambda force, year, quarter: 750_000)  # 3,000,000 a force
    errors = refused(home_office(rows))
    assert "England and Wales 2022/23: the 88A counts add up to 129,000,000" in " ".join(errors)
    assert any(error.startswith("England 2022/23: the 88A counts add up to 117,000,000") for error in errors)
    assert not any(error.startswith(("London", "Kent")) for error in errors)


def test_a_table_with_no_88a_rows_is_refused():
    rows = [row for row in home_office_rows((2022,)) if row[CODE] != "88A"]
    assert refused(home_office(rows)) == [
        "The file has no rows for offence code 88A (sexual grooming), so there is nothing to import."
    ]


def test_a_table_whose_88a_rows_give_no_complete_year_is_refused():
    rows = [row for row in home_office_rows((2022,)) if row[QUARTER] != 4]
    assert refused(home_office(rows)) == [
        "The file's rows for offence code 88A give no police force all four quarters of a financial year,"
        " so there is nothing to import."
    ]


def test_a_home_office_header_with_no_rows_is_refused():
    assert refused(home_office([])) == [
        "The file has the Home Office column headings but no rows, so there is nothing to import."
    ]
    assert refused(home_office([[""] * 8, []])) == [
        "The file has the Home Office column headings but no rows, so there is nothing to import."
    ]


def test_home_office_headings_are_read_through_byte_order_marks_and_odd_spaces():
    header = ["\ufeffFinancial Year", " financial\u00a0quarter", "FORCE  NAME", *HOME_OFFICE_HEADER[3:]]
    assert home_office(home_office_rows((2022,)), header=header).ok


def test_a_home_office_column_named_twice_is_refused():
    header = [*HOME_OFFICE_HEADER, "Force Name"]
    rows = [[*row, row[FORCE]] for row in home_office_rows((2022,))]
    assert refused(home_office(rows, header=header)) == [
        "The file names the column force name twice; keep one of each."
    ]


def test_unused_home_office_columns_are_named_in_a_warning():
    rows = [[*row, "North", ""] for row in home_office_rows((2022,))]
    result = home_office(rows, header=[*HOME_OFFICE_HEADER, "Region", "Comments"])
    assert result.ok
    assert result.warnings == ["Column(s) region, comments are not used and will be left out."]


def test_an_unused_column_is_still_checked_and_a_cell_with_no_heading_is_refused():
    formula = [[*row, "=1+1"] for row in home_office_rows((2022,))]
    stray = [[*row, "x" if number == 5 else ""] for number, row in enumerate(home_office_rows((2022,)))]
    assert refused(home_office(formula, header=[*HOME_OFFICE_HEADER, "Comments"]))[0] == (
        "Row 2, column comments: '=1+1' looks like a spreadsheet formula; type the value itself"
    )
    assert refused(home_office(stray, header=[*HOME_OFFICE_HEADER, ""])) == [
        "Row 7, column 9: 'x' has no heading above it; name the column or delete the cell"
    ]


def test_each_sheet_of_a_workbook_is_checked_by_its_own_headings():
    commented = [[*row, "x"] for row in home_office_rows((2022,))]
    stray = [[*row, "x"] for row in home_office_rows((2023,))]
    sheets = [
        Sheet(name="2022-23", rows=iter([[*HOME_OFFICE_HEADER, "Comments"], *map(_text, commented)])),
        Sheet(name="2023-24", rows=iter([[*HOME_OFFICE_HEADER, ""], *map(_text, stray)])),
    ]
    result = read_home_office(sheets, areas=AREAS, force_names=FORCE_NAMES)
    assert refused(result)[0] == (
        "Sheet '2023-24', row 2, column 9: 'x' has no heading above it; name the column or delete the cell"
    )
    assert result.error_count == len(stray)
    assert result.warnings == ["Sheet '2022-23': Column(s) comments are not used and will be left out."]


# Tidy figures ---------------------------------------------------------------------------

COUNT_ROW = TIDY_ROW
SHARE_ROW = {
    **TIDY_ROW,
    "geography_code": "K02000001",
    "measure": "platform-share",
    "platform": "Snapchat",
    "unit": "percent",
}
AGE_ROW = {**TIDY_ROW, "geography_code": "E23000014", "measure": "youngest-victim-age", "unit": "years"}


@pytest.mark.parametrize(
    ("row", "value", "expected"),
    [
        (COUNT_ROW, "100000000000000000000", TOO_MANY),
        (COUNT_ROW, "100,000,001", TOO_MANY),
        (SHARE_ROW, "100.01", "is over 100 but the unit is percent"),
        (AGE_ROW, "121", "is too large; an age in years is at most 120"),
        (AGE_ROW, "-1", "is negative; an age is never below zero"),
        (COUNT_ROW, "1E+400", "is not a number"),
        (COUNT_ROW, "1e3", "is not a number"),
        (COUNT_ROW, "NaN", "is not a number"),
        (COUNT_ROW, "Infinity", "is not a number"),
        (COUNT_ROW, "\uff11\uff12", "is not a number"),  # fullwidth digits
        (COUNT_ROW, "\u0967\u0968", "is not a number"),  # Devanagari digits
        (COUNT_ROW, "0x10", "is not a number"),
        (COUNT_ROW, "1_000", "is not a number"),
        (COUNT_ROW, "1,50", "is not a number"),
        (SHARE_ROW, ".5", "is not a number"),
    ],
)
def test_a_tidy_value_out_of_bounds_or_not_plainly_written_is_refused(row, value, expected):
    assert refused(tidy({**row, "value": value})) == [f"Row 2, column value: '{value}' {expected}"]


@pytest.mark.parametrize(
    ("row", "value"),
    [(COUNT_ROW, "100,000,000"), (COUNT_ROW, "0"), (SHARE_ROW, "100"), (SHARE_ROW, "0.25"), (AGE_ROW, "120")],
)
def test_a_tidy_value_at_its_bound_is_accepted(row, value):
    result = tidy({**row, "value": value})
    assert result.ok, messages(result)
    assert str(result.rows[0].value) == value.replace(",", "")


def test_every_unit_a_measure_can_have_is_bounded():
    assert set(BOUND_OF_UNIT) == set(Measure.Unit.values)


IN_RANGE = "should be a date from 1990-01-01 to 2100-12-31"
NOTE_TOO_LONG = "is 2,001 characters long; the most accepted is 2,000"
CONTROL = "contains an invisible control character"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_start": "1989-12-31"}, f"column period_start: '1989-12-31' {IN_RANGE}"),
        ({"period_end": "2101-01-01"}, f"column period_end: '2101-01-01' {IN_RANGE}"),
        ({"period_start": "20240401"}, "column period_start: '20240401' is not a date written YYYY-MM-DD"),
        ({"period_start": "2024-W14-1"}, "column period_start: '2024-W14-1' is not a date written YYYY-MM-DD"),
        (
            {"period_label": "x" * 61, "period_start": "2024-01-01", "period_end": "2024-06-30"},
            f"column period_label: '{'x' * 61}' is 61 characters long; the most accepted is 60",
        ),
        ({"note": "n" * 2001}, f"column note: '{'n' * 79}\u2026' {NOTE_TOO_LONG}"),
        ({"note": "Restated\x00"}, f"column note: 'Restated\\x00' {CONTROL} (U+0000); delete it"),
        ({"offence": "sexual\x0bgrooming"}, f"column offence: 'sexual\\x0bgrooming' {CONTROL} (U+000B); delete it"),
    ],
)
def test_a_tidy_period_or_text_out_of_bounds_is_refused(changes, message):
    assert refused(tidy({**COUNT_ROW, **changes})) == [f"Row 2, {message}"]


def test_a_tidy_label_and_note_at_their_bounds_are_accepted():
    row = {**COUNT_ROW, "period_label": "x" * 60, "period_start": "2024-01-01", "period_end": "2024-06-30"}
    result = tidy({**row, "note": "Restated:\n\tsee the 2019 release.\r\n" + "n" * 1966})
    assert result.ok, messages(result)
    assert len(result.rows[0].note) == 2000 and "\n\t" in result.rows[0].note


def test_a_tidy_file_of_blank_rows_or_only_a_header_is_refused():
    assert refused(tidy()) == ["The file has a header row but no figures."]
    assert refused(read_tidy(sheet(TIDY_HEADER, [["", " "], [], [" "] * 10]), VOCABULARY)) == [
        "The file has a header row but no figures."
    ]


def test_unused_tidy_columns_are_named_in_a_warning():
    rows = [[*row, "West Midlands", "checked"] for row in tidy_rows(COUNT_ROW)]
    result = read_tidy(sheet([*TIDY_HEADER, "Region", "comments"], rows), VOCABULARY)
    assert result.ok, messages(result)
    assert result.warnings == ["Column(s) region, comments are not used and will be left out."]


def test_a_tidy_header_with_a_byte_order_mark_or_a_column_named_twice():
    with_mark = ["\ufeff\ufeffGeography_Code ", *TIDY_HEADER[1:]]
    assert read_tidy(sheet(with_mark, tidy_rows(COUNT_ROW)), VOCABULARY).ok
    twice = [*TIDY_HEADER, "value"]
    assert refused(read_tidy(sheet(twice, [[*tidy_rows(COUNT_ROW)[0], "151"]]), VOCABULARY)) == [
        "The file names the column value twice; keep one of each."
    ]


def test_a_tidy_row_with_a_cell_under_no_heading_or_a_repeated_header_is_refused():
    stray = [[*tidy_rows(COUNT_ROW)[0], "", "oops"]]
    assert refused(read_tidy(sheet(TIDY_HEADER, stray), VOCABULARY)) == [
        f"Row 2, column {len(TIDY_HEADER) + 2}: 'oops' has no heading above it; name the column or delete the cell"
    ]
    joined = [*tidy_rows(COUNT_ROW), TIDY_HEADER]
    assert refused(read_tidy(sheet(TIDY_HEADER, joined), VOCABULARY)) == [
        "Row 3: repeats the header row; remove it (were two files joined together?)"
    ]


# Population estimates ---------------------------------------------------------------------

TOO_MANY_PEOPLE = "is too large; no population here exceeds 100,000,000 (the UK has about 69 million people)"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (1, "1970", "column year: '1970' should be a year from 1971 to 2100"),
        (1, "mid-2101", "column year: 'mid-2101' should be a year from 1971 to 2100"),
        (3, "100000000000000000000", f"column population: '100000000000000000000' {TOO_MANY_PEOPLE}"),
        (3, "100,000,001", f"column population: '100,000,001' {TOO_MANY_PEOPLE}"),
        (3, "-5", "column population: '-5' is negative; a population is never below zero"),
        (3, "5.5", "column population: '5.5' should be a whole number of people"),
        (3, "1E+400", "column population: '1E+400' is not a number"),
        (3, "", "column population: '' is empty; this column needs a value"),
        (4, "n" * 2001, f"column note: '{'n' * 79}\u2026' {NOTE_TOO_LONG}"),
        (0, "E23000014\x00", f"column geography_code: 'E23000014\\x00' {CONTROL} (U+0000); delete it"),
    ],
)
def test_a_population_estimate_out_of_bounds_is_refused(column, value, message):
    estimate = list(ESTIMATE)
    estimate[column] = value
    assert refused(population(estimate)) == [f"Row 2, {message}"]


@pytest.mark.parametrize("year", ["1971", "mid-2100"])
def test_a_population_year_at_the_ends_of_the_range_is_accepted(year):
    result = population([ESTIMATE[0], year, *ESTIMATE[2:]])
    assert result.ok, messages(result)


def test_a_population_file_of_blank_rows_is_refused():
    assert refused(population(["", "", "", "", ""], [])) == ["The file has a header row but no estimates."]


def test_unused_population_columns_are_named_in_a_warning():
    result = population([*ESTIMATE, "ONS"], header=[*POPULATION_HEADER, "publisher"])
    assert result.ok, messages(result)
    assert result.warnings == ["Column(s) publisher are not used and will be left out."]
