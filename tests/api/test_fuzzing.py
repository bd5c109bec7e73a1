"""Property-based fuzzing of the API from its own OpenAPI document, with schemathesis.

Every operation is called in-process through the WSGI application, on the test database
with the seed data, with values drawn from the document: valid ones, and invalid ones
(wrong types, values out of range, strings the schema forbids). No answer may be a 500,
and every answer must match what the document says: its status, its headers and its
body. Bounded and deterministic, so it costs seconds and never flakes.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from dashboard.wsgi import application

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def api_schema(seeded, settings):
    # schemathesis's WSGI client calls the site "localhost".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Outside Django's test client, each request would close the database connection and with
    # it this test's transaction, seed and all. The test client does the same at each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_matches_the_document_and_none_is_a_server_error(case):
    # The WSGI client does not undo the site's gzip, as a real HTTP client would.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
