"""Releases: every change is numbered, can be withdrawn exactly, and the past can be read back."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from stats.importers.population import PopulationRow
from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Change, Figure, Geography, Measure, Offence, Population, Release
from stats.models.revisions import LIVE, Status
from stats.publishing import corrected_row
from stats.releases import Entry, PublishError, SourceDetails, correct_figure, publish, withdraw
from tests.conftest import SEED_RELEASES

NSPCC_2026 = SourceDetails("NSPCC", "A test release of 2026", "2026-11-13")


def _row(code="E23000014", year=2024, value=150, note="", offence="sexual-communication-with-a-child") -> FigureRow:
    period = PeriodSpan(
        f"{year}/{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "financial_year"
    )
    return FigureRow(code, period, offence, "offences-recorded", "", Decimal(value), "count", note)


def _upload(*rows, source=NSPCC_2026) -> Release | None:
    release, _ = publish(entries=[Entry(row, source) for row in rows], kind=Release.Kind.UPLOAD, summary="test")
    return release


def state() -> dict:
    """Every row on the dashboard, with how it stands: what a visitor or a download sees."""
    return {
        (model.__name__, row.pk): (row.status, row.value, row.source_id, row.note)
        for model in (Figure, Population)
        for row in model.objects.published()
    }


def state_as_of(number: int) -> dict:
    return {
        (model.__name__, row.pk): (row.status_then, row.value, row.source_id, row.note)
        for model in (Figure, Population)
        for row in model.objects.as_of(number)
    }


def assert_current_follows_the_rule() -> None:
    """The stored answer equals the rule: the latest publication of each series, ties to the later source."""
    for model in (Figure, Population):
        series: dict[tuple, list] = {}
        for row in model.objects.published().select_related("source"):
            key = (
                (row.geography_id, row.period_id, row.offence_id, row.measure_id, row.platform_id)
                if model is Figure
                else (row.geography_id, row.year, row.age_band)
            )
            series.setdefault(key, []).append(row)
        for rows in series.values():
            latest = max(rows, key=lambda r: (r.source.published, r.source_id))
            assert [r.pk for r in rows if r.status == Status.CURRENT] == [latest.pk]


# The seed ----------------------------------------------------------------------------------------


def test_the_seed_publishes_its_releases_with_the_dates_they_went_live(seeded):
    first, second, table, figures, estimates = Release.objects.order_by("number")
    assert (first.number, first.kind, first.seed_release) == (1, "seed", 1)
    assert (first.figures_added, first.estimates_added) == (67, 499)
    assert first.published_at.date() == dt.date(2026, 11, 22)
    assert (second.number, second.figures_added, second.figures_revised) == (2, 11, 0)
    assert second.published_at.date() == dt.date(2026, 11, 23)
    # A seed release's summary is its line of releases.csv, saying what it ships; the counts are its tally.
    assert second.summary.startswith("Sexual communication with a child in Cheshire, Derbyshire")
    assert (table.seed_release, table.figures_added, table.published_at.date()) == (3, 55, dt.date(2026, 12, 7))
    assert table.summary.startswith("Home Office police recorded crime for 2017/18")
    assert (figures.seed_release, figures.figures_added, figures.figures_revised) == (4, 58, 0)
    assert (estimates.seed_release, estimates.estimates_added, estimates.figures_added) == (5, 889, 0)
    assert Figure.objects.count() == 136 + 55
    assert_current_follows_the_rule()


def test_seeding_again_changes_nothing_and_makes_no_release(seeded):
    from stats.seeding import load_seed

    before = state()
    load_seed()
    assert Release.objects.count() == SEED_RELEASES
    assert state() == before


def test_a_database_with_the_first_67_gets_the_11_as_a_new_release(empty_db, tmp_path):
    import csv
    import shutil

    from stats.seeding import SEED_DIR, load_seed

    older = tmp_path / "seed"
    shutil.copytree(SEED_DIR, older)
    for name in ("figures.csv", "population.csv", "uploads.csv"):  # every file whose rows name their release
        with (SEED_DIR / name).open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = [row for row in reader if row["release"] == "1"]
        with (older / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
            writer.writeheader()
            writer.writerows(rows)
    (older / "releases.csv").write_text("number,published\n1,2026-11-22\n")
    load_seed(older)
    assert (Release.objects.count(), Figure.objects.count()) == (1, 67)

    load_seed()
    second = Release.objects.get(number=2)
    assert (second.seed_release, second.figures_added) == (2, 11)
    assert Release.objects.count() == SEED_RELEASES and Figure.objects.count() == 136 + 55


# Uploads, withdrawals and corrections --------------------------------------------------------------


def test_publish_then_withdraw_puts_every_table_back_exactly(seeded):
    before = state()
    release = _upload(_row(value=171), _row(code="E23000015", value=99), _row(code="E12000005", year=2024, value=500))
    assert (release.number, release.figures_added, release.figures_revised) == (SEED_RELEASES + 1, 2, 1)
    assert state() != before
    withdrawal = withdraw(release=release, reason="Published the wrong file.")
    assert (withdrawal.number, withdrawal.kind, withdrawal.withdraws) == (SEED_RELEASES + 2, "withdrawal", release)
    assert (withdrawal.figures_withdrawn, withdrawal.figures_revised) == (3, 0)
    assert state() == before
    assert_current_follows_the_rule()
    with pytest.raises(PublishError, match=f"already withdrawn by release {SEED_RELEASES + 2}"):
        withdraw(release=release, reason="again")


def test_a_correction_adds_a_row_withdraws_the_old_one_and_can_be_withdrawn(seeded):
    figure = Figure.objects.current().with_provenance().get(geography__code="E12000005", period__label="2024/25")
    before = state()
    release = correct_figure(
        figure=figure, row=corrected_row(figure, value="392", note=""), reason="Typed 391 for 392."
    )
    assert (release.kind, release.reason, release.figures_revised) == ("correction", "Typed 391 for 392.", 1)
    figure.refresh_from_db()
    assert figure.status == Status.WITHDRAWN and figure.value == 391  # never edited, only withdrawn
    corrected = Figure.objects.current().get(geography__code="E12000005", period__label="2024/25")
    assert (corrected.value, corrected.source_id, corrected.release_id) == (392, figure.source_id, release.number)
    change = release.changes.get()
    assert (change.kind, change.previous, change.old_value, change.new_value) == ("corrected", figure, 391, 392)

    withdraw(release=release, reason="The source did say 391.")
    assert state() == before
    assert Figure.objects.current().get(geography__code="E12000005", period__label="2024/25").pk == figure.pk


def test_a_correction_needs_a_reason_and_a_different_value(seeded):
    figure = Figure.objects.current().with_provenance().get(geography__code="E12000005", period__label="2024/25")
    with pytest.raises(PublishError, match="Say why"):
        correct_figure(figure=figure, row=corrected_row(figure, value="392", note=""), reason=" ")
    with pytest.raises(PublishError, match="nothing to correct"):
        correct_figure(figure=figure, row=corrected_row(figure, value="391", note=figure.note), reason="x")
    assert Release.objects.count() == SEED_RELEASES


def test_a_release_whose_figures_a_later_release_changed_cannot_be_withdrawn_first(seeded):
    first = _upload(_row(value=171))
    second = _upload(_row(value=172), source=SourceDetails("NSPCC", "A later release", "2026-11-20"))
    with pytest.raises(PublishError, match=f"Release {SEED_RELEASES + 2} later changed the same figures"):
        withdraw(release=first, reason="wrong")
    withdraw(release=second, reason="wrong")
    withdraw(release=first, reason="wrong")
    assert Figure.objects.filter(release__in=[first, second], status__in=LIVE).count() == 0


def test_the_data_shipped_with_the_dashboard_cannot_be_withdrawn(seeded):
    with pytest.raises(PublishError, match="cannot be withdrawn"):
        withdraw(release=Release.objects.get(number=1), reason="no")


def test_publishing_the_same_values_again_makes_no_release(seeded):
    _upload(_row(value=171))
    assert _upload(_row(value=171)) is None
    assert Release.objects.count() == SEED_RELEASES + 1


def test_the_database_holds_one_current_figure_per_series(seeded):
    from django.db import IntegrityError, transaction

    figure = Figure.objects.current().first()
    duplicate = Figure.objects.filter(pk=figure.pk).values().get()
    duplicate.pop("id")
    duplicate["source_id"] = Figure.objects.exclude(source=figure.source).first().source_id
    with pytest.raises(IntegrityError, match="has_one_current"), transaction.atomic():
        Figure.objects.create(**duplicate)


# The past, exactly ------------------------------------------------------------------------------


@pytest.fixture
def small_world(empty_db):
    uk = Geography.objects.create(code="K02000001", name="United Kingdom", level="country")
    for code, name in (("E23000014", "West Midlands Police"), ("E23000015", "West Mercia Police")):
        Geography.objects.create(code=code, name=name, level="police_force_area", parent=uk)
    Offence.objects.create(slug="sexual-communication-with-a-child", name="S", description="-", legal_basis="-")
    Measure.objects.create(slug="offences-recorded", name="Offences recorded", unit="count", description="-")


def test_random_publishes_and_withdrawals_keep_the_rule_and_every_past_state(small_world):
    chance = random.Random(20261123)  # noqa: S311 (a repeatable sequence, not a secret)
    sources = [SourceDetails("Publisher", f"Release {n}", f"2025-0{1 + n % 9}-1{n % 10}") for n in range(8)]
    states: dict[int, dict] = {}
    for _ in range(40):
        released = list(Release.objects.filter(withdrawn_by=None).exclude(kind="withdrawal"))
        if released and chance.random() < 0.3:
            try:
                withdraw(release=chance.choice(released), reason="test")
            except PublishError:
                continue  # a later release changed the same series: refused, and nothing changed
        else:
            rows = [
                _row(code=chance.choice(["E23000014", "E23000015"]), year=chance.choice([2022, 2023]),
                     value=chance.randint(1, 4), note=chance.choice(["", "n"]))
                for _ in range(chance.randint(1, 3))
            ]  # fmt: skip
            unique = list({row.series_key: row for row in rows}.values())
            if _upload(*unique, source=chance.choice(sources)) is None:
                continue
        assert_current_follows_the_rule()
        states[Release.objects.latest("number").number] = state()
    assert len(states) > 15 and Release.objects.filter(kind="withdrawal").exists()
    assert Change.objects.filter(kind="corrected").exists() and Change.objects.filter(kind="restored").exists()
    for number, expected in states.items():
        assert state_as_of(number) == expected, f"release {number}"
    numbers = list(Release.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_population_estimates_are_released_and_withdrawn_the_same_way(seeded):
    before = state()
    row = PopulationRow("E23000014", 2024, "0-17", 700_000, "")
    release, _ = publish(
        entries=[Entry(row, SourceDetails("ONS", "A later edition", "2026-07"))], kind="upload", summary="test"
    )
    assert (release.estimates_revised, release.figures_added) == (1, 0)
    current = Population.objects.current().get(geography__code="E23000014", year=2024, age_band="0-17")
    assert current.value == 700_000
    withdraw(release=release, reason="wrong edition")
    assert state() == before


def test_a_figure_withdrawn_since_the_form_was_opened_cannot_be_corrected(seeded):
    release = _upload(_row(value=171))
    opened = Figure.objects.with_provenance().get(release=release)
    row = corrected_row(opened, value="172", note="")
    withdraw(release=release, reason="wrong file")
    with pytest.raises(PublishError, match="withdrawn since you opened it"):
        correct_figure(figure=opened, row=row, reason="typo")
    assert not Figure.objects.filter(release__number__gt=SEED_RELEASES + 2).exists()


def test_a_withdrawn_correction_does_not_block_withdrawing_what_it_corrected(seeded):
    before = state()
    release = _upload(_row(value=171))
    figure = Figure.objects.with_provenance().get(release=release)
    correction = correct_figure(figure=figure, row=corrected_row(figure, value="172", note=""), reason="typo")
    withdraw(release=correction, reason="it was right")
    withdraw(release=release, reason="wrong file")
    assert state() == before


def test_a_same_day_source_recorded_earlier_is_kept_as_an_earlier_revision(seeded):
    """The change record agrees with the rule: on the same day, the later source recorded is current."""
    first = SourceDetails("NSPCC", "First that day", "2026-11-20")
    second = SourceDetails("NSPCC", "Second that day", "2026-11-20")
    _upload(_row(code="E23000015", year=2022, value=1), source=first)  # records the first source
    _upload(_row(value=171), source=second)  # the second, recorded later, is current for West Midlands
    release = _upload(_row(value=300), source=first)
    change = release.changes.get()
    assert change.kind == "earlier" and Figure.objects.get(pk=change.figure_id).status == Status.REVISION
    assert_current_follows_the_rule()
