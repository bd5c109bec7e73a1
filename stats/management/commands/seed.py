from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stats.seeding import SEED_DIR, SeedError, load_seed

LOOKUP_TABLES = ("place names", "postcode shares", "postcodes")


class Command(BaseCommand):
    help = "Load the real figures, areas, key dates and reporting routes shipped in stats/seed/."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=SEED_DIR,
            help="Folder of seed CSV files (default: stats/seed/).",
        )

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            tally = load_seed(directory)
        except SeedError as error:
            raise CommandError(str(error)) from error
        releases = tally.pop("releases")
        for table, counts in tally.items():
            if set(counts) == {"created"} and table in LOOKUP_TABLES:
                self.stdout.write(f"{table}: {counts['created']:,} loaded (the lookup files changed)")
                continue
            created, updated, unchanged = counts["created"], counts["updated"], counts["unchanged"]
            self.stdout.write(f"{table}: {created} created, {updated} updated, {unchanged} unchanged")
        for release, added in releases.items():
            self.stdout.write(f"Published {release}: {added} figures and population estimates added")
        if not releases:
            self.stdout.write("Figures and population estimates: already published, no new release")
