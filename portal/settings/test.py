"""Settings for the test suite: base settings, fast hashing, eager Celery."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="portal-test-"))

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "portal-test"  # noqa: F405
