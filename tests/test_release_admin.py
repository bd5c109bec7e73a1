"""In the admin, values are read-only: a figure changes only by a correction or a withdrawal, each a release."""

import html

import pytest
from django.urls import reverse

from stats.models import Figure, Population, Release
from tests.conftest import SEED_RELEASES
from tests.test_releases import state


@pytest.fixture
def publisher(client, seeded, make_staff):
    client.force_login(make_staff("upload_figures", "view_figure", "view_release", username="editor"))
    return client


@pytest.fixture
def reader(client, seeded, make_staff):
    client.force_login(make_staff("view_figure", "view_release", "view_population"))
    return client


def _figure() -> Figure:
    return Figure.objects.current().with_provenance().get(geography__code="E12000005", period__label="2024/25")


@pytest.mark.parametrize("model", [Figure, Population, Release], ids=lambda m: m.__name__)
def test_no_one_can_add_edit_or_delete_figures_estimates_or_releases(admin_client, seeded, model):
    opts = model._meta
    row = model.objects.first()
    before = state()
    change_url = reverse(f"admin:stats_{opts.model_name}_change", args=[row.pk])
    assert admin_client.get(change_url).status_code == 200  # a superuser may read it
    assert admin_client.post(change_url, {"value": "1"}).status_code == 403
    assert admin_client.get(reverse(f"admin:stats_{opts.model_name}_add")).status_code == 403
    assert admin_client.post(reverse(f"admin:stats_{opts.model_name}_delete", args=[row.pk])).status_code == 403
    assert state() == before


def test_a_figure_is_corrected_with_a_reason_as_a_release(publisher):
    figure = _figure()
    page = publisher.get(reverse("admin:stats_figure_change", args=[figure.pk])).content.decode()
    assert "Correct this figure" in page
    url = reverse("admin:stats_figure_correct", args=[figure.pk])
    response = publisher.post(
        url, {"value": "392", "note": figure.note, "reason": "We typed 391; the source says 392."}
    )
    release = Release.objects.get(number=SEED_RELEASES + 1)
    assert response.status_code == 302
    assert response.url == reverse("admin:stats_release_change", args=[SEED_RELEASES + 1])
    assert (release.kind, release.reason, release.published_by.username) == (
        "correction",
        "We typed 391; the source says 392.",
        "editor",
    )
    assert "391 is now 392" in release.summary
    assert _figure().value == 392


@pytest.mark.parametrize(
    ("value", "reason", "message"),
    [
        ("-3", "typo", "is negative"),
        ("12.5", "typo", "should be a whole number"),
        ("1e9", "typo", "'1e9'"),
        ("400", "", "This field is required"),
        ("391", "same", "nothing to correct"),
    ],
)
def test_a_bad_correction_is_refused_with_its_reason_and_changes_nothing(publisher, value, reason, message):
    figure = _figure()
    before = state()
    response = publisher.post(
        reverse("admin:stats_figure_correct", args=[figure.pk]), {"value": value, "note": figure.note, "reason": reason}
    )
    assert response.status_code == 200 and message in html.unescape(response.content.decode())
    assert state() == before and Release.objects.count() == SEED_RELEASES


def test_a_release_is_withdrawn_from_the_admin_with_a_reason(publisher):
    figure = _figure()
    before = state()
    publisher.post(reverse("admin:stats_figure_correct", args=[figure.pk]), {"value": "392", "reason": "typo"})
    correction = SEED_RELEASES + 1
    page = publisher.get(reverse("admin:stats_release_change", args=[correction])).content.decode()
    assert "Withdraw this release" in page
    response = publisher.post(
        reverse("admin:stats_release_withdraw", args=[correction]), {"confirm": "on", "reason": "It was right."}
    )
    assert response.status_code == 302
    withdrawal = Release.objects.get(number=correction + 1)
    assert (withdrawal.kind, withdrawal.withdraws_id, withdrawal.reason) == ("withdrawal", correction, "It was right.")
    assert state() == before


def test_the_seed_release_offers_no_withdrawal_and_refuses_one(publisher):
    page = publisher.get(reverse("admin:stats_release_change", args=[1])).content.decode()
    assert "Withdraw this release" not in page
    response = publisher.post(reverse("admin:stats_release_withdraw", args=[1]), {"confirm": "on", "reason": "test"})
    assert "cannot be withdrawn" in response.content.decode()
    assert Release.objects.count() == SEED_RELEASES


def test_staff_without_the_upload_permission_can_read_but_not_correct_or_withdraw(reader):
    figure = _figure()
    assert reader.get(reverse("admin:stats_figure_change", args=[figure.pk])).status_code == 200
    assert reader.get(reverse("admin:stats_release_change", args=[2])).status_code == 200
    url = reverse("admin:stats_figure_correct", args=[figure.pk])
    assert reader.post(url, {"value": "392", "reason": "x"}).status_code == 403
    assert reader.post(reverse("admin:stats_release_withdraw", args=[2]), {"reason": "x"}).status_code == 403
    assert Release.objects.count() == SEED_RELEASES


def test_sources_and_periods_are_read_only_and_a_measure_keeps_its_unit(admin_client, seeded):
    from stats.models import Measure, Period, Source

    source, period = Source.objects.first(), Period.objects.first()
    for model, row in ((Source, source), (Period, period)):
        url = reverse(f"admin:stats_{model._meta.model_name}_change", args=[row.pk])
        assert admin_client.post(url, {"published": "2030-01-01", "label": "x"}).status_code == 403
    measure = Measure.objects.get(slug="youngest-victim-age")
    url = reverse("admin:stats_measure_change", args=[measure.pk])
    admin_client.post(url, {"name": "Youngest victim's age", "description": "d", "unit": "count"})
    measure.refresh_from_db()
    assert (measure.unit, measure.name) == ("years", "Youngest victim's age")  # the name may change, the unit not


@pytest.mark.parametrize("note", ["evil \u202egnp.exe", "ctl \x01", '=HYPERLINK("http://x","y")'])
def test_a_correction_meets_the_same_cell_checks_as_an_upload(publisher, note):
    figure = _figure()
    response = publisher.post(
        reverse("admin:stats_figure_correct", args=[figure.pk]), {"value": "392", "note": note, "reason": "typo"}
    )
    assert response.status_code == 200 and Release.objects.count() == SEED_RELEASES
