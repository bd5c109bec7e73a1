"""The admin's home names the site, puts the tasks admins come for first and folds the tooling away."""

import re

import pytest
from django.urls import reverse


@pytest.fixture
def home(admin_client, seeded) -> str:
    return admin_client.get(reverse("admin:index")).content.decode()


def test_the_admin_is_named_for_the_dashboard_not_django(home):
    assert "Django administration" not in home
    assert "Online grooming crime in the UK: administration" in home
    assert "<title>What do you want to do? | Grooming dashboard admin</title>" in home


def test_the_tasks_come_first_in_the_order_admins_need_them(home):
    tasks = home[home.index('id="tasks-heading"') : home.index("</section>")]
    links = re.findall(r'<a class="task" href="([^"]+)">([^<]+)</a>', tasks)
    assert links == [
        (reverse("admin:stats_upload_add"), "Upload figures"),
        (reverse("admin:stats_release_changelist"), "Releases"),
        (reverse("admin:stats_reportingroute_changelist"), "Reporting routes"),
        (reverse("admin:feedback_contactmessage_changelist"), "Messages from the contact form"),
    ]
    assert home.index("Upload figures") < home.index("app-stats")


def test_the_tooling_is_folded_away_below_the_dashboards_own_tables(home):
    tooling = home.index('<details class="admin-tooling">')
    assert home.index("app-stats") < home.index("app-feedback") < tooling
    assert tooling < home.index("app-axes") and tooling < home.index("app-auth")
    stats = home[home.index("app-stats") : home.index("app-feedback")]
    tables = re.findall(r'<th scope="row" id="stats-(\w+)">', stats)
    assert tables[:3] == ["upload", "release", "reportingroute"]


def test_a_reader_without_the_upload_permission_is_not_offered_an_upload(client, seeded, make_staff):
    client.force_login(make_staff("view_release", "view_upload"))
    home = client.get(reverse("admin:index")).content.decode()
    assert "Upload figures" not in home
    assert '<a class="task" href="{}">Past uploads</a>'.format(reverse("admin:stats_upload_changelist")) in home
    assert "Reporting routes" not in home and "admin-tooling" not in home
