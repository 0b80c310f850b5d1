"""Test settings: the real settings with a test secret, unhashed static names and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Tests (and the browser tests' live server) speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True

# Unit tests run Celery tasks in-process; the integration test with a real worker turns this off.
CELERY_TASK_ALWAYS_EAGER = True

# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
