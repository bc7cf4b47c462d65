"""Settings for the test suite: fast, hermetic, real database."""

from .base import *
from .base import DATABASES

SECRET_KEY = "cong-test-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cong-test",
    }
}
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # pytest-django creates a fresh test database per worker.
    DATABASES["default"]["TEST"] = {"NAME": None}

# The page cache is exercised by its own tests, with a temporary directory.
CONG_PAGE_CACHE = "off"

# Other apps' tests sign in with force_login; the security app's tests turn
# the second factor on where they test it.
CONG_2FA_REQUIRED = False
CONG_BACKUP_SCHEDULE = False
