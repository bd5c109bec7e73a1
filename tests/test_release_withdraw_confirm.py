"""A release's page reads in plain values, and withdrawing one is a confirmed step that names what comes down."""

import pytest
from django.urls import reverse

from stats.models import Figure, Release
from tests.conftest import SEED_RELEASES
from tests.test_releases import state


@pytest.fixture
def publisher(client, seeded, make_staff):
    client.force_login(make_staff("upload_figures", "view_figure", "view_release", username="editor"))
    return client


@pytest.fixture
def correction(publisher) -> int:
    figure = Figure.objects.current().get(geography__code="E12000005", period__label="2024/25")
    publisher.post(reverse("admin:stats_figure_correct", args=[figure.pk]), {"value": "392", "reason": "typo"})
    return SEED_RELEASES + 1


def _page(client, url: str) -> str:
    """The page with its runs of white space made one space, as a reader sees it."""
    return " ".join(client.get(url).content.decode().split())


def test_a_release_page_shows_plain_values_names_and_no_file_paths(publisher, correction):
    page = _page(publisher, reverse("admin:stats_release_change", args=[correction]))
    assert "None" not in page and "391.00" not in page and "stats/seed/releases.csv" not in page
    assert "West Midlands, 2024/25: Sexual communication with a child, Offences recorded" in page
    assert '<td class="field-before"> <p>391</p> </td>' in page and '<td class="field-after"> <p>392</p> </td>' in page
    button = f'<a class="button" href="{reverse("admin:stats_release_withdraw", args=[correction])}">'
    assert button + "Withdraw this release…</a>" in page


def test_a_seed_release_reads_new_not_none(publisher):
    page = _page(publisher, reverse("admin:stats_release_change", args=[1]))
    assert '<td class="field-before"> <p>new</p> </td>' in page
    assert "stats/seed/releases.csv" not in page and "Withdraw this release" not in page


def test_the_confirmation_names_what_would_be_withdrawn_and_changes_nothing(publisher, correction):
    before = state()
    page = publisher.get(reverse("admin:stats_release_withdraw", args=[correction])).content.decode()
    assert "Withdrawing it takes down 1 figure</strong>" in page
    assert "<strong>Sexual communication with a child, Offences recorded</strong>: 1 figure" in page
    assert "<li>West Midlands, 2024/25: 392</li>" in page
    assert "Yes, take down all 1 figure listed above" in page and 'name="csrfmiddlewaretoken"' in page
    assert state() == before and Release.objects.count() == SEED_RELEASES + 1


def test_without_the_box_ticked_nothing_is_withdrawn(publisher, correction):
    response = publisher.post(reverse("admin:stats_release_withdraw", args=[correction]), {"reason": "It was right."})
    assert (
        response.status_code == 200 and "Tick the box to confirm what will be taken down." in response.content.decode()
    )
    assert Release.objects.count() == SEED_RELEASES + 1


def test_the_confirmation_is_refused_to_staff_who_may_not_publish(client, seeded, make_staff, publisher, correction):
    client.force_login(make_staff("view_release", username="reader"))
    assert client.get(reverse("admin:stats_release_withdraw", args=[correction])).status_code == 403
    page = client.get(reverse("admin:stats_release_change", args=[correction])).content.decode()
    assert "Withdraw this release" not in page
