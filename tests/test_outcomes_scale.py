"""/outcomes/: a charge rate is a share, drawn on a scale from 0 to 100% beside the whole it is part
of, and the charges figure's own note, with what its base counts, is said on the card."""

from stats.models import Figure
from tests.pages import charts_of, text_of


def test_the_charge_rate_is_drawn_on_a_scale_of_0_to_100_percent(seeded, client):
    chart = charts_of(client.get("/outcomes/").content.decode())["outcomes-chart"]
    axis = chart["layout"]["xaxis"]
    assert axis["visible"] is True and axis["range"] == [0, 100]
    assert axis["ticktext"][0] == "0%" and axis["ticktext"][-1] == "100%"
    track, bars = chart["data"]
    assert track["x"] == [100] * len(bars["x"])  # the whole, drawn behind each bar
    charges = Figure.objects.current().get(geography__code="E23000014", measure__slug="charge-or-summons")
    base = Figure.objects.current().get(
        geography__code="E23000014", measure__slug="offences-recorded", period=charges.period
    )
    assert bars["x"] == [round(float(charges.value / base.value * 100), 1)]
    assert bars["text"] == [f"{bars['x'][0]}% ({charges.value:,.0f} of {base.value:,.0f})"]


def test_the_charges_note_and_what_its_base_counts_are_on_the_card(seeded, client):
    text = text_of(client.get("/outcomes/").content.decode())
    charges = Figure.objects.current().get(geography__code="E23000014", measure__slug="charge-or-summons")
    summary = text.split("Offences that led to a charge or summons:", 1)[1].split("The table scrolls")[0]
    assert f'in the source\'s words: "{charges.note}"' in summary
    assert f"offences counted as {charges.offence.name[0].lower()}" in summary
    # The note names another offence than its base counts: the card says the share is a guide only.
    assert "which is not a count of sexual communication with a child alone: the share is a guide only" in summary


def test_a_note_that_names_no_other_offence_says_no_more_than_the_note(seeded, client):
    text = text_of(client.get("/outcomes/?view=sexual-grooming:2021/22").content.decode())
    charges = Figure.objects.current().get(geography__code="E23000036", measure__slug="charge-or-summons")
    assert f'"{charges.note}"' in text
    assert "guide only" not in text
