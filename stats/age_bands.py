"""The age bands of population estimates, and which of them a rate may be given per."""

AGE_BANDS = {
    "0-15": "children aged 0 to 15",
    "0-17": "children aged 0 to 17",
    "all ages": "people of all ages",
}
# Rates are per 10,000 children: aged 0 to 17 by default, or 0 to 15 (the offence concerns under-16s).
DEFAULT_BAND = "0-17"
RATE_BANDS = ("0-17", "0-15")


def band_label(band: str) -> str:
    return AGE_BANDS[band]
