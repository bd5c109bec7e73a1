"""Chart builders: plain data in, plain Plotly.js data out. No ORM, no Django, no Python Plotly."""
