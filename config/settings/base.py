"""Settings shared by every environment.

Everything is defined here from the environment, with safe defaults for
non-secrets only; ``local``, ``test`` and ``production`` adjust. See
``.env.example`` for every variable.
"""

from __future__ import annotations

from config.env import BASE_DIR, env, env_bool

# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
# Only local and test settings may fall back to this; production refuses it.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=env.list("ALLOWED_HOSTS", default=["localhost", ".localhost", "127.0.0.1"]),
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

VAR_DIR = BASE_DIR / "var"

# --- Applications -----------------------------------------------------------

CONG_APPS = [
    "cong.core",
    "cong.accounts",
    "cong.units",
    "cong.content",
    "cong.gazette",
    "cong.engagement",
    "cong.design_system",
    "cong.reporting",
    "cong.analytics",
    "cong.syndication",
    "cong.compliance",
    "cong.security",
    "cong.demo",
    "cong.ops",
]

INSTALLED_APPS = [
    *CONG_APPS,
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "cong.ops.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cong.security.middleware.AdminAccessMiddleware",
    "cong.core.middleware.SecurityHeadersMiddleware",
    "cong.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cong.security.audit.AuditContextMiddleware",
    "cong.security.middleware.StaffSecurityMiddleware",
    "cong.core.middleware.PageCacheMarkMiddleware",
    "cong.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cong.units.middleware.PortalMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cong.units.context_processors.portal",
                "cong.compliance.context_processors.maintenance",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cong.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer (several server workers, the task
    # worker); IMMEDIATE transactions avoid "database is locked" upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; "
                "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-32000; PRAGMA mmap_size=268435456;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
# Keep connections between requests: opening one (and, for SQLite, running
# its PRAGMAs) costs more than rendering a simple page.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONG_DB_CONN_MAX_AGE", 600))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# --- Cache, sessions --------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, answering as an empty cache while Redis
            # is down instead of failing every page (cong.ops.cache).
            "BACKEND": "cong.ops.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CONG_CACHE_PREFIX", default="cong"),
            "TIMEOUT": 300,
        }
    }
    # Sessions live in the database and are read through Redis, so every
    # server sees them and a Redis restart logs nobody out;
    # CONG_SESSION_ENGINE=django.contrib.sessions.backends.cache keeps them
    # in Redis only.
    SESSION_ENGINE = env.str(
        "CONG_SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db"
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cong",
            "TIMEOUT": 300,
        }
    }

# --- Background tasks (django_tasks API) -------------------------------------

CONG_TASK_BACKEND = env.str("CONG_TASK_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # django-tasks-rq, keeping tasks in the database while Redis is down (cong.ops.tasks_rq)
    "rq": {"BACKEND": "cong.ops.tasks_rq.RQBackend", "QUEUES": ["default"]},
}
if CONG_TASK_BACKEND not in _TASK_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"CONG_TASK_BACKEND={CONG_TASK_BACKEND!r}; use one of {sorted(_TASK_BACKENDS)}"
    )
TASKS = {"default": _TASK_BACKENDS[CONG_TASK_BACKEND]}
if CONG_TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Sign-in lockout with back-off (cong.security.throttle) in front of Django's backend.
AUTHENTICATION_BACKENDS = ["cong.security.backends.ThrottledModelBackend"]
# Every board member, staff and superuser account signs in with a second factor.
CONG_2FA_REQUIRED = env_bool("CONG_2FA_REQUIRED", True)
# WebAuthn security keys: the relying party id (a registrable domain shared by
# the admin's host names); empty: the host the admin is opened on.
CONG_WEBAUTHN_RP_ID = env.str("CONG_WEBAUTHN_RP_ID", default="")
# The admin only from these networks (CIDR) and host names; empty: anywhere.
CONG_ADMIN_ALLOWED_NETWORKS = env.list("CONG_ADMIN_ALLOWED_NETWORKS", default=[])
CONG_ADMIN_HOSTS = env.list("CONG_ADMIN_HOSTS", default=[])
# Admin views showing personal data; each opening is written to the audit log.
CONG_AUDIT_PERSONAL_DATA_VIEWS = ["security_case_detail", "wagtailusers_users:edit"]
# Audit entries older than this many days move, month by month, from the live
# table into compressed, checksummed files (cong.security.audit_archive).
CONG_AUDIT_RETENTION_DAYS = env.int("CONG_AUDIT_RETENTION_DAYS", 365)
CONG_AUDIT_ARCHIVE_DIR = env.path("CONG_AUDIT_ARCHIVE_DIR", default=VAR_DIR / "audit-archive")
# Backups (cong.security.backups): where, whether daily, how many kept.
CONG_BACKUP_DIR = env.path("CONG_BACKUP_DIR", default=VAR_DIR / "backups")
CONG_BACKUP_SCHEDULE = env_bool("CONG_BACKUP_SCHEDULE", True)
CONG_BACKUP_KEEP_DAILY = env.int("CONG_BACKUP_KEEP_DAILY", 14)
CONG_BACKUP_KEEP_MONTHLY = env.int("CONG_BACKUP_KEEP_MONTHLY", 12)

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese usage for dates and numbers: 12/3/2024, 2.563, 15,5%.
FORMAT_MODULE_PATH = ["cong.core.formats"]
LOCALE_PATHS = [BASE_DIR / "cong" / "locale"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Served by the application in the embedded default; by nginx in production.
CONG_SERVE_MEDIA = env_bool("CONG_SERVE_MEDIA", True)
# Several application servers share media through a shared volume
# (MEDIA_ROOT on NFS/CephFS, nothing to set) or S3-compatible storage
# through django-storages (issue 11; needs boto3: docs/deployment.md).
if env.str("CONG_MEDIA_STORAGE", default="filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("CONG_S3_BUCKET"),
            "endpoint_url": env.str("CONG_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("CONG_S3_REGION", default="") or None,
            "access_key": env.str("CONG_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("CONG_S3_SECRET_KEY", default="") or None,
            "custom_domain": env.str("CONG_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("CONG_S3_PREFIX", default="media"),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security (every environment) ------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after an idle hour (refreshed on each request).
SESSION_COOKIE_AGE = env.int("CONG_SESSION_IDLE_SECONDS", 3600)
SESSION_SAVE_EVERY_REQUEST = False

# Content-Security-Policy. No inline script anywhere; the public sites load
# nothing from other hosts (the EMC monitoring script, where a portal sets
# one, is added per request by the middleware).
CONG_CSP_PUBLIC = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "media-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://www.youtube.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# The Wagtail admin sets some inline styles; scripts stay same-origin only.
CONG_CSP_ADMIN = {
    **CONG_CSP_PUBLIC,
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'", "https:"],
}
CONG_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)

# --- Wagtail ----------------------------------------------------------------

WAGTAIL_SITE_NAME = "Cổng"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # simple + unaccent, made by content/migrations/0003 (no Vietnamese config exists)
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "cong_vi"
# OpenSearch or Elasticsearch instead, by configuration (issue 11):
if env.str("CONG_SEARCH_URL", default=""):
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": env.str("CONG_SEARCH_BACKEND", default="wagtail.search.backends.opensearch2"),
        "URLS": [env.str("CONG_SEARCH_URL")],
        "INDEX": env.str("CONG_SEARCH_INDEX", default="cong"),
        "TIMEOUT": 5,
    }
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "txt", "pptx", "mp4", "webm", "vtt",
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cong.content.forms.CongDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cong.content.forms.CongImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024  # videos are documents too
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Workflow e-mails go to the members of the task's (portal's) groups only.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# --- E-mail -----------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cổng -------------------------------------------------------------------

# The host suffix under which every unit's portal answers in the embedded
# default: http://<code>.localhost:8000/.
CONG_LOCAL_HOST_SUFFIX = env.str("CONG_LOCAL_HOST_SUFFIX", default="localhost")
# The port written into every portal's Site (Wagtail builds absolute links
# from it): 80 for http, 443 for https; the demo uses its own port.
CONG_SITE_PORT = env.int("CONG_SITE_PORT", default=80)
# Builds a new portal's home page and standard sections (see units.services).
CONG_PORTAL_HOME_BUILDER = "cong.content.services.portal_home_create"
# Host names the EMC monitoring script may load from.
CONG_EMC_HOST_SUFFIXES = ("gov.vn",)
# Share links on item pages: plain links, no third-party script.
CONG_SHARE_LINKS = {
    "Facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
    "Zalo": "https://sp.zalo.me/share_inline?d={url}",
}
# Link to the national public service portal (Decree 42/2022 Art. 4(1)).
CONG_NATIONAL_PUBLIC_SERVICE_URL = "https://dichvucong.gov.vn"

# --- Cross-posting to Zalo OA and Facebook Pages (cong.syndication) -----------
# Channel secrets are encrypted at rest with Fernet keys: CONG_ENCRYPTION_KEY (one
# or more comma-separated Fernet keys, the first encrypts) or, when unset, a key
# derived from SECRET_KEY.
CONG_ENCRYPTION_KEY = env.str("CONG_ENCRYPTION_KEY", default="")
CONG_FACEBOOK_GRAPH_URL = env.str("CONG_FACEBOOK_GRAPH_URL", default="https://graph.facebook.com/v21.0")
CONG_ZALO_OPENAPI_URL = env.str("CONG_ZALO_OPENAPI_URL", default="https://openapi.zalo.me")
CONG_ZALO_OAUTH_URL = env.str("CONG_ZALO_OAUTH_URL", default="https://oauth.zaloapp.com")
CONG_SYNDICATION_TIMEOUT = env.float("CONG_SYNDICATION_TIMEOUT", default=20.0)
CONG_SYNDICATION_LEASE_SECONDS = env.int("CONG_SYNDICATION_LEASE_SECONDS", default=120)
CONG_SYNDICATION_SETTLE_SECONDS = env.int("CONG_SYNDICATION_SETTLE_SECONDS", default=1800)

# Page cache of the embedded default (cong.core.page_cache): "file" keeps
# anonymous pages on disk, shared by the server processes of one machine;
# "off" where nginx's proxy cache does the job (production, several machines).
CONG_PAGE_CACHE = env.str("CONG_PAGE_CACHE", default="file")
CONG_PAGE_CACHE_DIR = env.path("CONG_PAGE_CACHE_DIR", default=VAR_DIR / "page-cache")
CONG_PAGE_CACHE_TTL = env.int("CONG_PAGE_CACHE_TTL", default=600)
# each page is kept its TTL less a random share of it, up to this fraction,
# so that pages cached together do not all expire (and refresh) together
CONG_PAGE_CACHE_JITTER = env.float("CONG_PAGE_CACHE_JITTER", default=0.3)
# "nginx": the application marks cacheable responses with X-Accel-Expires
# and purges nginx through Wagtail's frontend cache (cong.ops, issue 11).
CONG_PAGE_CACHE_QUERY_TTL = env.int("CONG_PAGE_CACHE_QUERY_TTL", default=60)

# Public forms: rate limits (django-ratelimit) and proof of work (ALTCHA).
CONG_RATELIMIT_ENABLED = env_bool("CONG_RATELIMIT_ENABLED", True)
CONG_POW_ENABLED = env_bool("CONG_POW_ENABLED", True)
CONG_POW_MAX_NUMBER = env.int("CONG_POW_MAX_NUMBER", 50_000)
# Addresses of reverse proxies whose X-Forwarded-For is believed.
CONG_TRUSTED_PROXIES = tuple(env.list("CONG_TRUSTED_PROXIES", default=["127.0.0.1"]))
RATELIMIT_USE_CACHE = "default"

# --- Operations (cong.ops, issue 11) -----------------------------------------

# nginx's proxy cache, purged through Wagtail's frontend-cache invalidation:
# CONG_NGINX_PURGE_URL is where the application reaches nginx for PURGE
# requests (deploy/nginx/cong.conf: http://127.0.0.1:8081). Comma-separated
# for several proxies.
_PURGE_URLS = env.list("CONG_NGINX_PURGE_URL", default=[])
if _PURGE_URLS:
    WAGTAILFRONTENDCACHE = {
        f"nginx{i}": {"BACKEND": "cong.ops.frontend_cache.NginxPurgeBackend", "LOCATION": url}
        for i, url in enumerate(_PURGE_URLS)
    }
# cong.ops.frontend_cache adds the /en/ variants itself; Wagtail's own
# rewriting would turn them into /vi/ URLs that do not exist.
WAGTAILFRONTENDCACHE_LANGUAGES = []
# Who may read /-/metrics (Prometheus); nginx refuses it from outside too.
CONG_METRICS_ALLOWED_NETWORKS = tuple(
    env.list("CONG_METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
)
# One structured log line per request (nginx's access log has the same id).
CONG_ACCESS_LOG = env_bool("CONG_ACCESS_LOG", False)
if not REDIS_URL:
    # The embedded default keeps counters per server process (documented).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
else:
    # Django's RedisCache (wrapped by cong.ops.cache) has atomic add/incr;
    # django-ratelimit's list of supported backends predates it.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cong.ops.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "cong.ops.request_id.JsonFormatter"},
    },
    # CONG_LOG_FORMAT=json in production: one JSON object per line, with the
    # request id, for journald / the log shipper.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("CONG_LOG_FORMAT", default="plain"),
            "filters": ["request_id"],
        },
        # Refused requests (CSRF, oversized bodies, suspicious names) go to the audit log.
        "audit": {"class": "cong.security.audit.SecurityLogHandler", "level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env.str("CONG_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING", "handlers": ["console", "audit"], "propagate": False},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "rq.worker": {"level": "WARNING"},
    },
}
