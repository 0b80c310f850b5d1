"""PD Cycles settings: one file, every value from the environment (see README, "Production")."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import client_address_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "csp",
    "axes",
    "districts",
    "measures",
    "cycles",
    "pd",
    "recommendations",
    "coaching",
    "pdcycles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "pdcycles.middleware.PrivateCacheMiddleware",
    "pdcycles.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pdcycles.urls"
WSGI_APPLICATION = "pdcycles.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "districts.context_processors.navigation",
                "pdcycles.context_processors.chart_locale",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Kept connections: on this hardware a one-insert view served ~970 req/s with persistent
# PostgreSQL connections and ~180 req/s with a new connection per request.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a survey answer is written; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The few statements run with server-side binding (the survey's insert, a refresh's statements)
    # are prepared by psycopg after 5 runs on a connection; Django's own statements are bound on the
    # client and never prepared. (Django leaves psycopg's threshold off unless it is set here.)
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
# Behind pgbouncer in transaction pooling (PGBOUNCER=1) a connection may change server between
# transactions: no server-side cursors and no prepared statements (psycopg 3 prepares a query
# after 5 runs by default). Django's persistent connections then hold pgbouncer slots, not servers.
if env_bool("PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# Dashboards and exports read from a streaming replica when one is given (see pdcycles/dbrouter.py).
if env_str("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            env_str("REPLICA_DATABASE_URL"),
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Test runs use the primary's test database for this alias.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["pdcycles.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("pdcycles.middleware.PrivateCacheMiddleware"), "pdcycles.dbrouter.ReplicaMiddleware"
    )
# After a write, the same browser reads the primary for this many seconds (read your own writes).
PDC_REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "districts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock out a username from one address, never a whole address: a school's staff share one IP.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 8, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "429.html"
# The client address for the lock comes from django-ipware, told how many proxies to trust
# (see client_address_settings: behind the TLS proxy, REMOTE_ADDR alone would lock "username").
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
globals().update(client_address_settings(TRUSTED_PROXY_COUNT))

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PD Cycles <noreply@localhost>")

# --- Cache (rate limits, live counts) --------------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A dead Redis must cost a request milliseconds, not minutes.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
# Without REDIS_URL, tasks run eagerly in-process (the embedded default); with it, Redis is the broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
if REDIS_URL:
    # kombu's Redis transport, fixed so a worker survives Redis dropping mid-task (see the module).
    CELERY_BROKER_TRANSPORT = "pdcycles.broker:Transport"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
# The worker reconnects forever (at startup and after a drop): it must outlive a Redis restart.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task stays unacknowledged while it runs (acks late); if its worker dies, Redis hands it to
# another worker after the visibility timeout. It must exceed the hard time limit (else a running
# task is handed out twice) and every countdown (the refresh retries back off 60 s at most).
PDC_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = 120  # a refresh takes milliseconds; a full rebuild seconds
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": PDC_BROKER_VISIBILITY_TIMEOUT,
    # Workers look for tasks a dead worker left unacknowledged every 10 s (kombu's default looks
    # every 10th time, ~100 s), so a killed worker's task is redelivered ~5 minutes after it began.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # Publishing from a web request fails fast when Redis is down (one refused connect, no
    # sleep; measured ~2 s per request with kombu's default one retry after 2 s): the sweep
    # catches up. The worker's own reconnect loop uses CELERY_BROKER_CONNECTION_MAX_RETRIES.
    "max_retries": 0,
    "interval_start": 0,
    "socket_connect_timeout": 0.1,
    "socket_timeout": 2,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TIMEZONE = TIME_ZONE
# Task modules other than the apps' tasks.py (which autodiscovery finds).
CELERY_IMPORTS = ("measures.retention_tasks",)
# Every periodic schedule lives here.
CELERY_BEAT_SCHEDULE = {
    # Catch every administration whose summary is older than its last response
    # (a response saved while the broker was down) and close surveys past their closing time.
    "measures-sweep": {"task": "measures.tasks.sweep", "schedule": crontab(minute="*")},
    # Each district's retention policy: raw answers older than its kept school years are deleted
    # (aggregates stay). Nightly at 02:30 district time, when nobody answers surveys.
    "measures-retention": {"task": "measures.retention_tasks.apply_retention", "schedule": crontab(hour=2, minute=30)},
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Monitors may ask the app directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Strict CSP: scripts only from our own origin (plotly figures are JSON in the page, drawn by a
# static script). plotly.js injects <style> elements, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- App ------------------------------------------------------------------------------------
PDC_DEFAULT_MIN_GROUP_SIZE = 10
PDC_SURVEY_RATE_LIMIT_PER_MINUTE = env_int("SURVEY_RATE_LIMIT_PER_MINUTE", 240, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The dashboards' covering index (measures.TrendPoint "trend_district_plan") includes columns only
# PostgreSQL can hold in an index; SQLite, the embedded default, builds it without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
