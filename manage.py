#!/usr/bin/env python
"""Django's command-line utility for PD Cycles."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pdcycles.settings")
    # No DEBUG default here: like the servers (wsgi.py, asgi.py, the Celery app), manage.py runs in
    # production mode unless DEBUG=1 is set (`make run` and `make migrate` set it). An operator's
    # `collectstatic` or `migrate` must never quietly run with development settings.
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
