"""A figure's unit must be its measure's unit, enforced by the database.

Django cannot declare a composite foreign key, so PostgreSQL gets one by hand:
(measure_id, unit) must exist in stats_measure, which makes "a percent above 100"
and "a count with a fraction" checks on stats_figure trustworthy. ON UPDATE CASCADE
carries a changed measure unit to its figures, where the range checks run again.
SQLite, the development default, cannot add a foreign key to an existing table.
"""

from django.db import migrations

ADD = """
ALTER TABLE stats_figure ADD CONSTRAINT figure_unit_matches_measure
FOREIGN KEY (measure_id, unit) REFERENCES stats_measure (id, unit)
ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
"""
DROP = "ALTER TABLE stats_figure DROP CONSTRAINT figure_unit_matches_measure"


def add_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_constraint(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
