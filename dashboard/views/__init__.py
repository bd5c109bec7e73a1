"""Public pages: each view chooses its data with queryset methods, builds cards, renders."""

from dashboard.views.about import about
from dashboard.views.areas import area_detail, area_figures, area_list
from dashboard.views.coverage import coverage
from dashboard.views.figures import figure_detail
from dashboard.views.health import healthz
from dashboard.views.help import advice, report
from dashboard.views.home import home
from dashboard.views.maps import tile_map_page
from dashboard.views.open_data import data_page, latest_figures, release_figures
from dashboard.views.outcomes import outcomes
from dashboard.views.platforms import platforms
from dashboard.views.robots import robots_txt
from dashboard.views.sources import sources
from dashboard.views.trends import trends
from dashboard.views.whats_new import release_changes, whats_new

__all__ = [
    "about",
    "advice",
    "area_detail",
    "area_figures",
    "area_list",
    "coverage",
    "data_page",
    "figure_detail",
    "healthz",
    "home",
    "latest_figures",
    "outcomes",
    "platforms",
    "release_changes",
    "release_figures",
    "report",
    "robots_txt",
    "sources",
    "tile_map_page",
    "trends",
    "whats_new",
]
