"""One address for each of the API's own routes (api/urls.py), for tests that try them all."""

EVERY_ROUTE = [
    "/api/v1/",
    "/api/v1/figures",
    "/api/v1/figures.csv?geography=E23000014",
    "/api/v1/figures/1",
    "/api/v1/releases",
    "/api/v1/releases/2",
    "/api/v1/geographies",
    "/api/v1/offences",
    "/api/v1/measures",
    "/api/v1/platforms",
    "/api/v1/sources",
    "/api/v1/places?q=B15+2TT",
    "/api/v1/openapi.json",
]
