"""A newer population edition goes through the same check, preview and publish as figures."""

from stats.models import Figure, Population, Upload
from stats.publishing import SourceDetails, publish_upload
from tests.uploads.conftest import table_counts, upload_bytes
from tests.uploads.files import as_csv

HEADER = ["geography_code", "year", "age_band", "population", "note"]
REVISED = SourceDetails("Office for National Statistics", "Mid-year estimates, revised edition", "2026-06-30")


def test_a_revised_estimate_becomes_current_and_moves_the_rate(seeded):
    (figure,) = (
        Figure.objects.current()
        .filter(geography__code="E23000014", period__label="2021/22", offence__slug="sexual-communication-with-a-child")
        .records()
    )
    before = Population.objects.denominators().rate(figure)
    year = before.population.year  # the estimate nearest the middle of 2021/22, whichever the seed holds
    upload = upload_bytes(
        as_csv(
            HEADER,
            [
                ["E23000014", f"mid-{year}", "0-17", "470000", "Revised edition"],
                ["E23000017", "2022", "0-17", "123456", ""],
            ],
        ),
        "population.csv",
        "population",
        REVISED,
    )
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    assert upload.figures_changed == 2
    assert upload.preview[0]["measure"] == "population 0-17" and upload.preview[0]["new"] == "470,000"
    publish_upload(upload=upload)
    current = Population.objects.current().get(geography__code="E23000014", year=year, age_band="0-17")
    assert current.value == 470000 and current.source.title == REVISED.title
    assert Population.objects.superseded().filter(geography__code="E23000014", year=year, age_band="0-17").count() == 1
    after = Population.objects.denominators().rate(figure)
    assert after.population.value == current.value == 470000 and after.population.source == str(current.source)
    assert after.value == 3 and before.value == 2
    assert upload.release.changes.filter(kind="restated", population__isnull=False).count() == 2


def test_a_bad_population_file_is_refused_and_changes_nothing(seeded):
    before = table_counts()
    upload = upload_bytes(
        as_csv(HEADER, [["E23000014", "mid-22", "0-17", "470000", ""], ["E2300014", "2022", "under 18", "-5", ""]]),
        "population.csv",
        "population",
        REVISED,
    )
    assert upload.status == Upload.Status.REJECTED
    assert "Row 2, column year: 'mid-22' should be a mid-year estimate written mid-2024 or 2024" in upload.errors
    assert any("did you mean E23000014 West Midlands Police?" in error for error in upload.errors)
    assert table_counts() == before
