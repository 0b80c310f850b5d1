"""WSGI entry for gunicorn in the bench: the project's app with bench.settings."""

import os

from django.core.wsgi import get_wsgi_application

# Settings are read when the application is built, not when django.core.wsgi is imported.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
