from django.contrib import admin
from django.urls import path

from dashboard import views
from feedback.views import contact

urlpatterns = [
    path("", views.home, name="home"),
    path("trends/", views.trends, name="trends"),
    path("areas/", views.area_list, name="areas"),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path("platforms/", views.platforms, name="platforms"),
    path("map/", views.tile_map_page, name="map"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("sources/", views.sources, name="sources"),
    path("about/", views.about, name="about"),
    path("report/", views.report, name="report"),
    path("advice/", views.advice, name="advice"),
    path("contact/", contact, name="contact"),
    path("admin/", admin.site.urls),
]
