from django.db import migrations, models
from django.utils.text import slugify

# The keys stats/seed/reporting_routes.csv gives the routes seeded before keys existed,
# so the next seed updates these rows instead of adding copies.
SEEDED_KEYS = {
    "Police emergency": "police-emergency",
    "Police non-emergency": "police-non-emergency",
    "CEOP Safety Centre (National Crime Agency)": "ceop",
    "NSPCC Helpline": "nspcc-helpline",
    "Childline": "childline",
    "Report Remove (Childline and Internet Watch Foundation)": "report-remove",
    "Internet Watch Foundation": "iwf",
    "Crimestoppers": "crimestoppers",
    "Victim Support": "victim-support",
    "Barnardo's": "barnardos",
    "West Midlands Police online safety advice": "west-midlands-police-advice",
}


def give_each_route_a_key(apps, schema_editor) -> None:
    ReportingRoute = apps.get_model("stats", "ReportingRoute")
    for route in ReportingRoute.objects.all():
        route.key = SEEDED_KEYS.get(route.name) or slugify(route.name)[:60]
        route.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("stats", "0003_figure_updated_at")]

    operations = [
        migrations.AddField(
            model_name="reportingroute",
            name="for_young_people",
            field=models.BooleanField(
                default=False,
                help_text="Listed for children and young people seeking help.",
                verbose_name="show on the under-18 path",
            ),
        ),
        migrations.AddField(
            model_name="reportingroute",
            name="key",
            field=models.SlugField(max_length=60, null=True, db_index=False),
        ),
        migrations.RunPython(give_each_route_a_key, migrations.RunPython.noop),
        migrations.AddField(
            model_name="platform",
            name="safety_url",
            field=models.URLField(
                blank=True,
                help_text="The platform's own safety advice for families.",
                max_length=500,
                verbose_name="safety centre",
            ),
        ),
        migrations.AlterField(
            model_name="reportingroute",
            name="key",
            field=models.SlugField(
                help_text="A fixed name for links to this route; keep it when renaming.", max_length=60, unique=True
            ),
        ),
    ]
