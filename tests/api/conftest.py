import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fair_use_out_of_the_way(settings):
    """Every API test but the one about the limit asks far more often than a person would;
    the counts live in the cache, so each test starts from none."""
    settings.API_RATE_LIMIT = 1_000_000
    settings.API_RATE_WINDOW = 60
    cache.clear()
    yield
    cache.clear()


def get_json(client, url: str, status: int = 200, **headers) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()
