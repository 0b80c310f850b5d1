"""Seed the demo district, Lakeside Unified, with people, classrooms and a semester of data.

`districts.demo.seed_district` makes the people and places; then each app's `demo.seed(demo, rng)`
adds its own data, in the order of SEEDERS. An app without a `demo` module is skipped, so an app
joins the demo by adding its module here (imported lazily: `districts` imports no other app).
"""

import importlib
import random
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from districts.demo import DEMO_SLUG, delete_demo_district, seed_district
from districts.models import District

SEEDERS = (
    "measures.demo",
    "cycles.demo",
    "cycles.pd_demo",
    "coaching.demo",
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
            for path in SEEDERS:
                module = _load(path)
                if module is None:
                    continue
                # One random stream per seeder: adding a seeder leaves the others' data unchanged.
                module.seed(demo, random.Random(f"{options['seed']}:{path}"))
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"{'Re-created' if replaced else 'Created'} {demo.district.name}."))
        self._print_logins(demo, options["password"])
        for note in demo.notes:
            self.stdout.write(note)
        for warning in demo.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(f"Seeded in {elapsed:.1f} s.")

    def _print_logins(self, demo, password):
        rows = [("Email", "Role", "School")] + [(x.email, x.role, x.school or "—") for x in demo.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"\nDemo logins (password: {password})")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")


def _load(path: str):
    """The seeder module, or None when the app has none (a broken import inside it still raises)."""
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name and (path == exc.name or path.startswith(f"{exc.name}.")):
            return None
        raise
