"""The seed command loads exactly the shipped files, is idempotent, and refuses bad rows."""

import csv
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from stats.models import Figure, Geography, KeyDate, LocalAuthority, Period, Population, ReportingRoute, Source
from stats.seeding import SEED_DIR, SeedError, load_seed

ALL_MODELS = (Figure, Geography, KeyDate, LocalAuthority, Period, Population, ReportingRoute, Source)


def _seed_rows(filename: str) -> list[dict[str, str]]:
    with (SEED_DIR / filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _snapshot() -> dict:
    return {model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")] for model in ALL_MODELS}


def test_it_loads_every_figure_area_key_date_and_route(seeded):
    figures = _seed_rows("figures.csv")
    assert len(figures) == 136
    # The Home Office table adds one 88A figure for each force, region, nation and England and Wales.
    from_table = Figure.objects.filter(source__title__startswith="Police recorded crime open data tables")
    assert from_table.count() == 43 + 9 + 2 + 1
    assert Figure.objects.count() == len(figures) + from_table.count()
    assert Geography.objects.count() == 58
    assert Geography.objects.filter(level="police_force_area").count() == 43
    assert set(Geography.objects.filter(level="nation").values_list("name", flat=True)) == {
        "England",
        "Wales",
        "Scotland",
        "Northern Ireland",
    }
    assert KeyDate.objects.count() == len(_seed_rows("events.csv"))
    assert ReportingRoute.objects.count() == len(_seed_rows("reporting_routes.csv"))
    publications = {(row["source_publisher"], row["source_title"], row["source_published"]) for row in figures}
    assert Source.objects.filter(figures__isnull=False).distinct().count() == len(publications) + 1
    estimates = _seed_rows("population.csv")
    editions = {(row["source_publisher"], row["source_title"], row["source_published"]) for row in estimates}
    assert Source.objects.filter(populations__isnull=False).distinct().count() == len(editions)
    assert Population.objects.count() == len(estimates) == 1388


def test_the_home_office_table_is_published_through_its_importer_with_exact_totals(seeded):
    """The real 2017/18 table, summed by the importer: every force's four quarters of 88A, and
    areas that are the sum of their forces. The expected totals are added up here, from the file."""
    names = {row["home_office_force_name"]: row["code"] for row in _seed_rows("geographies.csv")}
    expected: dict[str, int] = {}
    with (SEED_DIR / "home_office" / "prc-pfa-2017-18.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Offence Code"] == "88A" and row["Force Name"] in names:
                code = names[row["Force Name"]]
                expected[code] = expected.get(code, 0) + int(row["Number of Offences"])
    published = dict(
        Figure.objects.current()
        .filter(offence__slug="sexual-grooming", period__label="2017/18")
        .values_list("geography__code", "value")
    )
    assert len(expected) == 43
    assert {code: published[code] for code in expected} == expected
    assert published["K04000001"] == sum(expected.values()) == 4429
    assert published["E92000001"] + published["W92000004"] == 4429
    assert published["E12000005"] == sum(expected[c] for c in ("E23000014", "E23000015", "E23000016", "E23000017"))
    source = Figure.objects.get(
        offence__slug="sexual-grooming", geography__code="K04000001", period__label="2017/18"
    ).source
    assert (source.publisher, source.published_label) == ("Home Office", "August 2019")
    assert "copy taken August 2019" in source.title


def test_it_loads_every_council_of_england_and_wales_with_its_police_force_area(seeded):
    rows = _seed_rows("local_authorities.csv")
    assert LocalAuthority.objects.count() == len(rows) == 318
    assert LocalAuthority.objects.filter(code__startswith="W").count() == 22
    stored = {
        council.code: (council.name, council.police_force_area.code)
        for council in LocalAuthority.objects.select_related("police_force_area")
    }
    assert stored == {row["code"]: (row["name"], row["police_force_area_code"]) for row in rows}
    assert not LocalAuthority.objects.exclude(police_force_area__level="police_force_area").exists()


def test_a_councils_older_names_are_kept_separated_by_semicolons(seeded):
    def other_names(code: str) -> str:
        return LocalAuthority.objects.get(code=code).other_names

    assert other_names("E06000061") == "Corby; East Northamptonshire; Kettering; Wellingborough"
    assert other_names("E06000065").split("; ")[3] == "Richmondshire"  # our own former_districts column
    assert other_names("E08000025") == ""  # Birmingham has none


def test_every_figure_matches_its_row_with_its_source(seeded):
    for row in _seed_rows("figures.csv"):
        figure = Figure.objects.with_provenance().get(
            geography__code=row["geography_code"],
            period__start=row["period_start"],
            period__end=row["period_end"],
            offence__slug=row["offence"],
            measure__slug=row["measure"],
            platform__name=row["platform"] or None,
            source__title=row["source_title"],
            source__publisher=row["source_publisher"],
        )
        assert figure.value == Decimal(row["value"])
        assert figure.unit == row["unit"]
        assert figure.note == row["note"]
        assert figure.source.url == row["source_url"]
        assert figure.period.label == row["period_label"]


def test_publication_dates_keep_only_the_precision_published(seeded):
    month_only = Source.objects.get(title="Online grooming crimes against children increase by 89% in six years")
    year_only = Source.objects.get(title__startswith="Instagram most recorded platform")
    assert (month_only.published_precision, month_only.published_label) == ("month", "November 2024")
    assert (year_only.published_precision, year_only.published_label) == ("year", "2020")


def test_periods_are_classified_by_their_dates(seeded):
    kinds = dict(Period.objects.values_list("label", "kind"))
    assert kinds["2017/18"] == "financial_year"
    assert kinds["2022"] == "calendar_year"
    assert kinds["Apr 2017 to Sep 2018"] == "other"
    assert kinds["Year ending Jun 2024"] == "other"


def test_running_it_twice_changes_nothing(seeded):
    before = _snapshot()
    tally = load_seed()
    assert _snapshot() == before
    assert tally.pop("releases") == {}
    assert all(set(counts) == {"unchanged"} for counts in tally.values())


def test_the_command_reports_what_it_did(empty_db):
    out = StringIO()
    call_command("seed", stdout=out)
    assert "Published release 1: 566 figures and population estimates added" in out.getvalue()
    assert "Published release 2: 11 figures and population estimates added" in out.getvalue()
    assert "Published release 3: 55 figures and population estimates added" in out.getvalue()  # the Home Office table
    assert "Published release 4: 58 figures and population estimates added" in out.getvalue()
    assert "Published release 5: 889 figures and population estimates added" in out.getvalue()
    out = StringIO()
    call_command("seed", stdout=out)
    assert "already published, no new release" in out.getvalue()


def test_it_never_undoes_a_correction_published_since(seeded):
    from stats.publishing import corrected_row
    from stats.releases import correct_figure

    figure = Figure.objects.with_provenance().get(geography__code="E23000014", period__label="2022")
    correct_figure(figure=figure, row=corrected_row(figure, value="203", note=""), reason="test")
    load_seed()
    assert Figure.objects.current().get(geography__code="E23000014", period__label="2022").value == Decimal("203")


@pytest.fixture
def broken_seed(tmp_path):
    """A copy of the seed folder whose files the test may damage."""
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    return folder


def _replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("filename", "old", "new", "line", "message"),
    [
        ("figures.csv", ",3217,count,", ",32l7,count,", 3, "column value: '32l7' is not a number"),
        ("figures.csv", "E23000022,2024/25", "E2300022,2024/25", 68, "'E2300022' is not a known area code"),
        ("figures.csv", ",Instagram,20,percent,", ",Instagram,120,percent,", 6, "is over 100"),
        ("figures.csv", ",2017/18,2017-04-01,2018-03-31,", ",2017/18,2018-04-01,2017-03-31,", 2, "is before"),
        ("figures.csv", "K04000001,2018/19,", "K04000001,2019/20,", 4, "should be '2018/19'"),
        ("figures.csv", ",202,count,", ",202,percent,", 58, "should be 'count' for the measure"),
        ("geographies.csv", "Police,police_force_area,E12000001", "Police,police_force_area,E1", 15, "earlier"),
        ("reporting_routes.csv", ",0800 1111,https://www.childline.org.uk,", ",,,", 6, "both empty"),
        ("events.csv", "2020-03-23,", "23/03/2020,", 3, "is not a date"),
        ("local_authorities.csv", "Cardiff,W15000003", "Cardiff,W15000033", 311, "is not a police force area"),
        ("local_authorities.csv", "Cardiff,W15000003", "Cardiff,E12000005", 311, "is not a police force area"),
        ("local_authorities.csv", "E08000025,Birmingham", "E0800025,Birmingham", 252, "is not an ONS/GSS code"),
        ("local_authorities.csv", "E08000026,Coventry", "E08000025,Coventry", 253, "earlier line"),
    ],
)  # fmt: skip
def test_a_malformed_row_names_its_file_and_line_and_writes_nothing(
    empty_db, broken_seed, filename, old, new, line, message
):
    _replace_in(broken_seed / filename, old, new)
    with pytest.raises(SeedError) as raised:
        load_seed(broken_seed)
    assert f"{filename}, line {line}, column" in str(raised.value)
    assert message in str(raised.value)
    assert all(model.objects.count() == 0 for model in ALL_MODELS)


def test_a_failed_load_leaves_the_loaded_data_as_it_was(seeded, broken_seed):
    before = _snapshot()
    _replace_in(broken_seed / "figures.csv", ",7263,count,", ",lots,count,")
    with pytest.raises(SeedError):
        load_seed(broken_seed)
    assert _snapshot() == before


def test_the_command_fails_loudly_on_a_bad_row(empty_db, broken_seed):
    _replace_in(broken_seed / "figures.csv", ",7263,count,", ",-7263,count,")
    with pytest.raises(CommandError, match=r"figures\.csv, line 39, column value: '-7263' is negative"):
        call_command("seed", directory=broken_seed)
