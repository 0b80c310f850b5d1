#!/usr/bin/env python
"""Django's command-line utility for PD Cycles."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pdcycles.settings")
    # manage.py is the developer's door: development mode unless the environment says otherwise.
    # Servers (wsgi.py, asgi.py, the Celery app) default to production and need DEBUG=1 to relax.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
