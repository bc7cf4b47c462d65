"""Production: hardening only, no new features.

Refuses to start without its secrets and its host names.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool

from .base import *

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or SECRET_KEY) to a random value of at least "
        "40 characters; production does not start without it."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[]) or env.list(
    "ALLOWED_HOSTS", default=[]
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (or ALLOWED_HOSTS).")
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("Set DATABASE_URL; production has no default database.")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CONG_SERVE_MEDIA = env_bool("CONG_SERVE_MEDIA", False)
# `manage.py check --deploy` clean. X-Frame-Options stays SAMEORIGIN on
# purpose: Wagtail's preview panel frames the portal's own pages in the admin
# (CSP frame-ancestors 'self' says the same); check --deploy would ask for
# DENY. HSTS preload only marks the header; submitting the domain to the
# browsers' list stays the province's decision (DJANGO_SECURE_HSTS_PRELOAD).
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W019"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
