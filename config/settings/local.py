"""The embedded default: SQLite, local-memory cache, database task worker.

Used by ``make demo`` and for development. Safe to run with no other service.
"""

from config.env import env_bool

from .base import *
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = env_bool("DJANGO_DEBUG", False)
# A fixed development key; production refuses to start without its own.
SECRET_KEY = _SECRET_KEY or "cong-local-development-key-not-for-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
