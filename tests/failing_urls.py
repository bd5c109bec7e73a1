"""The site's addresses plus one view with a bug, to see what a server error gives a visitor."""

from django.urls import path

from dashboard.urls import handler500, urlpatterns  # noqa: F401 - Django reads handler500 from here


def broken(request):
    raise RuntimeError("SELECT secret FROM somewhere: a bug's details")


urlpatterns = [path("broken/", broken), *urlpatterns]
