"""``manage.py deploy_check`` (``make deploy-check``): is this environment
ready to serve? Settings, connections, migrations and Django's own
``check --deploy``; one line per check, exit status 1 if any fails."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Validate a configured environment: settings, connections, migrations, check --deploy."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-deploy-checks",
            action="store_true",
            help="Do not run Django's check --deploy (e.g. on a plain-HTTP staging host).",
        )

    def handle(self, *args, **options):
        self.failures = 0
        self._check("settings", self.check_settings)
        self._check("database", self.check_database)
        self._check("migrations", self.check_migrations)
        self._check("cache", self.check_cache)
        self._check("task queue", self.check_queue)
        self._check("redis", self.check_redis)
        self._check("media storage", self.check_media)
        self._check("static files", self.check_static)
        self._check("frontend cache", self.check_frontend_cache)
        if not options["skip_deploy_checks"]:
            self._check("check --deploy", self.check_deploy)
        if self.failures:
            raise CommandError(f"{self.failures} check(s) failed")
        self.stdout.write(self.style.SUCCESS("deploy-check: all checks passed"))

    def _check(self, name, fn):
        try:
            detail = fn()
        except Exception as exc:  # noqa: BLE001 - report every failure, go on
            self.failures += 1
            self.stdout.write(self.style.ERROR(f"FAIL  {name}: {exc}"))
        else:
            self.stdout.write(f"ok    {name}" + (f": {detail}" if detail else ""))

    # --- the checks -------------------------------------------------------------

    def check_settings(self):
        problems = []
        if settings.DEBUG:
            problems.append("DEBUG is on")
        if len(settings.SECRET_KEY or "") < 40 or "not-for-production" in settings.SECRET_KEY:
            problems.append("SECRET_KEY is missing, short or the development key")
        if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
            problems.append("ALLOWED_HOSTS is empty or '*'")
        if problems:
            raise RuntimeError("; ".join(problems))
        return f"{settings.SETTINGS_MODULE}, hosts {', '.join(settings.ALLOWED_HOSTS)}"

    def check_database(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        where = connection.settings_dict.get("HOST") or connection.settings_dict.get("NAME")
        return f"{connection.vendor} at {where}"

    def check_migrations(self):
        from django.db import connections
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections["default"])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            raise RuntimeError(f"{len(plan)} migration(s) not applied: {names}…")
        return "all applied"

    def check_cache(self):
        from cong.ops.health import check_cache

        return check_cache()["backend"]

    def check_queue(self):
        from cong.ops.health import check_queue

        return check_queue()["backend"]

    def check_redis(self):
        url = getattr(settings, "REDIS_URL", "")
        if not url:
            return "not configured (single-machine default: local cache, database queue)"
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        return f"PONG from {client.connection_pool.connection_kwargs.get('host')}"

    def check_media(self):
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        name = default_storage.save("deploy-check/probe.txt", ContentFile(b"ok"))
        try:
            with default_storage.open(name) as f:
                if f.read() != b"ok":
                    raise RuntimeError("media storage did not return the bytes written")
        finally:
            default_storage.delete(name)
        return type(default_storage._wrapped).__name__

    def check_static(self):
        from django.contrib.staticfiles.storage import staticfiles_storage

        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not staticfiles_storage.exists(manifest):
            raise RuntimeError(f"{manifest} missing in STATIC_ROOT: run collectstatic")
        return str(settings.STATIC_ROOT)

    def check_frontend_cache(self):
        from cong.ops.frontend_cache import configured

        if not configured():
            page_cache = settings.CONG_PAGE_CACHE
            return f"no reverse-proxy purging (page cache: {page_cache})"
        locations = [c.get("LOCATION") for c in settings.WAGTAILFRONTENDCACHE.values()]
        if settings.CONG_PAGE_CACHE != "nginx":
            raise RuntimeError("WAGTAILFRONTENDCACHE is set but CONG_PAGE_CACHE is not 'nginx'")
        return "purge via " + ", ".join(map(str, locations))

    def check_deploy(self):
        out = io.StringIO()
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
        return out.getvalue().strip().splitlines()[-1] if out.getvalue().strip() else "no issues"
