"""Seed the demo district, Lakeside Unified, with people, classrooms and a semester of data.

`districts.demo.seed_district` makes the people and places; then each app's `demo.seed(demo, rng)`
adds its own data, in the order of SEEDERS. The command lives in the project package because it
composes every app; the apps themselves know nothing of each other's demo data.
"""

import random
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coaching import demo as coaching_demo
from cycles import demo as cycles_demo
from districts.demo import DEMO_SLUG, delete_demo_district, seed_district
from districts.models import District
from measures import demo as measures_demo
from pd import demo as pd_demo
from recommendations import demo as recommendations_demo

# In order: each seeder may read what the ones before it made. The key names the seeder's random
# stream, so adding a seeder leaves the others' data unchanged.
SEEDERS = (
    ("measures.demo", measures_demo.seed),
    ("cycles.demo", cycles_demo.seed),
    ("recommendations.demo", recommendations_demo.seed),
    ("cycles.pd_demo", pd_demo.seed),  # the stream's old name keeps the demo's PD data as it was
    ("coaching.demo", coaching_demo.seed),
)


class Command(BaseCommand):
    help = "Create (or re-create) the demo district 'Lakeside Unified' with demo logins and data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--password", default="demo-pass-2026", help="Password of every demo login.")
        parser.add_argument("--weeks", type=int, default=18, help="School weeks of survey history (at most).")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Pretend today is this date (YYYY-MM-DD)."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any district exists.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            # Every demo login shares one published password: never on a real site by accident.
            raise CommandError("seed_demo runs only with DEBUG on; pass --force to run it anyway.")
        if options["if_empty"] and District.objects.exists():
            self.stdout.write("A district exists already; not seeding the demo (--if-empty).")
            return
        if options["weeks"] < 1:
            raise CommandError("--weeks must be at least 1.")

        started = time.monotonic()
        with transaction.atomic():
            replaced = delete_demo_district(DEMO_SLUG)
            demo = seed_district(
                rng=random.Random(options["seed"]), password=options["password"], today=options["today"]
            )
            demo.weeks = options["weeks"]
            for key, seed in SEEDERS:
                seed(demo, random.Random(f"{options['seed']}:{key}"))
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"{'Re-created' if replaced else 'Created'} {demo.district.name}."))
        for note in demo.notes:
            self.stdout.write(note)
        for warning in demo.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(f"Seeded in {elapsed:.1f} s.")
        self._print_logins(demo, options["password"])  # last, so the logins are what the terminal shows

    def _print_logins(self, demo, password):
        rows = [("Email", "Role", "School")] + [(x.email, x.role, x.school or "—") for x in demo.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"\nDemo logins (password: {password})")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
