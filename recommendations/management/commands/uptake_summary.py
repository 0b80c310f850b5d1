"""manage.py uptake_summary --district SLUG [--year YYYY-YY]: the uptake dashboard's figures as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from districts.models import District
from recommendations import selectors, uptake
from recommendations.importer import parse_school_year, year_label


class Command(BaseCommand):
    help = (
        "Print, as JSON, the uptake dashboard's figures: counts and percentages of uptake, of implementation "
        "among those taken up, by year and area, and the factor cross-tabs (every percentage with its n)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, metavar="SLUG")
        parser.add_argument("--year", metavar="YYYY-YY", help="One school year, e.g. 2025-26 (default: every year).")

    def handle(self, *args, district, year, **options):
        school_year = None
        if year:
            try:
                school_year = parse_school_year(year)
            except ValueError as exc:
                raise CommandError(str(exc))
        found = District.objects.filter(slug=district).first()
        if found is None:
            raise CommandError(f"No district with slug “{district}”.")
        summary, _ = selectors.recommendation_summary(found, school_year)
        data = {
            "district": found.slug,
            "year": year_label(school_year) if school_year is not None else "all",
            **uptake.summary_data(summary),
        }
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
