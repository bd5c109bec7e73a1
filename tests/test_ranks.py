"""One order everywhere: the map's table and words, and a region's words and bars, rank areas alike;
two that read the same at the precision shown share a place and are said to be about the same."""

from decimal import Decimal

from dashboard.cards.ranks import ordinal, ranked, where_it_stands
from tests.pages import charts_of, table_rows, text_of

MAP_2021 = "/map/?offence=sexual-communication-with-a-child&measure=offences-recorded&period=2021%2F22&show=rate"


def test_areas_that_read_the_same_share_a_place_and_are_listed_by_name():
    values = {"B": Decimal("2.0"), "A": Decimal("2.0"), "C": Decimal("4.6"), "D": None}
    ranking = ranked(values, value=values.get, name=str, shown=lambda name: f"{values[name]}")
    assert [(p.name, p.place, p.alike) for p in ranking] == [("C", 1, ()), ("A", 2, ("B",)), ("B", 2, ("A",))]
    assert where_it_stands(ranking[2], "the 3") == "B is joint 2nd of the 3 (2.0, about the same as A)."
    assert where_it_stands(ranking[0], "the 3") == "C is 1st of the 3 (4.6)."


def test_the_map_table_and_its_words_put_west_midlands_forces_in_one_order(seeded, client):
    html = client.get(MAP_2021 + "&area=E12000005").content.decode()
    rows = table_rows(html, "map")
    names = [row[0] for row in rows]
    shown = {row[0]: row[3] for row in rows}
    # Warwickshire and West Midlands Police both read 2.0 in the seed data: a tie, by name.
    assert shown["Warwickshire Police"] == shown["West Midlands Police"]
    assert names.index("Warwickshire Police") + 1 == names.index("West Midlands Police")
    text = text_of(html)
    tie = shown["West Midlands Police"]
    assert f"Warwickshire Police is joint {ordinal(len(rows) - 1)} ({tie})" in text
    assert f"West Midlands Police is joint {ordinal(len(rows) - 1)} ({tie})" in text
    assert f"Warwickshire Police and West Midlands Police shared the lowest (both {tie})" in text
    alone = text_of(client.get(MAP_2021 + "&area=E23000014").content.decode())
    assert (
        f"West Midlands Police is joint {ordinal(len(rows) - 1)} of the {len(rows)} police force areas with a figure"
        in alone
    )
    assert "about the same as Warwickshire Police" in alone


def test_the_region_words_bars_and_table_agree_and_say_a_tie_is_a_tie(seeded, client):
    html = client.get("/areas/E23000014/").content.decode()
    card = "comparison-sexual-communication-with-a-child"
    table = [row[0] for row in table_rows(html, card)]
    chart = charts_of(html)[f"{card}-chart"]
    (bars,) = chart["data"]
    names = [note["text"].replace("<b>", "").replace("</b>", "") for note in chart["layout"]["annotations"]]
    top_down = [
        name.removesuffix(" (this area)") for _, name in sorted(zip(bars["y"], names, strict=True), reverse=True)
    ]
    assert top_down == table
    assert table.index("Warwickshire Police") < table.index("West Midlands Police")  # a tie: by name
    text = text_of(html)
    assert "Warwickshire Police and West Midlands Police shared the lowest (both 2.0)" in text
    assert "was 2nd of 3" not in text and "is 2nd of" not in text
