"""Releases, areas, offences, measures, platforms and sources, as the API lists them."""

from stats.models import Figure, Geography, Measure, Offence, Platform, Release, Source
from stats.publishing import corrected_row
from stats.releases import correct_figure, withdraw
from tests.api.conftest import get_json
from tests.conftest import SEED_RELEASES


def test_releases_are_listed_newest_first_with_their_counts(seeded, client):
    listing = get_json(client, "/api/v1/releases")
    assert listing["count"] == SEED_RELEASES
    newest, *_, second, first = listing["results"]
    assert [r["number"] for r in listing["results"]] == list(range(SEED_RELEASES, 0, -1))
    assert (first["kind"], first["figures_added"], first["estimates_added"]) == ("seed", 67, 499)
    assert first["published_at"] == "2026-11-22T00:00:00Z"
    assert second["summary"].startswith("Sexual communication with a child in Cheshire")
    assert (newest["withdrawn"], newest["withdrawn_by"], newest["withdraws"]) == (False, None, None)


def test_a_withdrawn_release_says_so_and_its_withdrawal_says_what_it_withdrew(seeded, client):
    figure = Figure.objects.current().with_provenance().get(geography__code="E12000005", period__label="2024/25")
    correction = correct_figure(figure=figure, row=corrected_row(figure, value="392", note=""), reason="Typo.")
    withdrawal = withdraw(release=correction, reason="The source did say 391.")
    corrected = get_json(client, f"/api/v1/releases/{correction.number}")
    assert (corrected["kind"], corrected["reason"], corrected["figures_revised"]) == ("correction", "Typo.", 1)
    assert (corrected["withdrawn"], corrected["withdrawn_by"]) == (True, withdrawal.number)
    undone = get_json(client, f"/api/v1/releases/{withdrawal.number}")
    assert (undone["kind"], undone["withdraws"], undone["withdrawn"]) == ("withdrawal", correction.number, False)


def test_the_release_list_takes_a_fixed_number_of_queries(seeded, client, django_assert_max_num_queries):
    figure = Figure.objects.current().with_provenance().get(geography__code="E12000005", period__label="2024/25")
    correction = correct_figure(figure=figure, row=corrected_row(figure, value="392", note=""), reason="x")
    withdraw(release=correction, reason="y")
    with django_assert_max_num_queries(3):  # the releases, and the latest for the caching headers
        assert get_json(client, "/api/v1/releases")["count"] == SEED_RELEASES + 2


def test_a_missing_release_is_a_json_404(seeded, client):
    error = get_json(client, "/api/v1/releases/99", status=404)
    assert error["error"] == "There is no release 99."


def test_geographies_name_their_parent_and_children(seeded, client):
    areas = {area["code"]: area for area in get_json(client, "/api/v1/geographies")["results"]}
    assert len(areas) == Geography.objects.count()
    region = areas["E12000005"]
    assert (region["name"], region["level"], region["parent_code"]) == ("West Midlands", "region", "E92000001")
    assert region["children_codes"] == ["E23000014", "E23000015", "E23000016", "E23000017"]
    assert areas["K02000001"]["parent_code"] is None
    assert areas["E23000014"]["children_codes"] == []
    for code, area in areas.items():  # the tree is consistent both ways
        for child in area["children_codes"]:
            assert areas[child]["parent_code"] == code


def test_offences_measures_and_platforms_are_listed_by_the_codes_figures_use(seeded, client):
    offences = get_json(client, "/api/v1/offences")["results"]
    assert [o["code"] for o in offences] == sorted(Offence.objects.values_list("slug", flat=True))
    online = next(o for o in offences if o["code"] == "online-grooming")
    assert online["in_force"] == "2017-04-03" and online["legal_basis"]

    measures = {m["code"]: m for m in get_json(client, "/api/v1/measures")["results"]}
    assert set(measures) == set(Measure.objects.values_list("slug", flat=True))
    share = measures["platform-share"]
    assert (share["unit"], share["per_platform"], share["denominator_code"]) == (
        "percent",
        True,
        "offences-with-platform-recorded",
    )

    platforms = {p["code"]: p for p in get_json(client, "/api/v1/platforms")["results"]}
    assert len(platforms) == Platform.objects.count()
    assert platforms["meta-owned-apps"]["is_grouping"] is True
    assert platforms["snapchat"]["safety_url"] == "https://values.snap.com/safety/safety-center"


def test_sources_give_their_date_only_as_precisely_as_known(seeded, client):
    sources = {s["id"]: s for s in get_json(client, "/api/v1/sources")["results"]}
    assert len(sources) == Source.objects.count()
    by_precision = {}
    for source in Source.objects.all():
        by_precision.setdefault(source.published_precision, source)
    assert set(by_precision) == {"day", "month", "year"}  # the seed has all three
    for precision, length in (("day", 10), ("month", 7), ("year", 4)):
        listed = sources[by_precision[precision].pk]
        assert len(listed["published"]) == length
        assert listed["published_label"] == by_precision[precision].published_label
    nspcc = next(s for s in sources.values() if s["title"] == "Recorded online sexual grooming crimes rise by a third")
    assert (nspcc["publisher"], nspcc["published"], nspcc["published_label"]) == (
        "NSPCC",
        "2019-09-11",
        "11 September 2019",
    )
    assert nspcc["url"].startswith("https://www.nspcc.org.uk/")


def test_lists_work_before_any_data_is_loaded(empty_db, client):
    for name in ("releases", "geographies", "offences", "measures", "platforms", "sources"):
        assert get_json(client, f"/api/v1/{name}") == {"count": 0, "results": []}
    page = get_json(client, "/api/v1/figures")
    assert (page["count"], page["results"], page["as_of_release"]) == (0, [], None)
    assert Release.objects.count() == 0
