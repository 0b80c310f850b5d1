"""manage.py import_recommendations FILE --district SLUG --year 2025-26 [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from districts.models import District
from recommendations import importer as recommendation_import


class Command(BaseCommand):
    help = (
        "Import findings and recommendations (uptake, implementation, factors) from a CSV into the district's "
        "feedback report of that school year. All or nothing; re-importing the same file creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--district", required=True, metavar="SLUG")
        parser.add_argument("--year", required=True, metavar="YYYY-YY", help="School year, e.g. 2025-26.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but save nothing.")

    def handle(self, *args, file, district, year, dry_run, **options):
        try:
            school_year = recommendation_import.parse_school_year(year)
        except ValueError as exc:
            raise CommandError(str(exc))
        found = District.objects.filter(slug=district).first()
        if found is None:
            raise CommandError(f"No district with slug “{district}”.")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.")
        result = recommendation_import.import_recommendations(
            district=found, school_year=school_year, data=data, dry_run=dry_run
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
