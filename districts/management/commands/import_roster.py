"""manage.py import_roster FILE [FILE...] --district SLUG [--school-year 2026] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from districts import roster
from districts.models import District


class Command(BaseCommand):
    help = (
        "Import schools, teachers and classrooms from a simple CSV or a OneRoster 1.1 bundle "
        "(its CSV files, or a .zip of them). All or nothing; re-importing the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--district", required=True, metavar="SLUG")
        parser.add_argument("--school-year", type=int, help="Starting year: 2026 means 2026–27 (default: current).")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but save nothing.")

    def handle(self, *args, files, district, school_year, dry_run, **options):
        found = District.objects.filter(slug=district).first()
        if found is None:
            raise CommandError(f"No district with slug “{district}”.")
        contents = {}
        for path in files:
            if path.name in contents:
                raise CommandError(f"Two files are named {path.name}.")
            try:
                contents[path.name] = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}.")
        result = roster.import_roster(
            district=found,
            files=contents,
            school_year=school_year or found.current_school_year(),
            dry_run=dry_run,
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
