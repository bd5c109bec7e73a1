"""Which years the maps can open on, shared by the home page and /map/."""

from stats.models import Figure
from stats.rates import Denominators
from stats.records import ForceCoverage
from stats.versions import kept_for_version


def map_coverage(default_rates: Denominators) -> list[ForceCoverage]:
    """Which periods forces have counts (and rates) for, to choose a map's: counted over every
    current force figure, so worked out once per version of the data, not per page."""
    return kept_for_version("force-coverage", lambda: Figure.objects.force_coverage(default_rates))
