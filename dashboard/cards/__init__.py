"""One module per kind of card, each built from typed figure records (stats.records)."""
