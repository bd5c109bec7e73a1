"""What makes an uncached page cheap without changing what it shows: a query that never changes
is prepared once per connection (stats/prepared.py), and a summary of every figure is worked
out once per version of the data (stats/versions.py `kept_for_version`)."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.models import Figure
from stats.models.figures import PreparedRecords
from stats.versions import kept_for_version
from tests.test_page_cache import _publish_west_midlands

pytestmark = pytest.mark.usefixtures("seeded")


def _sent(queries) -> list[str]:
    """The statements sent, without the savepoints around them inside this test's transaction."""
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def _west_midlands_query():
    return Figure.objects.series_of(
        areas=["E23000014"], offence="sexual-communication-with-a-child", measure="offences-recorded"
    )


def test_a_prepared_query_gives_the_same_records_and_is_then_only_executed():
    prepared = PreparedRecords(_west_midlands_query)
    plain = _west_midlands_query().records()
    assert plain, "the seed has West Midlands figures"
    with CaptureQueriesContext(connection) as first:
        assert prepared.records() == plain
    assert _sent(first)[0].startswith(f"PREPARE {prepared.name} AS SELECT")
    with CaptureQueriesContext(connection) as second:
        assert prepared.records() == plain
    assert _sent(second) == [f"EXECUTE {prepared.name}"]


def test_a_statement_lost_behind_its_back_is_run_plainly_then_prepared_again(caplog):
    """As a pooler that hands over another server connection would, or a restart."""
    prepared = PreparedRecords(_west_midlands_query)
    plain = prepared.records()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with caplog.at_level(logging.WARNING, logger="stats.prepared"):
        assert prepared.records() == plain  # inside this test's transaction, which stays usable
    assert "run plainly instead" in caplog.text
    assert Figure.objects.exists()
    with CaptureQueriesContext(connection) as again:
        assert prepared.records() == plain
    assert _sent(again)[0].startswith(f"PREPARE {prepared.name}")


def test_behind_a_transaction_pooler_nothing_is_prepared():
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        prepared = PreparedRecords(_west_midlands_query)
        with CaptureQueriesContext(connection) as queries:
            assert prepared.records() == _west_midlands_query().records()
        assert not any(q["sql"].startswith(("PREPARE", "EXECUTE")) for q in queries)
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False


def test_the_home_page_executes_its_headline_query_once_prepared(client):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert sum(q["sql"].startswith("EXECUTE ") for q in queries) == 1
    assert not any(q["sql"].startswith("PREPARE ") for q in queries)


def test_a_kept_answer_is_worked_out_once_per_version_of_the_data():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert kept_for_version("test", compute) == 1
    assert kept_for_version("test", compute) == 1
    _publish_west_midlands(1234)
    assert kept_for_version("test", compute) == 2
    assert len(calls) == 2


def test_the_map_offers_a_newly_published_year_at_once(client):
    """The map's choice of years is counted once per version: a release shows in it at once."""
    assert "2031/32" not in client.get("/map/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/map/")
    assert not any("forces_with_rate" in q["sql"] for q in queries), "counted again within one version"
    _publish_west_midlands(4321)
    assert "2031/32" in client.get("/map/").content.decode()


def test_a_table_changed_under_a_prepared_query_is_read_plainly_then_prepared_again(caplog):
    """A migration while servers run: PostgreSQL refuses the statement, whose columns changed type."""
    prepared = PreparedRecords(_west_midlands_query)
    plain = prepared.records()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE stats_geography ALTER COLUMN name TYPE text")  # undone with the test
    with caplog.at_level(logging.WARNING, logger="stats.prepared"):
        assert prepared.records() == plain
    assert "cached plan must not change result type" in caplog.text
    assert prepared.records() == plain
