"""Names keep their capitals inside generated sentences: only an ordinary first word is lowered.

The What's new tables once said "(sexual grooming (home office 88a))" and
"(online grooming crimes (west midlands police))", from a `.lower()` on the whole name."""

import pytest

from dashboard.words import in_sentence
from stats.models import Offence
from tests.pages import text_of


@pytest.mark.parametrize(
    ("name", "in_a_sentence"),
    [
        ("Offences recorded", "offences recorded"),
        ("Sexual grooming (Home Office 88A)", "sexual grooming (Home Office 88A)"),
        ("Online grooming crimes (West Midlands Police)", "online grooming crimes (West Midlands Police)"),
        ("Communicating indecently with a child (Scotland)", "communicating indecently with a child (Scotland)"),
        ("NSPCC figures", "NSPCC figures"),
        ("88A offences", "88A offences"),
        ("England and Wales", "England and Wales"),
        ("Northern Ireland", "Northern Ireland"),
        ("Home Office tables", "Home Office tables"),
        ("West Midlands Police figures", "West Midlands Police figures"),
        ("iPhone", "iPhone"),
    ],
)
def test_only_an_ordinary_first_word_is_lowered(name, in_a_sentence):
    assert in_sentence(name) == in_a_sentence


def test_a_name_the_caller_knows_is_proper_keeps_its_capital():
    assert in_sentence("Snapchat", ["Snapchat"]) == "Snapchat"
    assert in_sentence("Snapchat") == "snapchat"  # so a platform's name is always passed as one


def test_no_offence_name_loses_a_capital_after_its_first_letter(seeded):
    for name in Offence.objects.values_list("name", flat=True):
        assert in_sentence(name)[1:] == name[1:]


def test_the_changes_of_a_release_keep_the_capitals_of_offence_names(seeded, client):
    home_office = text_of(client.get("/whats-new/3/").content.decode())
    assert "Offences recorded (sexual grooming (Home Office 88A))" in home_office
    assert "home office 88a" not in home_office
    first = text_of(client.get("/whats-new/1/").content.decode())
    assert "(online grooming crimes (West Midlands Police))" in first
    assert "west midlands police" not in first


def test_templates_keep_the_capitals_of_a_name_inside_a_sentence(seeded, client):
    # Thames Valley's only figures are the Home Office table's: its one offence is 88A.
    page = text_of(client.get("/areas/E23000029/?offence=sexual-grooming").content.decode())
    assert "Showing sexual grooming (Home Office 88A) only" in page
    assert "home office 88a" not in page and "Sexual grooming (Home Office 88A)" in page
