"""Settings for the test suite: the real settings with test-only defaults.

The environment still decides the database and broker (CI sets DATABASE_URL and
REDIS_URL); only what a test run must not need from outside gets a default here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-000000000")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Tests call the throttled endpoints far more often than a person would; the
# throttle's own tests set a low rate (tests/core/test_throttles.py).
os.environ.setdefault("CXPLAN_EXPENSIVE_RATE", "10000/min")

from cxplan.settings import *  # noqa: E402,F403
from cxplan.settings import CELERY_BEAT_SCHEDULE  # noqa: E402,F401

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = False
# Unit tests run tasks eagerly; the worker tests start a real worker on REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CXPLAN_EAGER", "1") == "1"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
