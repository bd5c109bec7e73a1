"""The data model: every figure travels with its area, period, offence, measure and source."""

from stats.models.figures import Figure, FigureStatusSpan
from stats.models.guidance import KeyDate, ReportingRoute
from stats.models.keys import FIGURE_ID_MAX, RELEASE_NUMBER_MAX
from stats.models.periods import Period
from stats.models.places import LocalAuthority, PlaceName, Postcode, PostcodeShare, ReferenceData
from stats.models.population import Population, PopulationStatusSpan
from stats.models.reference import Geography, Measure, Offence, Platform
from stats.models.releases import Change, Release, ReleaseFile
from stats.models.sources import Source
from stats.models.uploads import Upload

__all__ = [
    "FIGURE_ID_MAX",
    "RELEASE_NUMBER_MAX",
    "Change",
    "Figure",
    "FigureStatusSpan",
    "Geography",
    "KeyDate",
    "LocalAuthority",
    "Measure",
    "Offence",
    "Period",
    "PlaceName",
    "Platform",
    "Population",
    "PopulationStatusSpan",
    "Postcode",
    "PostcodeShare",
    "ReferenceData",
    "Release",
    "ReleaseFile",
    "ReportingRoute",
    "Source",
    "Upload",
]
