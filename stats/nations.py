"""The UK nations this dashboard covers that are each policed by one force."""

# Named as a parent would know them: "Glasgow is policed by Police Scotland".
ONE_FORCE_NATIONS = {"S92000003": "Police Scotland", "N92000002": "the Police Service of Northern Ireland"}
