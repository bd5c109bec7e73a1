"""Public pages: each view chooses its data with queryset methods, builds cards, renders."""

from dashboard.views.about import about, sources
from dashboard.views.areas import area_detail, area_list
from dashboard.views.help import advice, report
from dashboard.views.home import home
from dashboard.views.maps import tile_map_page
from dashboard.views.outcomes import outcomes
from dashboard.views.platforms import platforms
from dashboard.views.trends import trends

__all__ = [
    "about",
    "advice",
    "area_detail",
    "area_list",
    "home",
    "outcomes",
    "platforms",
    "report",
    "sources",
    "tile_map_page",
    "trends",
]
