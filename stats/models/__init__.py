"""The data model: every figure travels with its area, period, offence, measure and source."""

from stats.models.figures import Figure
from stats.models.guidance import KeyDate, ReportingRoute
from stats.models.periods import Period
from stats.models.population import Population
from stats.models.reference import Geography, Measure, Offence, Platform
from stats.models.sources import Source
from stats.models.uploads import Upload, UploadChange

__all__ = [
    "Figure",
    "Geography",
    "KeyDate",
    "Measure",
    "Offence",
    "Period",
    "Platform",
    "Population",
    "ReportingRoute",
    "Source",
    "Upload",
    "UploadChange",
]
