from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from dashboard import views
from dashboard.feeds import ReleaseFeed
from dashboard.sitemaps import SITEMAPS
from dashboard.sitemaps import index as sitemap_index
from feedback.views import contact

# A server error still shows the quick exit and the helplines, and no detail of the error.
handler500 = "dashboard.unavailable.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("trends/", views.trends, name="trends"),
    path("areas/", views.area_list, name="areas"),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path("areas/<str:code>/figures/", views.area_figures, name="area_figures"),
    path("platforms/", views.platforms, name="platforms"),
    path("map/", views.tile_map_page, name="map"),
    path("outcomes/", views.outcomes, name="outcomes"),
    # One card of any page above, framable on other sites: /embed/<page path>?<query>&card=<slug>.
    path("embed/", include("dashboard.embeds")),
    path("coverage/", views.coverage, name="coverage"),
    path("sources/", views.sources, name="sources"),
    path("about/", views.about, name="about"),
    path("report/", views.report, name="report"),
    path("advice/", views.advice, name="advice"),
    path("figures/<int:pk>/", views.figure_detail, name="figure"),
    path("data/", views.data_page, name="data"),
    path("data/figures.<str:file_format>", views.latest_figures, name="data_latest"),
    path("data/releases/<int:number>/figures.<str:file_format>", views.release_figures, name="data_release"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("whats-new/<int:number>/", views.release_changes, name="whats_new_release"),
    path("whats-new/feed.atom", ReleaseFeed(), name="whats_new_feed"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # The read-only JSON API (/api/v1/...) and its documentation page (/api/).
    path("api/", include("api.urls")),
    path("contact/", contact, name="contact"),
    # For a load balancer: database and cache status and the release; never cached.
    path("healthz", views.healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
]
