"""Every table can be browsed, filtered and searched in the admin."""

import pytest
from django.urls import reverse

from stats.models import Figure, Geography, KeyDate, Measure, Offence, Period, Platform, ReportingRoute, Source

MODELS = [Figure, Geography, KeyDate, Measure, Offence, Period, Platform, ReportingRoute, Source]


@pytest.fixture
def admin_client_seeded(seeded, admin_client):
    return admin_client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_table_has_a_working_list_and_change_page(admin_client_seeded, model):
    opts = model._meta
    listing = admin_client_seeded.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert listing.status_code == 200
    first = model.objects.first()
    change = admin_client_seeded.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    assert change.status_code == 200


def test_figures_can_be_filtered_to_restated_releases(admin_client_seeded):
    response = admin_client_seeded.get(reverse("admin:stats_figure_changelist"), {"status": "revision"})
    assert sorted(f.value for f in response.context["cl"].result_list) == [196, 3171]  # Northern Ireland, E&W


def test_geographies_can_be_found_by_home_office_force_name(admin_client_seeded):
    response = admin_client_seeded.get(reverse("admin:stats_geography_changelist"), {"q": "London, City of"})
    assert [g.code for g in response.context["cl"].result_list] == ["E23000034"]
