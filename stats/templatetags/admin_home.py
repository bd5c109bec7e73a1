"""Sorting the admin's list of tables: the dashboard's own apps first, the tooling after."""

from django import template

register = template.Library()

# The data and the public's messages: what administrators come for. Everything else
# (users and groups, the login throttling's records) is tooling.
OWN_APPS = ("stats", "feedback")
# Within the data, the tables behind the tasks come first; the rest stay alphabetical.
FIRST_MODELS = ("Upload", "Release", "ReportingRoute")


def _first_then_alphabetical(model: dict) -> tuple:
    name = model["object_name"]
    return (FIRST_MODELS.index(name) if name in FIRST_MODELS else len(FIRST_MODELS), str(model["name"]))


@register.filter
def own_apps(app_list: list[dict]) -> list[dict]:
    own = sorted(
        (app for app in app_list if app["app_label"] in OWN_APPS), key=lambda a: OWN_APPS.index(a["app_label"])
    )
    return [{**app, "models": sorted(app["models"], key=_first_then_alphabetical)} for app in own]


@register.filter
def tooling_apps(app_list: list[dict]) -> list[dict]:
    return [app for app in app_list if app["app_label"] not in OWN_APPS]
