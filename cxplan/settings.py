"""Django settings for CXPlan, read from the environment.

Embedded default (no DATABASE_URL, no REDIS_URL): SQLite in WAL mode under var/
(CXPLAN_VAR_DIR moves it). Tasks run eagerly unless CXPLAN_EAGER=0, which `make run`
sets: then a real Celery worker takes them from a broker in files (var/broker/),
results and the cache are files too, shared by the web server and the worker.
With DATABASE_URL and REDIS_URL set: PostgreSQL, Redis broker/results/cache and real
workers. See README.md, "Configuration".
"""

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CXPLAN_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 60 * 60 * 24 * 365),
)

DEBUG = env("DEBUG")
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for development).")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "cxplan.core",
    "cxplan",
    "feedback",
    "roi",
    "initiatives",
    "strategy",
    "deck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cxplan.core.middleware.BusySafeSessionMiddleware",  # Django's, busy-safe
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "cxplan.core.middleware.OutOfRangeMiddleware",
    "cxplan.core.middleware.DatabaseBusyMiddleware",
    "cxplan.core.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "cxplan.urls"
WSGI_APPLICATION = "cxplan.wsgi.application"
ASGI_APPLICATION = "cxplan.asgi.application"

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
                "cxplan.core.context_processors.roles",
                "feedback.context.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cxplan.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server's threads and the worker write at once. WAL lets readers go
    # on beside the one writer; IMMEDIATE takes the write lock when a transaction
    # begins, so two transactions never deadlock upgrading read locks (SQLite's
    # instant "database is locked"); a writer waits up to `timeout` seconds for
    # the lock, and past that the request answers 503 with Retry-After
    # (cxplan.core.busy).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env.int("SQLITE_BUSY_SECONDS", default=10),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_PASSWORD_VALIDATORS = [
    # ASVS 2.1.1: at least 12 characters; the common-password list stays.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "cxplan.core.staticfinders.PlotlyFinder",
]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: the import cap is enforced by the import service (413 past it).
FEEDBACK_UPLOAD_MAX_BYTES = env.int(
    "FEEDBACK_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024
)
# A header wider than this is refused before the body is parsed (400).
CXPLAN_IMPORT_MAX_COLUMNS = env.int("CXPLAN_IMPORT_MAX_COLUMNS", default=200)
# A feedback text may be this long (the column is unbounded text); longer is a
# row error, never a refusal of the whole file by itself.
CXPLAN_MAX_TEXT_CHARS = env.int("CXPLAN_MAX_TEXT_CHARS", default=100_000)
# E-mails, phones (region(s) "US,GB"; any +country number) and cards become
# placeholders before storage; other languages than the theme one get no theme.
CXPLAN_REDACT_PII = env.bool("CXPLAN_REDACT_PII", default=True)
CXPLAN_PHONE_REGION = env.str("CXPLAN_PHONE_REGION", default="US")
CXPLAN_THEME_LANGUAGE = env.str("CXPLAN_THEME_LANGUAGE", default="en")
# An import's file is deleted when its batch ends; the hourly sweep deletes any
# stored upload older than this that no pending or running batch needs.
CXPLAN_IMPORT_UPLOAD_KEEP_HOURS = env.int("CXPLAN_IMPORT_UPLOAD_KEEP_HOURS", default=24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache and Celery --------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded: eager unless CXPLAN_EAGER=0 (`make run`, `make worker`).
    CELERY_TASK_ALWAYS_EAGER = env.bool("CXPLAN_EAGER", default=True)
    BROKER_DIR = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "results").mkdir(exist_ok=True)
    # kombu's filesystem transport: one folder both ways (the web writes, the
    # worker reads), the exchange tables for broadcasts in control/.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'results'}"
    if CELERY_TASK_ALWAYS_EAGER:
        CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        }
    else:  # two processes: the debounce keys and cache locks must be shared
        CACHES = {
            "default": {
                "BACKEND": "cxplan.core.filecache.SharedFileCache",
                "LOCATION": str(VAR_DIR / "cache"),
            }
        }
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# acks_late alone loses a task whose worker child is killed; this re-queues it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "analytics"
CELERY_TASK_ROUTES = {
    "feedback.tasks.import_*": {"queue": "imports"},
    "feedback.tasks.*": {"queue": "analytics"},
    "initiatives.tasks.*": {"queue": "analytics"},
    "deck.tasks.*": {"queue": "deck"},
    "cxplan.tasks.*": {"queue": "analytics"},
}
CELERY_LONGEST_TASK_SECONDS = 30 * 60
CELERY_TASK_TIME_LIMIT = CELERY_LONGEST_TASK_SECONDS
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_LONGEST_TASK_SECONDS - 60
_redis_transport = {
    # A stalled Redis must not hang delay(): fail fast, the outbox rows keep the work.
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": CELERY_LONGEST_TASK_SECONDS * 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
_filesystem_transport = {
    "data_folder_in": str(VAR_DIR / "broker" / "queue"),
    "data_folder_out": str(VAR_DIR / "broker" / "queue"),
    "processed_folder": str(VAR_DIR / "broker" / "processed"),
    "control_folder": str(VAR_DIR / "broker" / "control"),
    "store_processed": False,
    "polling_interval": 0.25,
}
CELERY_BROKER_TRANSPORT_OPTIONS = (
    _redis_transport if REDIS_URL else _filesystem_transport
)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = 1
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "cxplan.tasks.sweep_outbox", "schedule": 60.0},
    "nightly-ranking": {
        "task": "feedback.tasks.recompute_ranking",
        "schedule": 60.0 * 60 * 6,
    },
    "sweep-import-uploads": {
        "task": "feedback.tasks.sweep_import_uploads",
        "schedule": 60.0 * 60,
    },
    # Tells the people behind an initiative's ideas its measured effect, once.
    "daily-idea-results": {
        "task": "initiatives.tasks.notify_measured_results",
        "schedule": 60.0 * 60 * 24,
    },
    "daily-alerts": {
        "task": "feedback.tasks.detect_alerts",
        "schedule": 60.0 * 60 * 24,
    },
    "poll-import-sources": {
        "task": "feedback.tasks.poll_import_sources",
        "schedule": 60.0 * 5,
    },
}
# Watched folders: a file dropped in <CXPLAN_INBOX_DIR>/<source>/ is imported
# as that source. URLs polled: {"source": "https://..."} as JSON in the
# environment (the operator's list; no user can make the server fetch).
CXPLAN_INBOX_DIR = env.path("CXPLAN_INBOX_DIR", default=str(VAR_DIR / "inbox"))
CXPLAN_IMPORT_URLS = env.json("CXPLAN_IMPORT_URLS", default={})
# A retrain makes a candidate; it is applied by itself only with this many
# labels for every active theme and a quality at least the applied model's.
CXPLAN_THEME_AUTO_ACCEPT = env.bool("CXPLAN_THEME_AUTO_ACCEPT", default=True)
CXPLAN_THEME_AUTO_ACCEPT_MIN_LABELS = env.int(
    "CXPLAN_THEME_AUTO_ACCEPT_MIN_LABELS", default=5
)
# The cross-validated precision a theme's model threshold must reach.
CXPLAN_THEME_PRECISION_TARGET = env.float("CXPLAN_THEME_PRECISION_TARGET", default=0.8)
# Below this ROI (or with a negative P50 NPV) the deck asks for approval only
# with the CX lead's reason.
CXPLAN_ROI_HURDLE = env.float("CXPLAN_ROI_HURDLE", default=0.10)

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    # The token class first: DRF takes the 401's WWW-Authenticate from the first
    # class, and sessions have none (a refused token would be a bare 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cxplan.core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "cxplan.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cxplan.core.api.errors.exception_handler",
    # Per user, on the endpoints that start expensive work (ExpensiveThrottle).
    "DEFAULT_THROTTLE_RATES": {
        "expensive": env("CXPLAN_EXPENSIVE_RATE", default="30/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CXPlan API",
    "DESCRIPTION": "Customer feedback in, a costed and ranked CX strategy out.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["cxplan.core.api.permissions.IsMember"],
    "ENUM_NAME_OVERRIDES": {
        "StepStatusEnum": "strategy.models.StepStatus",
        "IdeaStatusEnum": "feedback.models.Idea.Status",
    },
}

# --- Security ---------------------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60 * 8)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout
# A new API token lives this many days (cxplan/core/tokens.py).
CXPLAN_TOKEN_DAYS = env.int("CXPLAN_TOKEN_DAYS", default=90)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the cookie-less meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the container health check.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly injects inline styles into the SVG it draws.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # No page needs <base>; an injected one would re-point every relative URL.
        "base-uri": ["'none'"],
    }
}

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cxplan@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        "kaleido": {"level": "WARNING"},
    },
}

CHROMIUM_PATH = env("CHROMIUM_PATH", default="/usr/bin/chromium")
