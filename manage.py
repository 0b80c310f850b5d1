#!/usr/bin/env python
"""Django's command-line utility for PD Cycles."""

import os
import sys

DEVELOPMENT_ONLY = {"makemigrations", "makemessages", "compilemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pdcycles.settings")
    # Like the servers (wsgi.py, asgi.py, the Celery app), manage.py runs in production mode unless
    # DEBUG=1 is set (`make run` and `make migrate` set it): an operator's `collectstatic` or
    # `migrate` must never quietly run with development settings. Only the commands that write
    # source files (migrations, translations) and touch no database default to development.
    if len(sys.argv) > 1 and sys.argv[1] in DEVELOPMENT_ONLY:
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
