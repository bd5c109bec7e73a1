"""Grow the data to check that pages do not make more queries as figures are added."""

import datetime as dt

from stats.models import Geography, Measure, Offence, Period, Platform, Source


def add_figures(make_figure, count: int) -> None:
    """Add figures across many areas, periods, sources and platforms, like a few more years of releases."""
    areas = list(Geography.objects.filter(code__in=["E23000014", "E23000015", "E12000005", "K02000001"]))
    offence = Offence.objects.get(slug="sexual-communication-with-a-child")
    recorded = Measure.objects.get(slug="offences-recorded")
    shares = Measure.objects.get(slug="platform-share")
    charges = Measure.objects.get(slug="charge-or-summons")
    snapchat = Platform.objects.get(slug="snapchat")
    for n in range(count):
        year = 2030 + n
        period = Period.objects.create(
            label=f"{year}/{(year + 1) % 100:02d}",
            kind="financial_year",
            start=dt.date(year, 4, 1),
            end=dt.date(year + 1, 3, 31),
        )
        source = Source.objects.create(
            publisher=f"Publisher {n}",
            title=f"Release {n}",
            published=dt.date(year + 1, 9, 1),
            published_precision="day",
        )
        for area in areas:
            make_figure(geography=area, offence=offence, measure=recorded, period=period, source=source, value=100 + n)
            make_figure(geography=area, offence=offence, measure=charges, period=period, source=source, value=10)
        make_figure(
            geography=areas[-1],
            offence=offence,
            measure=shares,
            platform=snapchat,
            period=period,
            source=source,
            value=30,
        )
