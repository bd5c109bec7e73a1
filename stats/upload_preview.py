"""The upload preview as an admin reads it: names, not codes, grouped by what is counted.

A year's Home Office table adds hundreds of figures. Listed one per line by code
("E12000001 | sexual-grooming | offences-recorded") they cannot be checked; grouped by
offence and measure, then by area name, each group folds away and says in its heading how
many figures are new, changed and unchanged, so the one unchanged figure can be found.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from stats.importers.results import ImportResult
from stats.models import Geography, Measure, Offence, Platform, Upload
from stats.publishing import PREVIEW_LINES_KEPT, details_of, preview_lines
from stats.releases import Entry, Plan, Planned

UNCHANGED = "unchanged"  # a preview line's kind for a figure the file repeats exactly
KIND_WORDS = {"new": "new", "restated": "changed", "corrected": "changed", "earlier": "changed", UNCHANGED: "unchanged"}


def unchanged_lines(upload: Upload, result: ImportResult, changes: Plan) -> list[dict]:
    """Preview lines for the file's figures that are already published as they are: nothing is written for them."""
    changed = {change.entry.row.series_key for change in changes.changes}
    details = details_of(upload)
    same = [Planned(Entry(row, details), UNCHANGED) for row in result.rows if row.series_key not in changed]
    return preview_lines(Plan(changes=same[:PREVIEW_LINES_KEPT]))


@dataclass
class Group:
    heading: str  # "Sexual grooming (Home Office 88A): offences recorded"
    lines: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # "new" -> 110

    @property
    def summary(self) -> str:
        parts = [f"{self.counts[word]} {word}" for word in ("new", "changed", "unchanged") if self.counts[word]]
        return ", ".join(parts)

    @property
    def shared_note(self) -> str:
        """The note, when every figure of the group has the same one: said once, above the table."""
        notes = {line["note"] for line in self.lines}
        return notes.pop() if len(notes) == 1 else ""

    @property
    def has_old_values(self) -> bool:
        return any(line["old"] for line in self.lines)


def grouped(lines: list[dict]) -> list[Group]:
    """The preview's lines with names, grouped by offence, measure and platform, each group by area name then period."""
    areas = dict(Geography.objects.values_list("code", "name"))
    offences = dict(Offence.objects.values_list("slug", "name"))
    measures = dict(Measure.objects.values_list("slug", "name"))
    platforms = dict(Platform.objects.values_list("slug", "name"))
    groups: dict[str, Group] = {}
    for line in lines:
        what = [
            offences.get(line["offence"], line["offence"]),
            measures.get(line["measure"], line["measure"]),
            platforms.get(line["platform"], line["platform"]),
        ]
        heading = ": ".join(part for part in what if part)
        heading = heading[:1].upper() + heading[1:]
        group = groups.setdefault(heading, Group(heading))
        word = KIND_WORDS.get(line["kind"], line["kind"])
        group.counts[word] += 1
        group.lines.append({**line, "area_name": areas.get(line["area"], line["area"]), "change": word})
    for group in groups.values():
        group.lines.sort(key=lambda line: (line["area_name"], line["period"]))
    return sorted(groups.values(), key=lambda group: group.heading)
